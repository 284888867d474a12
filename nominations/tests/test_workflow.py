"""Issue 6 acceptance: Công đoàn UBND huyện Mỹ Đức nominates 3 members for the Bằng khen of the city
federation; the district forwards; the city returns one nominee with a reason; the CĐCS fixes and
resubmits; the city posts publicly; the council of 9 votes; a decision is issued; the registry and the
next year's eligibility reflect it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import resolve
from django.utils import timezone

from commendations.models import AwardRecord, AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services
from nominations.choices import DossierState, ItemStatus
from nominations.models import BallotReceipt, BallotTally, Decision, Notification

from .conftest import attach_documents

pytestmark = pytest.mark.django_db


def make_dossier(people, tree, award, persons):
    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025",
    )
    for person in persons:
        services.item_add(
            acting_user=people["cdcs"],
            dossier=dossier,
            award_type=award,
            person=person,
            achievement_summary=f"Hoàn thành xuất sắc nhiệm vụ năm 2025 — {person.full_name}",
            achievement_id=f"TT-2025-{person.pk}",
        )
    attach_documents(people["cdcs"], dossier)
    return dossier


def test_end_to_end_city_bang_khen(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an, tree.hoa, tree.chu_tich])
    assert all(i.verdict["rule_set"] for i in dossier.items.all())

    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert (
        dossier.state == DossierState.IN_REVIEW
        and dossier.authority == tree.hn
        and dossier.current_level == tree.md
    )

    # the district cannot accept (not the authority); it forwards
    with pytest.raises(ServiceError, match="cấp có thẩm quyền"):
        services.step_accept(acting_user=people["district"], dossier=dossier)
    services.step_open(acting_user=people["district"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier, note="Đồng ý đề nghị")
    dossier.refresh_from_db()
    assert dossier.current_level == tree.hn

    # the city returns one nominee with a reason
    hoa_item = dossier.items.get(person=tree.hoa)
    services.step_return(
        acting_user=people["city"], dossier=dossier, reason="Bổ sung số liệu sáng kiến", items=[hoa_item]
    )
    dossier.refresh_from_db()
    hoa_item.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and hoa_item.status == ItemStatus.RETURNED
    assert hoa_item.returned_reason == "Bổ sung số liệu sáng kiến"
    assert Notification.objects.filter(user=people["cdcs"], text__contains="trả lại").exists()

    # the CĐCS fixes and resubmits: a new round through the district again
    services.item_update(
        acting_user=people["cdcs"],
        item=hoa_item,
        achievement_summary="Có 2 sáng kiến được công nhận cấp cơ sở năm 2025",
        override_reason="",
    )
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.POSTED and dossier.received_on == timezone.localdate()
    assert dossier.steps.filter(round=2).count() == 2

    # public posting with a moderated comment
    today = timezone.localdate()
    posting = services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )
    comment = services.comment_add(
        posting=posting, author_name="Một đoàn viên", contact="", text="Đồng tình."
    )
    services.comment_moderate(acting_user=people["city"], comment=comment, publish=True)
    services.posting_close(acting_user=people["city"], dossier=dossier, early_reason="Đã đủ ý kiến góp ý")

    # the council of 9 votes: 9 yes for An and Thắng, 7 yes for Hoa (77,8 % < 90 %... or 80 %)
    session = services.council_session_open(
        acting_user=people["city"],
        unit=tree.hn,
        title="Phiên xét khen thưởng",
        held_on=today,
        dossiers=[dossier],
    )
    assert session.council_size == 9
    items = {i.person_id: i for i in dossier.items.all()}
    for i, member in enumerate(people["council"]):
        services.ballot_cast(acting_user=member, session=session, item=items[tree.an.pk], choice="YES")
        services.ballot_cast(acting_user=member, session=session, item=items[tree.chu_tich.pk], choice="YES")
        services.ballot_cast(
            acting_user=member, session=session, item=items[tree.hoa.pk], choice="YES" if i < 7 else "NO"
        )
    with pytest.raises(ServiceError, match="đã bỏ phiếu"):
        services.ballot_cast(
            acting_user=people["council"][0], session=session, item=items[tree.an.pk], choice="NO"
        )
    services.council_session_close(acting_user=people["city"], session=session)
    session.refresh_from_db()
    assert "9/9 đồng ý" in session.minutes and "7/9 đồng ý" in session.minutes

    # a decision is issued by the leader; numbered; records created
    with pytest.raises(PermissionDenied):
        services.decision_issue(
            acting_user=people["city"],
            dossier=dossier,
            issued_on=today,
            signer_name="X",
            signer_title="Chủ tịch",
            symbol="QĐ-LĐLĐ",
        )
    decision = services.decision_issue(
        acting_user=people["leader"],
        dossier=dossier,
        issued_on=today,
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )
    assert decision.number == "01/QĐ-LĐLĐ"
    records = AwardRecord.objects.filter(award_type=bk_city, year=2025)
    assert {r.person_id for r in records} == {tree.an.pk, tree.chu_tich.pk}
    assert all(r.decision_number == "01/QĐ-LĐLĐ" and r.issuing_unit == tree.hn for r in records)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDED
    assert Notification.objects.filter(user=people["cdcs"], text__contains="01/QĐ-LĐLĐ").exists()

    # the same achievement cannot back a second award (R-GEN-01) — next year's eligibility sees the record
    second = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Đề nghị lần hai",
    )
    item = services.item_add(
        acting_user=people["cdcs"],
        dossier=second,
        award_type=bk_city,
        person=tree.an,
        achievement_summary="Như trên",
        achievement_id=f"TT-2025-{tree.an.pk}",
    )
    assert item.verdict["eligible"] is False and "R-GEN-01" in item.verdict["rules"]

    actions = set(AuditEvent.objects.filter(object_id=str(dossier.pk)).values_list("action", flat=True))
    assert {
        "dossier.submit",
        "dossier.forward",
        "dossier.return",
        "dossier.accept",
        "dossier.post",
    } <= actions


def test_override_of_an_ineligible_nominee_is_kept_and_audited(tree, people):
    award = AwardType.objects.get(code="CSTDCS")
    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Đề nghị CSTĐ cơ sở",
    )
    item = services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=award,
        person=tree.an,
        achievement_summary="Thành tích năm 2025",
    )
    assert item.verdict["eligible"] is False
    attach_documents(people["cdcs"], dossier)
    with pytest.raises(ServiceError, match="chưa có lý do đề nghị"):
        services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.item_update(
        acting_user=people["cdcs"],
        item=item,
        achievement_summary="Thành tích năm 2025",
        override_reason="Có thành tích đột xuất chống bão số 3",
    )
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    event = AuditEvent.objects.get(action="dossier.submit", object_id=str(dossier.pk))
    assert "chống bão số 3" in event.summary


def test_recall_only_until_opened(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.dossier_recall(acting_user=people["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECALLED  # issue 11: recall is a state of its own, not DRAFT
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_open(acting_user=people["district"], dossier=dossier)
    with pytest.raises(ServiceError, match="đã mở hồ sơ"):
        services.dossier_recall(acting_user=people["cdcs"], dossier=dossier)


def test_outsiders_cannot_act(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.step_forward(acting_user=people["outsider"], dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.item_add(
            acting_user=people["outsider"],
            dossier=dossier,
            award_type=bk_city,
            person=tree.hoa,
            achievement_summary="x",
        )


def test_required_documents(tree, people, bk_city):
    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Thiếu tài liệu"
    )
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=bk_city,
        person=tree.an,
        achievement_summary="x",
    )
    with pytest.raises(ServiceError, match="Hồ sơ còn thiếu: Tờ trình, Danh sách đề nghị."):
        services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)


def _council_ready(tree, people, award, persons):
    award.requires_public_posting = False
    award.save()
    dossier = make_dossier(people, tree, award, persons)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    return services.council_session_open(
        acting_user=people["city"],
        unit=tree.hn,
        title="Phiên họp",
        held_on=timezone.localdate(),
        dossiers=[dossier],
    ), dossier


@pytest.mark.parametrize(("yes_votes", "accepted"), [(0, False), (5, False), (8, False), (9, True)])
def test_tally_over_all_members_for_every_turnout(tree, people, bk_city, yes_votes, accepted):
    """0, partial and full turnout; absent members count as not yes (threshold 0,9 or 0,8 of 9)."""
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    item = dossier.items.get()
    for member in people["council"][:yes_votes]:
        services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    result = services.tally(session=session, item=item)
    assert (result["yes"], result["voted"], result["size"]) == (yes_votes, yes_votes, 9)
    services.council_session_close(acting_user=people["city"], session=session)
    item.refresh_from_db()
    threshold, _ = services.vote_threshold(received_on=dossier.received_on)
    assert (item.status == ItemStatus.ACCEPTED) == (yes_votes / 9 >= threshold)
    if yes_votes in (0, 5, 9):
        assert (item.status == ItemStatus.ACCEPTED) == accepted


def test_only_council_members_vote(tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    with pytest.raises(ServiceError, match="Chỉ thành viên Hội đồng"):
        services.ballot_cast(
            acting_user=people["city"], session=session, item=dossier.items.get(), choice="YES"
        )


def test_ballot_secrecy_no_relation_joins_ballot_and_voter(tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    item = dossier.items.get()
    services.ballot_cast(acting_user=people["council"][0], session=session, item=item, choice="NO")
    tally_fields = {f.name for f in BallotTally._meta.get_fields()}
    assert tally_fields == {"id", "session", "item", "yes", "no", "abstain"}  # no voter, no time
    receipt_fields = {f.name for f in BallotReceipt._meta.get_fields()}
    assert "choice" not in receipt_fields and "ballot" not in receipt_fields
    assert not any(getattr(f, "related_model", None) is BallotTally for f in BallotReceipt._meta.get_fields())
    tally = BallotTally.objects.get()
    assert (tally.yes, tally.no, tally.abstain) == (0, 1, 0)
    assert BallotReceipt.objects.get().voter == people["council"][0]


def test_decision_numbers_are_never_reused(tree, people, bk_city):
    numbers = []
    for persons in ([tree.an], [tree.hoa]):
        session, dossier = _council_ready(tree, people, bk_city, persons)
        for member in people["council"]:
            services.ballot_cast(acting_user=member, session=session, item=dossier.items.get(), choice="YES")
        services.council_session_close(acting_user=people["city"], session=session)
        decision = services.decision_issue(
            acting_user=people["leader"],
            dossier=dossier,
            issued_on=timezone.localdate(),
            signer_name="Khuất Văn Thành",
            signer_title="Chủ tịch",
            symbol="QĐ-LĐLĐ",
        )
        numbers.append(decision.number)
    assert numbers == ["01/QĐ-LĐLĐ", "02/QĐ-LĐLĐ"] and Decision.objects.count() == 2


def test_higher_titles_need_the_achievement_report_and_minutes(tree, people):
    award = AwardType.objects.get(code="CSTD_BO")
    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="CSTĐ cấp bộ"
    )
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=award,
        person=tree.an,
        achievement_summary="x",
        override_reason="Thử",
    )
    attach_documents(people["cdcs"], dossier)
    with pytest.raises(ServiceError, match="Hồ sơ còn thiếu: Báo cáo thành tích, Biên bản họp xét."):
        services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)


def test_notifications_by_email_when_configured(
    tree, people, bk_city, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.THIDUA_NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people["district"].email = "canbo.myduc@example.vn"
    people["district"].save()
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    assert [m.to for m in mail.outbox] == [["canbo.myduc@example.vn"]]
    assert "Hồ sơ mới chờ xét" in mail.outbox[0].subject


def _decide(people, dossier):
    return services.decision_issue(
        acting_user=people["leader"],
        dossier=dossier,
        issued_on=timezone.localdate(),
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )


def test_dossier_notifications_link_to_the_dossier_page(tree, people, bk_city):
    """Every notification about a dossier (submit, forward, return, decide, reject) links to
    `Dossier.get_absolute_url()`, the dossier's page."""
    sent = []  # (dossier, text) of each notification, in order

    def told(dossier, run):
        mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        run()
        new = list(Notification.objects.filter(pk__gt=mark))
        assert new, "no notification was sent"
        sent.extend((dossier, n) for n in new)

    returned = make_dossier(people, tree, bk_city, [tree.an])
    told(returned, lambda: services.dossier_submit(acting_user=people["cdcs"], dossier=returned))
    told(returned, lambda: services.step_forward(acting_user=people["district"], dossier=returned))
    told(
        returned,
        lambda: services.step_return(acting_user=people["city"], dossier=returned, reason="Bổ sung số liệu"),
    )

    session, decided = _council_ready(tree, people, bk_city, [tree.hoa])
    for member in people["council"]:
        services.ballot_cast(acting_user=member, session=session, item=decided.items.get(), choice="YES")
    services.council_session_close(acting_user=people["city"], session=session)
    told(decided, lambda: _decide(people, decided))

    session, rejected = _council_ready(tree, people, bk_city, [tree.chu_tich])
    services.council_session_close(acting_user=people["city"], session=session)  # nobody voted yes
    told(rejected, lambda: _decide(people, rejected))

    texts = " | ".join(n.text for _, n in sent)
    for phrase in ("Hồ sơ mới chờ xét", "Hồ sơ chờ xét", "trả lại", "Đã có Quyết định số", "không được khen"):
        assert phrase in texts
    for dossier, notification in sent:
        assert notification.url == dossier.get_absolute_url() == f"/de-nghi/{dossier.pk}/"
    assert resolve(returned.get_absolute_url()).view_name == "nominations:detail"
    assert resolve(returned.get_absolute_url()).kwargs == {"pk": returned.pk}
