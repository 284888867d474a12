import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from core.exceptions import ServiceError
from core.models import AuditEvent
from initiatives import services
from initiatives.choices import Level, Status, Verdict
from initiatives.models import Initiative, InitiativeReview

SCORES = {"novelty": 8, "applicability": 9, "effectiveness": 7}


def _data(tree, **over):
    return {
        "title": "Cải tiến quy trình cắt vải giảm hao hụt nguyên liệu",
        "description": "Sắp xếp lại sơ đồ giác mẫu.",
        "unit": tree.ubnd,
        "year": 2024,
        "field": "KY_THUAT",
        **over,
    }


def test_create_records_authors_shares_search_text_and_audit(make_initiative, tree, officer):
    initiative = make_initiative()
    assert initiative.status == Status.DRAFT
    assert initiative.created_by == officer
    assert [(a.person, a.share_percent) for a in initiative.authors.all()] == [
        (tree.an, Decimal("60.00")),
        (tree.hoa, Decimal("40.00")),
    ]
    assert "ho so mot cua" in initiative.search_text
    event = AuditEvent.objects.get(action="initiative.create")
    assert event.object_id == str(initiative.pk) and event.unit == tree.ubnd
    assert "Nguyễn Văn An (60%)" in event.changes["authors"][1]


@pytest.mark.parametrize("shares", [(60, 30), (70, 40)])
def test_shares_not_summing_to_100_are_refused_in_vietnamese(tree, officer, shares):
    with pytest.raises(ServiceError) as exc:
        services.initiative_create(
            acting_user=officer, data=_data(tree), authors=[(tree.an, shares[0]), (tree.hoa, shares[1])]
        )
    assert "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%" in exc.value.message
    assert exc.value.field == "authors"
    assert not Initiative.objects.exists()


def test_decimal_shares_and_author_rules(tree, officer):
    thirds = [(tree.an, "33.33"), (tree.hoa, "33.33"), (tree.chu_tich, "33.34")]
    assert (
        services.initiative_create(acting_user=officer, data=_data(tree), authors=thirds).authors.count() == 3
    )
    with pytest.raises(ServiceError, match="ít nhất một tác giả"):
        services.initiative_create(acting_user=officer, data=_data(tree), authors=[])
    with pytest.raises(ServiceError, match="hai lần"):
        services.initiative_create(
            acting_user=officer, data=_data(tree), authors=[(tree.an, 50), (tree.an, 50)]
        )
    with pytest.raises(ServiceError, match="không sinh hoạt công đoàn tại"):
        services.initiative_create(acting_user=officer, data=_data(tree), authors=[(tree.minh_khai, 100)])
    with pytest.raises(ServiceError, match="Tên sáng kiến"):
        services.initiative_create(
            acting_user=officer, data=_data(tree, title="  "), authors=[(tree.an, 100)]
        )


def test_outside_scope_is_permission_denied(tree, make_user):
    hbt_officer = make_user(Role.OFFICER, tree.hbt)
    with pytest.raises(PermissionDenied):
        services.initiative_create(acting_user=hbt_officer, data=_data(tree), authors=[(tree.an, 100)])


def test_member_registers_their_own_initiative_but_not_for_others(tree, member):
    own = services.initiative_create(acting_user=member, data=_data(tree), authors=[(tree.an, 100)])
    assert own.created_by == member
    with_colleague = services.initiative_create(
        acting_user=member, data=_data(tree, title="Sổ tay điện tử"), authors=[(tree.an, 50), (tree.hoa, 50)]
    )
    assert with_colleague.authors.count() == 2
    with pytest.raises(PermissionDenied):
        services.initiative_create(acting_user=member, data=_data(tree), authors=[(tree.hoa, 100)])
    # not at a unit above their CĐCS, nor in another union
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            acting_user=member, data=_data(tree, unit=tree.md), authors=[(tree.an, 100)]
        )
    # their own draft they may edit and submit
    services.initiative_update(
        acting_user=member, initiative=own, data=_data(tree, description="Mô tả mới, đầy đủ hơn.")
    )
    assert services.initiative_submit(acting_user=member, initiative=own).status == Status.SUBMITTED


def test_update_is_for_drafts_only_and_audits_the_diff(make_initiative, tree, officer):
    initiative = make_initiative()
    services.initiative_update(
        acting_user=officer,
        initiative=initiative,
        data=_data(tree, title="Phần mềm một cửa điện tử", description="Mô tả."),
        authors=[(tree.an, 100)],
    )
    event = AuditEvent.objects.get(action="initiative.update")
    assert event.changes["title"][1] == "Phần mềm một cửa điện tử"
    assert event.changes["authors"] == ["Nguyễn Văn An (60%); Trần Thị Hoa (40%)", "Nguyễn Văn An (100%)"]
    services.initiative_submit(acting_user=officer, initiative=initiative)
    with pytest.raises(ServiceError, match="bản nháp"):
        services.initiative_update(acting_user=officer, initiative=initiative, data=_data(tree))
    with pytest.raises(ServiceError, match="đã được nộp"):
        services.initiative_submit(acting_user=officer, initiative=initiative)


def test_submit_needs_a_description(make_initiative, officer):
    initiative = make_initiative(description="")
    with pytest.raises(ServiceError, match="mô tả nội dung"):
        services.initiative_submit(acting_user=officer, initiative=initiative)


