"""Issue 13, the grassroots/district light path: the proposer chooses the issuing level ("Cấp khen
thưởng"); awards that need no council vote (Giấy khen, LĐTT, Tập thể LĐTT) are approved directly by the
authority and then decided; where a vote is needed and the authority has no council, the dossier page
says so; every step is one click away (inbox, unit page, deadlines).

Acceptance 4: "A grassroots Giấy khen goes from proposal to decision and certificate through screens"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.roles import Role
from commendations.engine.declarations import declaration
from commendations.models import AwardRecord, AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent
from core.tests.rendered import follow_rendered
from nominations import services
from nominations.choices import DocumentKind, DossierState, ItemStatus
from nominations.models import CouncilMember, Dossier, NominationDeadline, Notification
from nominations.services import approval, dossiers
from nominations.workflow import NEEDS_VOTE, NOT_DECIDED, allowed_names

from .conftest import attach_documents

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NO_COUNCIL = (
    "“Liên đoàn Lao động thành phố Hà Nội” chưa có Hội đồng Thi đua – Khen thưởng: cần bổ sung thành viên "
    "Hội đồng trước khi mở phiên họp"
)


@pytest.fixture
def gk():
    return AwardType.objects.get(code="GK")


@pytest.fixture
def light(tree, make_user):
    """Officers and signers of the CĐCS (Công đoàn UBND huyện Mỹ Đức) and of the district federation."""
    return {
        "cdcs": make_user(Role.OFFICER, tree.ubnd),
        "cdcs_leader": make_user(Role.LEADER, tree.ubnd),
        "district": make_user(Role.OFFICER, tree.md),
        "district_leader": make_user(Role.LEADER, tree.md),
        "city": make_user(Role.OFFICER, tree.hn),
        "outsider": make_user(Role.OFFICER, tree.hbt),
        "member": make_user(Role.MEMBER, tree.ubnd),
    }


def _dossier(tree, light, award, *, authority=None, person=None) -> Dossier:
    dossier = services.dossier_create(
        acting_user=light["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Giấy khen năm 2025",
        authority=authority,
    )
    services.item_add(
        acting_user=light["cdcs"],
        dossier=dossier,
        award_type=award,
        person=person or tree.an,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025",
    )
    attach_documents(light["cdcs"], dossier)
    return dossier


def _at_authority(tree, light, award, *, authority=None, reviewer="district") -> Dossier:
    """Submitted and accepted at its authority: waiting for the direct approval or the council."""
    dossier = _dossier(tree, light, award, authority=authority)
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    services.step_accept(acting_user=light[reviewer], dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def _messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [m.message for m in get_messages(response.wsgi_request)]


# --- acceptance 4: through the screens ------------------------------------------------------------------


def test_grassroots_giay_khen_from_proposal_to_decision_and_certificate(client, tree, light, gk):
    cdcs, district, leader = light["cdcs"], light["district"], light["district_leader"]
    # the CĐCS officer starts from the inbox: "Lập hồ sơ đề nghị" opens the form for their unit
    client.force_login(cdcs)
    create_url = f"{reverse('nominations:create')}?don_vi={tree.ubnd.pk}"
    assert create_url in client.get(reverse("nominations:inbox")).content.decode()
    form = client.get(create_url).content.decode()
    # the issuing levels offered: the CĐCS itself and the levels above it that may confer an award
    assert "Cấp khen thưởng" in form and f'value="{tree.md.pk}"' in form and f'value="{tree.ubnd.pk}"' in form
    assert f'value="{tree.hbt.pk}"' not in form  # a sibling branch is never offered
    response = client.post(
        create_url,
        {"title": "Giấy khen năm 2025", "kind": "YEARLY", "year": "2025", "authority": str(tree.md.pk)},
    )
    dossier = Dossier.objects.get(title="Giấy khen năm 2025")
    assert response.status_code == 302 and response.url == dossier.get_absolute_url()
    assert dossier.chosen_authority == tree.md and dossier.authority is None
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Cấp khen thưởng đã chọn: Liên đoàn Lao động huyện Mỹ Đức" in page
    # a nominee with a Giấy khen, the documents, then submit
    response = client.post(
        reverse("nominations:item_add", args=[dossier.pk]),
        {"person": tree.an.pk, "award_type": gk.pk, "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ"},
    )
    assert response.status_code == 302
    for kind in (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH):
        client.post(
            reverse("nominations:document_add", args=[dossier.pk]),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind.lower()}.pdf", b"%PDF-1.4 test")},
        )
    assert dossier.documents.count() == 2
    response = client.post(reverse("nominations:action", args=[dossier.pk]), {"action": "submit"})
    assert "Đã gửi hồ sơ lên cấp trên." in _messages(response)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_REVIEW and dossier.authority == tree.md
    assert dossier.current_level == tree.md  # the chosen level is the next one up: it accepts

    # the district officer accepts; no council is needed: "Xét duyệt trực tiếp" on the page
    client.force_login(district)
    page = client.get(dossier.get_absolute_url()).content.decode()
    step = re.search(r'name="step" value="(\d+)"', page).group(1)
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]), {"action": "accept", "step": step, "reason": ""}
    )
    assert "Đã tiếp nhận hồ sơ." in _messages(response)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' in page and "Chờ xét duyệt trực tiếp" in page
    assert NO_COUNCIL.split(":")[0] not in page and "Mở phiên họp Hội đồng" not in page
    # and the inbox lists it as waiting for them
    inbox = client.get(reverse("nominations:inbox")).content.decode()
    assert 'data-testid="direct"' in inbox and dossier.title in inbox
    item = dossier.items.get()
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]),
        {"action": "approve", f"xet_{item.pk}": "1", "reason": "Đồng ý đề nghị"},
    )
    assert "Đã xét duyệt hồ sơ; chờ lãnh đạo ký quyết định." in _messages(response)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED
    # the signer is told
    assert Notification.objects.filter(user=leader, url=dossier.get_absolute_url()).exists()

    # the district leader signs: a numbered decision
    client.force_login(leader)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'value="decide"' in page and "Đã xét duyệt, chờ ký quyết định" in page
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]),
        {
            "action": "decide",
            "symbol": "QĐ-LĐLĐ",
            "issued_on": TODAY.isoformat(),
            "signer_name": "Khuất Văn Thành",
            "signer_title": "Chủ tịch",
        },
    )
    decision = dossier.decisions.get()
    assert decision.sequence >= 1 and decision.issuing_unit == tree.md
    assert f"Đã ban hành Quyết định số {decision.number}." in _messages(response)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDED
    record = AwardRecord.objects.get(person=tree.an, award_type=gk)
    assert record.issuing_unit == tree.md and record.decision_number == decision.number

    # the certificate of the nominee downloads (printed by the issuing level's officer)
    client.force_login(district)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert reverse("documents:decision_certificates", args=[decision.pk]) in page
    for url in (
        reverse("documents:decision_certificates", args=[decision.pk]),
        reverse("documents:record_certificate", args=[record.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert (
            b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"%PDF"
        )


def test_a_cdcs_giay_khen_of_its_own_is_no_longer_stuck(client, tree, light, gk):
    """The CĐCS as its own issuing level: its officer accepts and approves, its leader signs."""
    dossier = _dossier(tree, light, gk)  # automatic: the nearest level that may confer a Giấy khen
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.authority == tree.ubnd and dossier.current_level == tree.ubnd
    services.step_accept(acting_user=light["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_COUNCIL
    assert "approve" in allowed_names(dossier, light["cdcs"])
    assert "decide" not in allowed_names(dossier, light["cdcs_leader"])
    client.force_login(light["cdcs"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'value="approve"' in page and NO_COUNCIL.split("”")[1] not in page
    assert follow_rendered(client, page, "cdcs") > 0  # every rendered action works (and is rolled back)
    approval.dossier_approve(
        acting_user=light["cdcs"], dossier=dossier, verdicts={dossier.items.get().pk: True}
    )
    dossier.refresh_from_db()
    assert "decide" in allowed_names(dossier, light["cdcs_leader"])
    decision = services.decision_issue(
        acting_user=light["cdcs_leader"],
        dossier=dossier,
        issued_on=TODAY,
        signer_name="Đặng Đức Thắng",
        signer_title="Chủ tịch Công đoàn",
        symbol="QĐ-CĐCS",
    )
    assert decision.issuing_unit == tree.ubnd and decision.number.startswith("0")  # "01/QĐ-CĐCS"
    assert AwardRecord.objects.filter(person=tree.an, award_type__code="GK", issuing_unit=tree.ubnd).exists()


# --- the issuing level ---------------------------------------------------------------------------------


def test_authority_candidates_are_the_levels_that_may_confer_every_award(tree, gk):
    bk = AwardType.objects.get(code="BK_LDLD")
    assert dossiers.authority_candidates(unit=tree.ubnd, award_types=[gk]) == [
        tree.ubnd,
        tree.md,
        tree.hn,
        tree.vn,
    ]
    assert dossiers.authority_candidates(unit=tree.ubnd, award_types=[gk, bk]) == [tree.hn]
    # a new dossier (no award yet): every level that may confer something
    assert dossiers.authority_candidates(unit=tree.ubnd) == [tree.ubnd, tree.md, tree.hn, tree.vn]
    assert services.authority_for(unit=tree.ubnd, award_types=[gk]) == tree.ubnd  # the nearest, as before


def test_choosing_the_issuing_level_is_checked_and_audited(tree, light, gk):
    dossier = _dossier(tree, light, gk)
    with pytest.raises(ServiceError, match="không phải cấp trên của “Công đoàn Ủy ban nhân dân"):
        dossiers.dossier_choose_authority(acting_user=light["cdcs"], dossier=dossier, authority=tree.hbt)
    with pytest.raises(PermissionDenied):
        dossiers.dossier_choose_authority(acting_user=light["outsider"], dossier=dossier, authority=tree.md)
    dossiers.dossier_choose_authority(acting_user=light["cdcs"], dossier=dossier, authority=tree.md)
    dossier.refresh_from_db()
    assert dossier.chosen_authority == tree.md
    event = AuditEvent.objects.get(action="dossier.authority_choose", object_id=str(dossier.pk))
    assert "Liên đoàn Lao động huyện Mỹ Đức" in event.summary
    assert event.changes == {"chosen_authority": [None, "Liên đoàn Lao động huyện Mỹ Đức"]}
    # back to the automatic choice
    dossiers.dossier_choose_authority(acting_user=light["cdcs"], dossier=dossier, authority=None)
    dossier.refresh_from_db()
    assert dossier.chosen_authority is None
    # once sent, the level can no longer be changed
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    with pytest.raises(ServiceError):
        dossiers.dossier_choose_authority(acting_user=light["cdcs"], dossier=dossier, authority=tree.md)


def test_submit_refuses_a_chosen_level_that_may_not_confer_an_award(client, tree, light, gk):
    """The level was chosen for a Giấy khen; a Bằng khen of the city federation added later cannot be
    conferred by the district: submit says which award and which levels may."""
    dossier = _dossier(tree, light, gk, authority=tree.md)
    services.item_add(
        acting_user=light["cdcs"],
        dossier=dossier,
        award_type=AwardType.objects.get(code="BK_LDLD"),
        person=tree.hoa,
        achievement_summary="Thành tích xuất sắc",
    )
    message = (
        "“Liên đoàn Lao động huyện Mỹ Đức” không có thẩm quyền tặng Bằng khen của Liên đoàn Lao động tỉnh, "
        "thành phố, công đoàn ngành: chọn lại cấp khen thưởng (“Liên đoàn Lao động thành phố Hà Nội”)."
    )
    with pytest.raises(ServiceError) as refused:
        services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    assert refused.value.message == message
    # the dossier page warns before submitting, and offers only the levels that fit
    client.force_login(light["cdcs"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert message in page
    choice = page.split('data-testid="authority-choice"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{tree.hn.pk}"' in choice and f'<option value="{tree.md.pk}"' not in choice
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]), {"action": "authority", "authority": tree.md.pk}
    )
    assert _messages(response)[-1] == "Chọn cấp khen thưởng trong danh sách."
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]), {"action": "authority", "authority": tree.hn.pk}
    )
    assert _messages(response)[-1] == "Đã lưu cấp khen thưởng."
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.authority == tree.hn


def test_create_form_refuses_a_level_outside_the_list(client, tree, light):
    client.force_login(light["cdcs"])
    response = client.post(
        f"{reverse('nominations:create')}?don_vi={tree.ubnd.pk}",
        {"title": "Hồ sơ", "kind": "YEARLY", "year": "2025", "authority": str(tree.hbt.pk)},
    )
    assert response.status_code == 200
    assert "Chọn cấp khen thưởng trong danh sách." in response.content.decode()
    assert not Dossier.objects.exists()


# --- no council where the rules need none ------------------------------------------------------------


def test_council_vote_is_declared_per_award():
    assert declaration("GK").council_vote is False
    assert declaration("LDTT").council_vote is False and declaration("TTLDTT").council_vote is False
    for code in ("CSTDCS", "CSTD_BO", "BK_LDLD", "BK_TLD", "TTLDXS"):
        assert declaration(code).council_vote is True, code


def test_direct_approval_guard_and_permissions(tree, light, gk):
    dossier = _at_authority(tree, light, gk, authority=tree.md)
    item = dossier.items.get()
    # not before acceptance (tested below), not by the proposer, the signer or another branch
    for user in (light["cdcs"], light["district_leader"], light["outsider"], light["member"]):
        with pytest.raises(PermissionDenied):
            approval.dossier_approve(acting_user=user, dossier=dossier, verdicts={item.pk: True})
    # decide needs the approval first
    with pytest.raises(ServiceError, match=NOT_DECIDED):
        services.decision_issue(
            acting_user=light["district_leader"],
            dossier=dossier,
            issued_on=TODAY,
            signer_name="A",
            signer_title="Chủ tịch",
            symbol="QĐ",
        )
    # every nominee needs a verdict
    with pytest.raises(ServiceError, match="Chọn “Đồng ý” hoặc “Không đồng ý” cho: Nguyễn Văn An"):
        approval.dossier_approve(acting_user=light["district"], dossier=dossier, verdicts={})
    approval.dossier_approve(
        acting_user=light["district"], dossier=dossier, verdicts={item.pk: False}, note="Chưa tiêu biểu"
    )
    event = AuditEvent.objects.get(action="dossier.approve", object_id=str(dossier.pk))
    assert "không đồng ý Nguyễn Văn An (Giấy khen)" in event.summary and "Chưa tiêu biểu" in event.summary
    # nobody agreed: the decision form ends the dossier without an award
    dossier.refresh_from_db()
    assert (
        services.decision_issue(
            acting_user=light["district_leader"],
            dossier=dossier,
            issued_on=TODAY,
            signer_name="A",
            signer_title="Chủ tịch",
            symbol="QĐ",
        )
        is None
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REJECTED and not AwardRecord.objects.exists()
    with pytest.raises(ServiceError):  # decided: no approval any more
        approval.dossier_approve(acting_user=light["district"], dossier=dossier, verdicts={item.pk: True})


def test_direct_approval_is_refused_before_acceptance(tree, light, gk):
    dossier = _dossier(tree, light, gk, authority=tree.md)
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    with pytest.raises(ServiceError):
        approval.dossier_approve(
            acting_user=light["district"], dossier=dossier, verdicts={dossier.items.get().pk: True}
        )


def test_awards_that_need_a_vote_go_to_the_council(client, tree, light):
    """A Bằng khen of the city federation needs the council's vote: no direct approval; without council
    seats the page says what is needed; with seats, "Mở phiên họp Hội đồng" from the page and the inbox."""
    bk = AwardType.objects.get(code="BK_LDLD")
    dossier = _dossier(tree, light, bk)
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    services.step_forward(acting_user=light["district"], dossier=dossier)
    services.step_accept(acting_user=light["city"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_COUNCIL and dossier.authority == tree.hn
    assert "approve" not in allowed_names(dossier, light["city"])
    with pytest.raises(ServiceError, match=NEEDS_VOTE):
        approval.dossier_approve(
            acting_user=light["city"], dossier=dossier, verdicts={dossier.items.get().pk: True}
        )
    client.force_login(light["city"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert NO_COUNCIL in page and 'value="approve"' not in page
    try:
        seats_url = f"{reverse('nominations:council_members')}?don_vi={tree.hn.pk}"
    except NoReverseMatch:  # the council-seat screen: linked once it exists
        seats_url = None
    if seats_url:
        assert seats_url in page
    inbox = client.get(reverse("nominations:inbox")).content.decode()
    assert "Chưa có thành viên Hội đồng: cần bổ sung trước khi mở phiên họp." in inbox
    # the proposer reads the same message, without the link to the seats they cannot manage
    client.force_login(light["cdcs"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert NO_COUNCIL in page and (seats_url is None or seats_url not in page)

    CouncilMember.objects.create(unit=tree.hn, user=light["city"], role="CHAIR", valid_from=TODAY)
    session_url = f"{reverse('nominations:session_open')}?don_vi={tree.hn.pk}"
    client.force_login(light["city"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert NO_COUNCIL not in page and session_url in page
    inbox = client.get(reverse("nominations:inbox")).content.decode()
    assert session_url in inbox and "Mở phiên họp Hội đồng" in inbox
    assert client.get(session_url).status_code == 200
    # the proposer may not open the city's session: no button for them
    client.force_login(light["cdcs"])
    assert session_url not in client.get(dossier.get_absolute_url()).content.decode()
    assert session_url not in client.get(reverse("nominations:inbox")).content.decode()


def test_direct_approval_through_the_screen_needs_every_nominee(client, tree, light, gk):
    dossier = _at_authority(tree, light, gk, authority=tree.md)
    client.force_login(light["district"])
    response = client.post(reverse("nominations:action", args=[dossier.pk]), {"action": "approve"})
    assert _messages(response)[-1] == "Chọn “Đồng ý” hoặc “Không đồng ý” cho: Nguyễn Văn An."
    client.force_login(light["cdcs"])  # not at the authority: the action is not theirs
    item = dossier.items.get()
    response = client.post(
        reverse("nominations:action", args=[dossier.pk]), {"action": "approve", f"xet_{item.pk}": "1"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


# --- links from where the user stands ---------------------------------------------------------------------


def test_inbox_offers_to_create_a_dossier_for_the_users_units(client, tree, make_user, light):
    client.force_login(light["cdcs"])
    page = client.get(reverse("nominations:inbox")).content.decode()
    assert f"{reverse('nominations:create')}?don_vi={tree.ubnd.pk}" in page
    assert "Lịch nộp hồ sơ" in page
    # an officer of two units chooses among them
    both = make_user(Role.OFFICER, tree.ubnd)
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=both, role=Role.OFFICER, unit=tree.mk, include_subtree=True, valid_from=dt.date(2020, 1, 1)
    )
    client.force_login(both)
    page = client.get(reverse("nominations:inbox")).content.decode()
    assert 'name="don_vi"' in page and f'value="{tree.mk.pk}"' in page and f'value="{tree.ubnd.pk}"' in page
    # a member prepares nothing: neither link
    client.force_login(light["member"])
    page = client.get(reverse("nominations:inbox")).content.decode()
    assert reverse("nominations:create") not in page and reverse("nominations:deadlines") not in page


def test_unit_page_offers_to_create_a_dossier(client, tree, light):
    url = reverse("organizations:detail", args=[tree.ubnd.pk])
    create_url = f"{reverse('nominations:create')}?don_vi={tree.ubnd.pk}"
    client.force_login(light["cdcs"])
    page = client.get(url).content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng" in page and create_url in page
    assert client.get(create_url).status_code == 200
    # the district officer sees it on the CĐCS page too (their subtree); a leader and a member do not
    client.force_login(light["district"])
    assert create_url in client.get(url).content.decode()
    for user in (light["cdcs_leader"], light["member"]):
        client.force_login(user)
        assert create_url not in client.get(url).content.decode()


def test_deadlines_open_on_the_users_unit_and_show_those_set_above(client, tree, light, make_user):
    services.deadline_set(
        acting_user=light["city"], organiser=tree.hn, year=2025, kind="YEARLY", due_on=dt.date(2026, 1, 10)
    )
    url = reverse("nominations:deadlines")
    client.force_login(light["cdcs"])
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{url}?don_vi={tree.ubnd.pk}"
    page = client.get(response.url).content.decode()
    assert "10/01/2026" in page and "do Liên đoàn Lao động thành phố Hà Nội đặt" in page
    # the CĐCS officer sets their own unit's deadline as before; not the city's
    response = client.post(
        f"{url}?don_vi={tree.ubnd.pk}", {"kind": "YEARLY", "year": "2025", "due_on": "2025-12-20"}
    )
    assert response.status_code == 302
    assert NominationDeadline.objects.filter(organiser=tree.ubnd, due_on=dt.date(2025, 12, 20)).exists()
    assert client.get(f"{url}?don_vi={tree.hn.pk}").status_code == 404
    # without a nomination right: 403, with or without a unit
    client.force_login(light["member"])
    assert client.get(url).status_code == 403
    assert client.get(f"{url}?don_vi={tree.ubnd.pk}").status_code == 403
    # a leader (signer) has no nomination right to prepare or review either
    client.force_login(light["cdcs_leader"])
    assert client.get(url).status_code == 403


# --- the direct path: what each role is shown is what the workflow allows -----------------------------------

DIRECT_STAGES = ["AT_AUTHORITY", "APPROVABLE", "APPROVED", "DECIDED"]
MARKERS = (
    ("submit", 'value="submit"'),
    ("accept", 'value="accept"'),
    ("approve", 'value="approve"'),
    ("decide", 'value="decide"'),
)


def _direct_stage(stage, tree, light, gk) -> Dossier:
    dossier = _dossier(tree, light, gk, authority=tree.md)
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    if stage != "AT_AUTHORITY":
        services.step_accept(acting_user=light["district"], dossier=dossier)
    if stage in ("APPROVED", "DECIDED"):
        approval.dossier_approve(
            acting_user=light["district"], dossier=dossier, verdicts={dossier.items.get().pk: True}
        )
    if stage == "DECIDED":
        services.decision_issue(
            acting_user=light["district_leader"],
            dossier=dossier,
            issued_on=TODAY,
            signer_name="Khuất Văn Thành",
            signer_title="Chủ tịch",
            symbol="QĐ-LĐLĐ",
        )
    return Dossier.objects.get(pk=dossier.pk)


@pytest.mark.parametrize("stage", DIRECT_STAGES)
def test_direct_path_shows_each_role_exactly_what_it_may_do(client, tree, light, gk, make_user, stage):
    from core.tests.rendered import in_rollback

    dossier = _direct_stage(stage, tree, light, gk)
    everyone = {
        f"{role}@{unit.code}": make_user(role, unit)
        for role in Role.values
        for unit in (tree.ubnd, tree.md, tree.hn)
    }
    expected = {
        "AT_AUTHORITY": {"accept": {"OFFICER@HN-MD", "ADMIN@HN-MD"}},
        "APPROVABLE": {"approve": {"OFFICER@HN-MD", "ADMIN@HN-MD"}},
        "APPROVED": {
            "approve": {"OFFICER@HN-MD", "ADMIN@HN-MD"},
            "decide": {"LEADER@HN-MD", "ADMIN@HN-MD"},
        },
        "DECIDED": {},
    }[stage]
    seen = 0
    for label, user in everyone.items():
        names = allowed_names(dossier, user)
        for name in ("accept", "approve", "decide"):
            # the city's officers and leaders hold their rights over the whole subtree, the district too
            holders = expected.get(name, set())
            holders = holders | {h.replace("HN-MD", "HN") for h in holders}
            assert (name in names) == (label in holders), (stage, label, name)
        # the service refuses what allowed() does not list
        if "approve" not in names:
            with pytest.raises((PermissionDenied, ServiceError)):
                in_rollback(
                    lambda user=user: approval.dossier_approve(
                        acting_user=user,
                        dossier=Dossier.objects.get(pk=dossier.pk),
                        verdicts={dossier.items.get().pk: True},
                    )
                )
        client.force_login(user)
        page = client.get(dossier.get_absolute_url())
        if page.status_code in (403, 404):
            continue
        html = page.content.decode()
        for name, marker in MARKERS:
            assert (marker in html) == (name in names), (stage, label, name)
        follow_rendered(client, html, (stage, label))
        seen += 1
    assert seen


def test_the_home_page_says_which_next_step_waits_at_the_authority(client, tree, light, gk):
    """The home cards carry the light path on: the authority's officer sees the dossier to approve
    directly, then its leader sees it to sign; a dossier that needs a vote shows as a session to open."""
    dossier = _at_authority(tree, light, gk, authority=tree.md)
    approve_card = "Hồ sơ chờ xét duyệt trực tiếp (không cần Hội đồng bỏ phiếu)"
    sign_card = "Hồ sơ đã xét duyệt hoặc Hội đồng đã bỏ phiếu, chờ ký quyết định khen thưởng"
    client.force_login(light["district"])
    home = client.get("/").content.decode()
    assert approve_card in home and dossier.get_absolute_url() in home
    client.force_login(light["district_leader"])
    assert sign_card not in client.get("/").content.decode()
    approval.dossier_approve(
        acting_user=light["district"], dossier=dossier, verdicts={dossier.items.get().pk: True}
    )
    home = client.get("/").content.decode()
    assert sign_card in home and dossier.get_absolute_url() in home
    client.force_login(light["district"])
    assert approve_card not in client.get("/").content.decode()

    bk = AwardType.objects.get(code="BK_LDLD")
    voted = _dossier(tree, light, bk)
    services.dossier_submit(acting_user=light["cdcs"], dossier=voted)
    services.step_forward(acting_user=light["district"], dossier=voted)
    services.step_accept(acting_user=light["city"], dossier=voted)
    client.force_login(light["city"])
    home = client.get("/").content.decode()
    assert "Hồ sơ chờ mở phiên họp Hội đồng TĐKT" in home
    assert f"{reverse('nominations:session_open')}?don_vi={tree.hn.pk}" in home


def test_a_dossier_that_needs_no_vote_is_not_put_to_the_council(client, tree, light, gk, make_user):
    """The session form lists only dossiers whose awards need the vote, and the service refuses the
    others: they are approved directly on their page."""
    dossier = _at_authority(tree, light, gk, authority=tree.md)
    seat = make_user(Role.COUNCIL, tree.md)
    CouncilMember.objects.create(unit=tree.md, user=seat, valid_from=TODAY - dt.timedelta(days=30))
    client.force_login(light["district"])
    form = client.get(f"{reverse('nominations:session_open')}?don_vi={tree.md.pk}").content.decode()
    assert dossier.title not in form
    with pytest.raises(ServiceError, match="không cần Hội đồng bỏ phiếu"):
        services.council_session_open(
            acting_user=light["district"], unit=tree.md, title="Phiên", held_on=TODAY, dossiers=[dossier]
        )


def test_the_council_path_offers_each_next_step_and_no_stale_one(client, tree, light, make_user):
    """Found by the cycle walk: the officer who opened a session (not seated on it) had no way back to
    close the ballot, and "Mở phiên họp Hội đồng" stayed offered for a dossier already in a session; the
    leader learnt of nothing to sign. Now: the inbox lists the open session to its organiser, the dossier
    page links it, and after the ballot the leader is notified and sees the dossier to sign."""
    from nominations.models import Notification

    bk = AwardType.objects.get(code="BK_LDLD")
    city, city_leader = light["city"], make_user(Role.LEADER, tree.hn)
    seat = make_user(Role.COUNCIL, tree.hn)
    CouncilMember.objects.create(unit=tree.hn, user=seat, valid_from=TODAY - dt.timedelta(days=30))
    dossier = _dossier(tree, light, bk)
    services.dossier_submit(acting_user=light["cdcs"], dossier=dossier)
    services.step_forward(acting_user=light["district"], dossier=dossier)
    services.step_accept(acting_user=city, dossier=dossier)
    session = services.council_session_open(
        acting_user=city, unit=tree.hn, title="Phiên họp cuối năm", held_on=TODAY, dossiers=[dossier]
    )
    client.force_login(city)
    inbox = client.get(reverse("nominations:inbox")).content.decode()
    assert reverse("nominations:session", args=[session.pk]) in inbox
    assert 'data-testid="councils"' not in inbox  # nothing left to put to a new session
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="open-session"' in page and "Hội đồng đang bỏ phiếu" in page
    assert "Mở phiên họp Hội đồng" not in page
    services.ballot_cast(acting_user=seat, session=session, item=dossier.items.get(), choice="YES")
    services.council_session_close(acting_user=city, session=session)
    assert Notification.objects.filter(user=city_leader, url=dossier.get_absolute_url()).exists()
    client.force_login(city_leader)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Hội đồng đã bỏ phiếu, chờ ký quyết định" in page
    # the decision form is filled as the city's leader signs: the issuer's symbol and their own name
    assert 'value="QĐ-LĐLĐ"' in page and f'value="{city_leader.get_full_name()}"' in page
    home = client.get("/").content.decode()
    assert "chờ ký quyết định khen thưởng" in home and dossier.get_absolute_url() in home


def test_a_grassroots_decision_carries_its_own_symbol_and_the_form_opens_on_the_emulation_year(
    client, tree, light, gk
):
    from core.filters import emulation_year

    dossier = _at_authority(tree, light, gk, authority=tree.ubnd, reviewer="cdcs")
    approval.dossier_approve(
        acting_user=light["cdcs"], dossier=dossier, verdicts={dossier.items.get().pk: True}
    )
    client.force_login(light["cdcs_leader"])
    assert 'value="QĐ-CĐCS"' in client.get(dossier.get_absolute_url()).content.decode()
    client.force_login(light["cdcs"])
    form = client.get(f"{reverse('nominations:create')}?don_vi={tree.ubnd.pk}").content.decode()
    assert f'value="{emulation_year()}"' in form
