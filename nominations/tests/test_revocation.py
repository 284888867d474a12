"""R-REV-01: a revoked award is marked with reason and decision; awards that used it as a prerequisite are
flagged for review, never deleted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(tree):
    """An, CSTĐ cơ sở 2022–2024 (used), then CSTĐ cấp bộ 2024 built on them."""
    cstdcs, cstd_bo = AwardType.objects.get(code="CSTDCS"), AwardType.objects.get(code="CSTD_BO")
    higher = AwardRecord.objects.create(
        person=tree.an,
        scope_unit=tree.t1,
        award_type=cstd_bo,
        year=2024,
        decision_number="12/QĐ-LĐLĐ",
        decision_date=dt.date(2025, 1, 20),
        issuing_unit=tree.hn,
    )
    lower = [
        AwardRecord.objects.create(
            person=tree.an,
            scope_unit=tree.t1,
            award_type=cstdcs,
            year=year,
            decision_number=f"{year % 100}/QĐ-CĐCS",
            decision_date=dt.date(year, 12, 20),
            issuing_unit=tree.md,
            used_for=higher,
        )
        for year in (2022, 2023, 2024)
    ]
    return higher, lower


def test_revoke_flags_dependents_and_deletes_nothing(tree, make_user, chain):
    higher, lower = chain
    leader = make_user(Role.LEADER, tree.md)
    services.award_revoke(
        acting_user=leader,
        record=lower[1],
        reason="Hồ sơ thành tích không trung thực",
        decision_ref="05/QĐ-LĐLĐ",
    )
    revoked = AwardRecord.objects.get(pk=lower[1].pk)
    assert revoked.status == "REVOKED" and revoked.revocation_ref == "05/QĐ-LĐLĐ"
    assert revoked.revoked_reason == "Hồ sơ thành tích không trung thực"
    higher.refresh_from_db()
    assert higher.needs_review and higher.status == "VALID"
    assert AwardRecord.objects.count() == 4
    assert AuditEvent.objects.filter(action="award.revoke").count() == 1
    assert AuditEvent.objects.filter(action="award.flag_review", object_id=str(higher.pk)).exists()
    with pytest.raises(ServiceError, match="đã bị thu hồi"):
        services.award_revoke(acting_user=leader, record=revoked, reason="x", decision_ref="y")


def test_only_the_issuing_side_may_revoke(tree, make_user, chain):
    _, lower = chain
    with pytest.raises(PermissionDenied):
        services.award_revoke(
            acting_user=make_user(Role.LEADER, tree.hbt), record=lower[0], reason="x", decision_ref="y"
        )
    with pytest.raises(PermissionDenied):
        services.award_revoke(
            acting_user=make_user(Role.OFFICER, tree.md), record=lower[0], reason="x", decision_ref="y"
        )


def test_revoke_screen(client, tree, make_user, chain):
    higher, lower = chain
    client.force_login(make_user(Role.LEADER, tree.md))
    url = f"/de-nghi/thu-hoi/{lower[0].pk}/"
    assert "Thu hồi Chiến sĩ thi đua cơ sở năm 2022" in client.get(url).content.decode()
    response = client.post(url, {"decision_ref": "", "revoked_on": "2026-11-01", "reason": ""})
    assert response.status_code == 200 and AwardRecord.objects.get(pk=lower[0].pk).status == "VALID"
    response = client.post(
        url, {"decision_ref": "07/QĐ-LĐLĐ", "revoked_on": "2026-11-01", "reason": "Trùng thành tích"}
    )
    assert response.status_code == 302 and AwardRecord.objects.get(pk=lower[0].pk).status == "REVOKED"
    client.force_login(make_user(Role.LEADER, tree.hbt))
    assert client.get(f"/de-nghi/thu-hoi/{lower[1].pk}/").status_code == 404
    client.force_login(make_user(Role.COUNCIL, tree.hn))
    assert client.get(f"/de-nghi/thu-hoi/{lower[1].pk}/").status_code == 403