def test_review_once_per_reviewer_moves_to_under_review(make_initiative, council, tree, make_user):
    initiative = make_initiative(submit=True)
    review = services.initiative_review(
        acting_user=council,
        initiative=initiative,
        scores=SCORES,
        verdict=Verdict.ACCEPT,
        comment="Thiết thực.",
    )
    assert review.total == 24
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW
    with pytest.raises(ServiceError, match="đã chấm"):
        services.initiative_review(
            acting_user=council, initiative=initiative, scores=SCORES, verdict="ACCEPT"
        )
    with pytest.raises(ServiceError, match="từ 0 đến 10"):
        services.initiative_review(
            acting_user=make_user(Role.COUNCIL, tree.md),
            initiative=initiative,
            scores={**SCORES, "novelty": 11},
            verdict="ACCEPT",
        )
    leader = make_user(Role.LEADER, tree.md)
    with pytest.raises(PermissionDenied):
        services.initiative_review(acting_user=leader, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    assert InitiativeReview.objects.count() == 1
    assert AuditEvent.objects.filter(action="initiative.review", object_id=str(initiative.pk)).count() == 1


def test_author_may_not_review_own_and_drafts_are_not_reviewed(make_initiative, tree, make_user):
    initiative = make_initiative()
    council_an = make_user(Role.COUNCIL, tree.md, person=tree.an)
    with pytest.raises(ServiceError, match="giai đoạn chấm"):
        services.initiative_review(
            acting_user=council_an, initiative=initiative, scores=SCORES, verdict="ACCEPT"
        )
    initiative = make_initiative(title="Khác", submit=True)
    with pytest.raises(ServiceError, match="Tác giả không được chấm"):
        services.initiative_review(
            acting_user=council_an, initiative=initiative, scores=SCORES, verdict="ACCEPT"
        )


def test_decide_recognises_within_the_council_level(make_initiative, council, tree, make_user):
    initiative = make_initiative(submit=True)
    with pytest.raises(ServiceError, match="chưa có phiếu chấm"):
        services.initiative_decide(
            acting_user=council,
            initiative=initiative,
            recognize=True,
            level=Level.CO_SO,
            recognized_on=dt.date(2024, 12, 20),
            decision_ref="15/QĐ-LĐLĐ",
        )
    services.initiative_review(acting_user=council, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    # a district council may not confer the provincial level
    with pytest.raises(ServiceError, match="không được công nhận sáng kiến cấp tỉnh"):
        services.initiative_decide(
            acting_user=council,
            initiative=initiative,
            recognize=True,
            level=Level.TINH_BO,
            recognized_on=dt.date(2024, 12, 20),
            decision_ref="15/QĐ-LĐLĐ",
        )
    with pytest.raises(ServiceError, match="số quyết định"):
        services.initiative_decide(
            acting_user=council,
            initiative=initiative,
            recognize=True,
            level=Level.CO_SO,
            recognized_on=dt.date(2024, 12, 20),
        )
    done = services.initiative_decide(
        acting_user=council,
        initiative=initiative,
        recognize=True,
        level=Level.CO_SO,
        recognized_on=dt.date(2024, 12, 20),
        decision_ref="15/QĐ-LĐLĐ",
    )
    assert done.status == Status.RECOGNIZED and done.recognition_level == Level.CO_SO
    assert done.decision_unit == tree.md
    event = AuditEvent.objects.get(action="initiative.decide")
    assert "Công nhận sáng kiến" in event.summary and "15/QĐ-LĐLĐ" in event.summary
    with pytest.raises(ServiceError, match="giai đoạn xét"):
        services.initiative_decide(acting_user=council, initiative=done, recognize=False, reason="x")


def test_provincial_council_confers_provincial_level_only(make_initiative, tree, make_user):
    initiative = make_initiative(submit=True)
    hanoi = make_user(Role.COUNCIL, tree.hn)
    services.initiative_review(acting_user=hanoi, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    assert services.allowed_levels(services.deciding_unit(hanoi, initiative)) == [Level.CO_SO, Level.TINH_BO]
    with pytest.raises(ServiceError, match="toàn quốc"):
        services.initiative_decide(
            acting_user=hanoi,
            initiative=initiative,
            recognize=True,
            level=Level.TOAN_QUOC,
            recognized_on=dt.date(2024, 12, 20),
            decision_ref="1/QĐ",
        )
    done = services.initiative_decide(
        acting_user=hanoi,
        initiative=initiative,
        recognize=True,
        level=Level.TINH_BO,
        recognized_on=dt.date(2024, 12, 20),
        decision_ref="88/QĐ-LĐLĐ",
    )
    assert done.recognition_level == Level.TINH_BO and done.decision_unit == tree.hn


def test_reject_needs_a_reason_and_outsiders_are_denied(make_initiative, council, tree, make_user):
    initiative = make_initiative(submit=True)
    with pytest.raises(ServiceError, match="lý do"):
        services.initiative_decide(acting_user=council, initiative=initiative, recognize=False)
    with pytest.raises(PermissionDenied):
        services.initiative_decide(
            acting_user=make_user(Role.COUNCIL, tree.hbt), initiative=initiative, recognize=False, reason="x"
        )
    done = services.initiative_decide(
        acting_user=council, initiative=initiative, recognize=False, reason="Trùng với sáng kiến năm 2023."
    )
    assert done.status == Status.REJECTED and done.decision_note == "Trùng với sáng kiến năm 2023."
