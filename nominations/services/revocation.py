"""Revoking an award (R-REV-01)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.selectors import action_holders
from commendations.models import AwardRecord
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from ..workflow import AWARD
from .notify import _notify


def award_revoke(*, acting_user, record, reason: str, decision_ref: str, revoked_on: dt.date | None = None):
    """Revoke an award (false dossier, forged achievement, ...): it is marked revoked with reason and
    decision; every award that used it as a prerequisite is flagged for review — nothing is deleted."""
    if not reason.strip():
        raise ServiceError("Nhập lý do thu hồi.", field="reason")
    if not decision_ref.strip():
        raise ServiceError("Nhập số quyết định thu hồi.", field="decision_ref")
    with transaction.atomic():
        record = (
            AwardRecord.objects.select_for_update(of=("self",))
            .select_related("award_type", "scope_unit", "issuing_unit", "used_for")
            .get(pk=record.pk)
        )
        require(acting_user, Action.DECISION_ISSUE, record.issuing_unit.path)
        transition = AWARD.fire(record, "revoke", acting_user)
        record.revoked_reason = reason.strip()
        record.revocation_ref = decision_ref.strip()
        record.revoked_on = revoked_on or timezone.localdate()
        record.save(update_fields=["status", "revoked_reason", "revocation_ref", "revoked_on"])
        dependents = []
        if record.used_for_id:
            dependent = AwardRecord.objects.select_for_update(of=("self",)).get(pk=record.used_for_id)
            dependent.needs_review = True
            dependent.save(update_fields=["needs_review"])
            dependents.append(dependent)
        subject = record.person or record.unit
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=record,
            unit=record.scope_unit,
            summary=f"Thu hồi {record.award_type.name} năm {record.year} của {subject} "
            f"(QĐ {record.decision_number}) theo {record.revocation_ref}: {record.revoked_reason}",
            changes={"status": ["VALID", "REVOKED"]},
        )
        for dependent in dependents:
            audit_record(
                actor=acting_user,
                action="award.flag_review",
                obj=dependent,
                unit=dependent.scope_unit,
                summary=f"Cần xem xét lại {dependent.award_type.name} năm {dependent.year} của {subject}: "
                f"căn cứ {record.award_type.name} năm {record.year} đã bị thu hồi",
            )
        _notify(
            revocation_recipients(record),
            f"Thu hồi {record.award_type.name} năm {record.year} của {subject}"
            + (f"; {len(dependents)} khen thưởng liên quan cần xem xét lại" if dependents else ""),
            actor=acting_user,
        )
    return record


def revocation_recipients(record) -> list:
    """Who is told of a revocation: those who hold the registry (award.record) of the unit the award
    counts for and those who sign decisions (decision.issue) at the issuing unit — today."""
    return list(action_holders(action=Action.AWARD_RECORD, unit=record.scope_unit)) + list(
        action_holders(action=Action.DECISION_ISSUE, unit=record.issuing_unit)
    )
