"""Issue 11, declared workflows: the dossier workflow is one table (`nominations.workflow.DOSSIER`);
the dossier page renders exactly the transitions the user may fire, so no rendered button or link ends
in 403; the services refuse what `allowed` does not list; RECALLED is a real state; notifications go
to those who hold the needed action on the level today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from core.access import Action
from core.exceptions import ServiceError
from core.tests.rendered import follow_rendered, in_rollback
from core.workflow import Transition, Workflow
from nominations import services
from nominations.choices import DossierState, StepVerdict
from nominations.models import Dossier, Notification, PublicComment
from nominations.selectors import inbox
from nominations.services import approval
from nominations.workflow import DOSSIER, allowed_names, recipients_for

from .conftest import attach_documents

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# --- building a dossier in each state ----------------------------------------------------------------

STAGES = [
    "DRAFT",
    "IN_REVIEW",  # at the district, unopened: the proposer may still recall
    "OPENED",  # the district opened it
    "AT_AUTHORITY",  # forwarded to the city (the authority)
    "RETURNED",
    "RECALLED",
    "POSTED",  # accepted, waiting for its public posting
    "POSTING",  # posted, a comment waiting for moderation
    "IN_COUNCIL",  # posting closed
    "VOTED",  # the council session is closed
    "DECIDED",
    "REJECTED",
]


def build(stage: str, tree, people, award) -> Dossier:
    cdcs, district, city = people["cdcs"], people["district"], people["city"]
    dossier = services.dossier_create(
        acting_user=cdcs, proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title=f"Hồ sơ {stage}"
    )
    services.item_add(
        acting_user=cdcs,
        dossier=dossier,
        award_type=award,
        person=tree.an,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025",
    )
    attach_documents(cdcs, dossier)
    steps = [
        ("IN_REVIEW", lambda: services.dossier_submit(acting_user=cdcs, dossier=dossier)),
        ("OPENED", lambda: services.step_open(acting_user=district, dossier=dossier)),
        ("AT_AUTHORITY", lambda: services.step_forward(acting_user=district, dossier=dossier)),
        ("POSTED", lambda: services.step_accept(acting_user=city, dossier=dossier)),
        (
            "POSTING",
            lambda: services.comment_add(
                posting=services.posting_open(
                    acting_user=city, dossier=dossier, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=10)
                ),
                author_name="Một đoàn viên",
                contact="",
                text="Đồng tình.",
            ),
        ),
        (
            "IN_COUNCIL",
            lambda: services.posting_close(acting_user=city, dossier=dossier, early_reason="Đủ ý kiến"),
        ),
        ("VOTED", lambda: vote(tree, people, dossier, yes=stage != "REJECTED")),
        ("DECIDED", lambda: decide(people, dossier)),
    ]
    if stage == "RETURNED":
        services.dossier_submit(acting_user=cdcs, dossier=dossier)
        services.step_return(acting_user=district, dossier=dossier, reason="Bổ sung số liệu")
    elif stage == "RECALLED":
        services.dossier_submit(acting_user=cdcs, dossier=dossier)
        services.dossier_recall(acting_user=cdcs, dossier=dossier)
    elif stage != "DRAFT":
        target = "DECIDED" if stage == "REJECTED" else stage
        for name, step in steps:
            step()
            if name == target:
                break
    dossier.refresh_from_db()
    expected = {
        "IN_REVIEW": "IN_REVIEW",
        "OPENED": "IN_REVIEW",
        "AT_AUTHORITY": "IN_REVIEW",
        "POSTING": "POSTED",
        "VOTED": "IN_COUNCIL",
    }.get(stage, stage)
    assert dossier.state == expected
    return dossier


def vote(tree, people, dossier, *, yes: bool):
    session = services.council_session_open(
        acting_user=people["city"], unit=tree.hn, title="Phiên xét", held_on=TODAY, dossiers=[dossier]
    )
    if yes:
        for member in people["council"]:
            for item in dossier.items.all():
                services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    services.council_session_close(acting_user=people["city"], session=session)


def decide(people, dossier):
    services.decision_issue(
        acting_user=people["leader"],
        dossier=dossier,
        issued_on=TODAY,
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )


@pytest.fixture
def everyone(tree, people, make_user):
    """Every role at the proposing unit, the intermediate level and the authority, and a council seat."""
    users = {
        f"{role}@{unit.code}": make_user(role, unit)
        for role in Role.values
        for unit in (tree.ubnd, tree.md, tree.hn)
    }
    users["council seat"] = people["council"][0]
    return users


# --- acceptance 3: no rendered action ends in 403 -------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_every_rendered_action_is_allowed(client, tree, people, bk_city, everyone, stage):
    dossier = build(stage, tree, people, bk_city)
    url = f"/de-nghi/{dossier.pk}/"
    seen = followed = 0
    for label, user in everyone.items():
        client.force_login(user)
        page = client.get(url)
        if page.status_code in (403, 404):
            continue
        assert page.status_code == 200, label
        seen += 1
        # what the page offers is exactly what the workflow allows this user
        names = allowed_names(dossier, user)
        html = page.content.decode()
        for name, marker in (
            ("submit", 'value="submit"'),
            ("recall", 'value="recall"'),
            ("open", 'value="open"'),
            ("forward", 'value="forward"'),
            ("accept", 'value="accept"'),
            ("return", 'value="return"'),
            ("post", 'value="post"'),
            ("close_posting", 'data-action="close_posting"'),
            ("decide", 'value="decide"'),
            ("approve", 'value="approve"'),
            ("edit", f"/de-nghi/{dossier.pk}/de-nghi/"),
        ):
            assert (marker in html) == (name in names), (label, stage, name)
        followed += follow_rendered(client, html, (label, stage))
    assert seen and followed


# the service behind each transition, called as the screens call it
SERVICES = {
    "edit": lambda u, d: services.item_update(
        acting_user=u, item=d.items.first(), achievement_summary="Sửa", override_reason=""
    ),
    "submit": lambda u, d: services.dossier_submit(acting_user=u, dossier=d),
    "recall": lambda u, d: services.dossier_recall(acting_user=u, dossier=d),
    "open": lambda u, d: services.step_open(acting_user=u, dossier=d),
    "forward": lambda u, d: services.step_forward(acting_user=u, dossier=d),
    "return": lambda u, d: services.step_return(acting_user=u, dossier=d, reason="Bổ sung"),
    "accept": lambda u, d: services.step_accept(acting_user=u, dossier=d),
    "post": lambda u, d: services.posting_open(
        acting_user=u, dossier=d, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=5)
    ),
    "moderate": lambda u, d: services.comment_moderate(
        acting_user=u, comment=PublicComment.objects.get(posting__dossier=d), publish=True
    ),
    "close_posting": lambda u, d: services.posting_close(acting_user=u, dossier=d, early_reason="Đủ ý kiến"),
    "approve": lambda u, d: approval.dossier_approve(
        acting_user=u, dossier=d, verdicts={i.pk: True for i in d.items.all()}
    ),
    "decide": lambda u, d: services.decision_issue(
        acting_user=u, dossier=d, issued_on=TODAY, signer_name="A", signer_title="Chủ tịch", symbol="QĐ"
    ),
}


@pytest.mark.parametrize("stage", STAGES)
def test_services_refuse_what_allowed_does_not_list(tree, people, bk_city, everyone, stage):
    dossier = build(stage, tree, people, bk_city)
    has_comment = PublicComment.objects.filter(posting__dossier=dossier).exists()
    refused = fired = 0
    for user in {**everyone, "cdcs": people["cdcs"], "leader": people["leader"]}.values():
        names = allowed_names(dossier, user)
        assert ("decide" in names) == ("reject" in names)  # one form, the tally picks the outcome
        for name, call in SERVICES.items():
            if name == "moderate" and not has_comment:
                continue
            if name in names:
                in_rollback(lambda call=call, user=user: call(user, Dossier.objects.get(pk=dossier.pk)))
                fired += 1
            else:
                with pytest.raises((PermissionDenied, ServiceError)):
                    in_rollback(lambda call=call, user=user: call(user, Dossier.objects.get(pk=dossier.pk)))
                refused += 1
    assert refused
    if stage not in ("IN_COUNCIL", "DECIDED", "REJECTED"):  # the council session is opened elsewhere
        assert fired, stage


def test_every_state_change_goes_through_the_table():
    """Each dossier state but DRAFT is reached by a declared transition; each transition leaves from
    declared states and names its audit action."""
    reached = {target for t in DOSSIER.transitions for target in t.targets}
    assert reached == set(DossierState.values) - {DossierState.DRAFT}
    for transition in DOSSIER.transitions:
        assert set(transition.sources) <= set(DossierState.values)
        assert transition.label
        assert transition.audit or transition.name == "edit"


def test_generic_engine_checks_state_permission_and_guard(tree, make_user):
    class Thing:
        def __init__(self, state):
            self.state, self.unit = state, tree.md

    flow = Workflow(
        [
            Transition("go", ("A",), "B", Action.MOVEMENT_MANAGE, lambda o: o.unit, "Đi"),
            Transition(
                "stop",
                ("A", "B"),
                "C",
                Action.MOVEMENT_MANAGE,
                lambda o: o.unit,
                "Dừng",
                guard=lambda o, u: "Chưa được dừng." if o.state == "A" else None,
            ),
            Transition("split", ("B",), ("D", "E"), Action.MOVEMENT_MANAGE, lambda o: o.unit, "Tách"),
        ]
    )
    officer, outsider = make_user(Role.OFFICER, tree.md), make_user(Role.OFFICER, tree.hbt)
    thing = Thing("A")
    assert [t.name for t in flow.allowed(thing, officer)] == ["go"]
    assert flow.allowed(thing, outsider) == []
    with pytest.raises(PermissionDenied):
        flow.fire(thing, "go", outsider)
    with pytest.raises(ServiceError, match="Chưa được dừng"):
        flow.fire(thing, "stop", officer)
    with pytest.raises(ServiceError):
        flow.fire(thing, "split", officer)
    assert flow.fire(thing, "go", officer).name == "go" and thing.state == "B"
    with pytest.raises(ValueError):
        flow.fire(thing, "split", officer)  # two targets: the service must say which
    flow.fire(thing, "split", officer, to="E")
    assert thing.state == "E"
    with pytest.raises(ValueError):
        Workflow([flow["go"], flow["go"]])


# --- acceptance 3: RECALLED is a real state ---------------------------------------------------------


def test_recalled_dossier_is_edited_and_resubmitted(client, tree, people, bk_city):
    from nominations.metrics import nominations as nomination_rows

    dossier = build("IN_REVIEW", tree, people, bk_city)
    services.dossier_recall(acting_user=people["cdcs"], dossier=dossier, reason="Bổ sung người")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECALLED and dossier.current_level is None
    assert dossier.steps.get().verdict == StepVerdict.RECALLED
    assert not Notification.objects.filter(text__contains="Hồ sơ chờ xét").exists()
    # withdrawn: not counted among the unit's nominations
    assert not list(nomination_rows(2025, tree.ubnd.path))
    # the preparer finds it among their drafts and may edit and resubmit it
    assert dossier in inbox(user=people["cdcs"])["drafts"]
    assert allowed_names(dossier, people["cdcs"]) == {"edit", "submit"}
    client.force_login(people["cdcs"])
    page = client.get(f"/de-nghi/{dossier.pk}/").content.decode()
    assert "Đã rút lại" in page and "Gửi lên cấp trên" in page and "Thêm đề nghị" in page
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=bk_city,
        person=tree.hoa,
        achievement_summary="Thêm người sau khi rút lại",
    )
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_REVIEW and dossier.items.count() == 2
    assert dossier.steps.filter(verdict=StepVerdict.PENDING).get().round == 2
    assert list(nomination_rows(2025, tree.ubnd.path))


# --- acceptance 3: notification recipients ----------------------------------------------------------


def assign(user, role, unit, *, subtree=True, start=dt.date(2020, 1, 1), end=None):
    RoleAssignment.objects.create(
        user=user, role=role, unit=unit, include_subtree=subtree, valid_from=start, valid_to=end
    )
    return user


def test_recipients_hold_the_action_on_the_level_today(tree, people, bk_city, make_user):
    ended = assign(make_user(), Role.OFFICER, tree.md, end=TODAY - dt.timedelta(days=1))
    future = assign(make_user(), Role.OFFICER, tree.md, start=TODAY + dt.timedelta(days=1))
    until_today = assign(make_user(), Role.OFFICER, tree.md, end=TODAY)
    leader = make_user(Role.LEADER, tree.md)  # signs decisions, does not review
    city_subtree = make_user(Role.OFFICER, tree.hn)  # an ancestor with its subtree
    city_only = make_user(Role.OFFICER, tree.hn, include_subtree=False)
    below = make_user(Role.OFFICER, tree.ubnd)  # below the level
    sibling = make_user(Role.OFFICER, tree.hbt)
    inactive = make_user(Role.OFFICER, tree.md, is_active=False)

    dossier = build("IN_REVIEW", tree, people, bk_city)
    told = set(Notification.objects.filter(text__contains="Hồ sơ mới chờ xét").values_list("user", flat=True))
    assert told == {people["district"].pk, until_today.pk, city_subtree.pk, people["city"].pk}
    for nobody in (ended, future, leader, city_only, below, sibling, inactive, people["cdcs"]):
        assert nobody.pk not in told
    assert set(recipients_for(dossier, "submit")) == {
        people["district"],
        until_today,
        city_subtree,
        people["city"],
    }


def test_returned_and_decided_dossiers_tell_the_preparers_of_today(tree, people, bk_city, make_user):
    ended = assign(make_user(), Role.OFFICER, tree.ubnd, end=TODAY - dt.timedelta(days=30))
    leader_ubnd = make_user(Role.LEADER, tree.ubnd)  # not a preparer
    dossier = build("IN_REVIEW", tree, people, bk_city)
    services.step_return(acting_user=people["district"], dossier=dossier, reason="Bổ sung số liệu")
    returned = set(Notification.objects.filter(text__contains="trả lại").values_list("user", flat=True))
    # the proposing unit's officer and those above it with a subtree; never the one who returned it
    assert returned == {people["cdcs"].pk, people["city"].pk}
    assert ended.pk not in returned and leader_ubnd.pk not in returned
    decided = build("DECIDED", tree, people, bk_city)
    told = set(Notification.objects.filter(text__contains="Quyết định số").values_list("user", flat=True))
    assert told == {people["cdcs"].pk, people["district"].pk, people["city"].pk}
    assert set(recipients_for(decided, "decide")) == {people["cdcs"], people["district"], people["city"]}
    assert recipients_for(decided, "accept") == []  # no one is told of an acceptance


def test_revocation_tells_registry_keepers_and_signers_of_today(tree, make_user):
    from commendations.models import AwardRecord, AwardType

    ended = assign(make_user(), Role.OFFICER, tree.ubnd, end=TODAY - dt.timedelta(days=1))
    keeper = make_user(Role.OFFICER, tree.ubnd)
    signer = make_user(Role.LEADER, tree.hn)
    retired_signer = assign(make_user(), Role.LEADER, tree.hn, end=TODAY - dt.timedelta(days=1))
    record = AwardRecord.objects.create(
        person=tree.an,
        scope_unit=tree.t1,
        award_type=AwardType.objects.get(code="CSTDCS"),
        year=2023,
        decision_number="5/QĐ-LĐLĐ",
        decision_date=dt.date(2024, 1, 10),
        issuing_unit=tree.hn,
        achievement_id="X-1",
    )
    services.award_revoke(
        acting_user=signer, record=record, reason="Hồ sơ không trung thực", decision_ref="9/QĐ"
    )
    told = set(Notification.objects.filter(text__contains="Thu hồi").values_list("user", flat=True))
    assert keeper.pk in told and ended.pk not in told and retired_signer.pk not in told
    assert signer.pk not in told  # the one who revoked


# --- the award registry shows "Thu hồi" only to who may revoke ----------------------------------------


def test_registry_revoke_link_only_for_the_issuing_side(client, tree, make_user):
    from commendations.models import AwardRecord, AwardType

    record = AwardRecord.objects.create(
        person=tree.an,
        scope_unit=tree.t1,
        award_type=AwardType.objects.get(code="CSTDCS"),
        year=2023,
        decision_number="5/QĐ-LĐLĐ",
        decision_date=dt.date(2024, 1, 10),
        issuing_unit=tree.hn,
        achievement_id="X-2",
    )
    revoke_url = f"/de-nghi/thu-hoi/{record.pk}/"
    registry = f"/khen-thuong/so-khen-thuong/?don_vi={tree.ubnd.pk}"
    shown = 0
    for role in Role.values:
        for unit in (tree.ubnd, tree.md, tree.hn):
            user = make_user(role, unit)
            client.force_login(user)
            page = client.get(registry)
            if page.status_code != 200:
                continue
            offered = revoke_url in page.content.decode()
            assert offered == (role in (Role.ADMIN, Role.LEADER) and unit == tree.hn), (role, unit.code)
            if offered:
                shown += 1
                assert client.get(revoke_url).status_code == 200
                response = in_rollback(
                    lambda: client.post(
                        revoke_url, {"decision_ref": "9/QĐ", "revoked_on": TODAY.isoformat(), "reason": "Sai"}
                    )
                )
                assert response.status_code == 302, (role, unit.code)
    assert shown == 2
    record.status = "REVOKED"
    record.save()
    client.force_login(make_user(Role.LEADER, tree.hn))
    assert revoke_url not in client.get(registry).content.decode()
