"""Hand-entered award history: R-ORG-02 issuer validity and authority, duplicates, R-GEN-01, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from commendations import services
from commendations.models import AwardRecord, AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def enter(officer, tree, **extra):
    kwargs = {
        "acting_user": officer,
        "award_type": AwardType.objects.get(code="GK"),
        "year": 2024,
        "decision_number": "45/QĐ-LĐLĐ",
        "decision_date": dt.date(2024, 12, 20),
        "issuing_unit": tree.md,
        "person": tree.an,
    }
    kwargs.update(extra)
    return services.award_record_enter(**kwargs)


def test_enter_a_giay_khen(officer, tree):
    record = enter(officer, tree, achievement_id="GK-2024-AN")
    assert record.scope_unit == tree.t1 and record.status == "VALID" and record.entered_by == officer
    event = AuditEvent.objects.get(action="award.record", object_id=str(record.pk))
    assert "Giấy khen năm 2024 cho Nguyễn Văn An" in event.summary and event.unit == tree.t1


def test_collective_award(officer, tree):
    record = enter(officer, tree, person=None, unit=tree.t1, award_type=AwardType.objects.get(code="TTLDTT"))
    assert record.unit == tree.t1 and record.scope_unit == tree.t1 and record.person is None


def test_issuer_that_no_longer_existed_is_refused(officer, tree):
    tree.md.valid_to = dt.date(2025, 6, 30)
    tree.md.save()
    with pytest.raises(ServiceError) as exc:
        enter(officer, tree, year=2025, decision_date=dt.date(2025, 8, 15))
    assert (
        "«Liên đoàn Lao động huyện Mỹ Đức» không tồn tại vào ngày quyết định 15/08/2025" in exc.value.message
    )
    assert "quyết định không hợp lệ" in exc.value.message and "R-ORG-02" not in exc.value.message
    assert not AwardRecord.objects.exists()


def test_issuer_without_authority_for_the_award_is_refused(officer, tree):
    with pytest.raises(ServiceError) as exc:
        enter(officer, tree, award_type=AwardType.objects.get(code="BK_LDLD"))
    assert "«Liên đoàn Lao động huyện Mỹ Đức» (Liên đoàn Lao động quận, huyện) không có thẩm quyền tặng" in (
        exc.value.message
    )
    assert exc.value.message.endswith("vào ngày 20/12/2024.")
    record = enter(officer, tree, award_type=AwardType.objects.get(code="BK_LDLD"), issuing_unit=tree.hn)
    assert record.issuing_unit == tree.hn


def test_duplicates_and_reused_achievement_are_refused(officer, tree):
    enter(officer, tree, achievement_id="TT-1")
    with pytest.raises(ServiceError, match="đã có Giấy khen năm 2024"):
        enter(officer, tree)
    with pytest.raises(ServiceError, match="mỗi thành tích chỉ làm căn cứ cho một khen thưởng"):
        enter(officer, tree, decision_number="46/QĐ-LĐLĐ", achievement_id="TT-1")
    ldtt = AwardType.objects.get(code="LDTT")
    enter(officer, tree, award_type=ldtt, decision_number="12/QĐ-LĐLĐ")
    with pytest.raises(ServiceError, match="đã có danh hiệu Lao động tiên tiến năm 2024"):
        enter(officer, tree, award_type=ldtt, decision_number="13/QĐ-LĐLĐ")
    assert AwardRecord.objects.count() == 2


def test_other_refusals(officer, tree, make_user):
    with pytest.raises(ServiceError, match="chỉ tặng cho tập thể"):
        enter(officer, tree, award_type=AwardType.objects.get(code="TTLDTT"))
    with pytest.raises(ServiceError, match="đúng một đối tượng"):
        enter(officer, tree, unit=tree.t1)
    with pytest.raises(ServiceError, match="tương lai"):
        enter(officer, tree, decision_date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        enter(make_user(Role.OFFICER, tree.nb), tree)
    with pytest.raises(PermissionDenied):
        enter(make_user(Role.LEADER, tree.md), tree)
