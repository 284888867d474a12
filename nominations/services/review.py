"""Review up the hierarchy: every level opens, forwards, returns or (at the authority) accepts the
pending step; the proposer may recall an unopened dossier."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from ..choices import DossierState, ItemStatus, StepVerdict
from ..eligibility import check_items
from ..models import ApprovalStep, Dossier, NominationItem
from ..workflow import DOSSIER, recipients_for
from .common import _lock_dossier, _parent
from .notify import _notify


def _pending_step(dossier: Dossier) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.select_for_update().filter(dossier=dossier, verdict=StepVerdict.PENDING).first()
    )


def _act_on_step(acting_user, dossier: Dossier, step_id: int | None = None) -> tuple[Dossier, ApprovalStep]:
    """Lock the dossier, then the step to act on. `step_id` is the step the reviewer saw: if another
    reviewer acted first, the pending step is a different one and the second gets a clear message."""
    dossier = _lock_dossier(dossier)
    step = _pending_step(dossier)
    if (
        step is None
        or dossier.state != DossierState.IN_REVIEW
        or (step_id is not None and step.pk != step_id)
    ):
        raise ServiceError("Hồ sơ đã được xử lý ở bước này (có thể bởi người khác). Hãy tải lại trang.")
    require(acting_user, Action.NOMINATION_REVIEW, step.level.path)
    return dossier, step


def _settle(step: ApprovalStep, *, verdict: str, user, reason: str, opened: bool = True) -> None:
    """Close a pending step with its verdict; acting on a step also counts as having opened it."""
    step.verdict, step.acted_by, step.acted_at, step.reason = verdict, user, timezone.now(), reason
    if opened:
        step.opened_at = step.opened_at or step.acted_at
    step.save()


def step_open(*, acting_user, dossier: Dossier, step_id: int | None = None) -> ApprovalStep:
    """The level opens the dossier: from now on the proposer can no longer recall it."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        transition = DOSSIER.fire(dossier, "open", acting_user)  # once per step
        step.opened_at = timezone.now()
        step.opened_by = acting_user
        step.save(update_fields=["opened_at", "opened_by"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” mở hồ sơ “{dossier.title}”",
        )
    return step


def dossier_recall(*, acting_user, dossier: Dossier, reason: str = "") -> Dossier:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        step = _pending_step(dossier)
        transition = DOSSIER.fire(dossier, "recall", acting_user)  # unopened and still at its first level
        _settle(step, verdict=StepVerdict.RECALLED, user=acting_user, reason=reason.strip(), opened=False)
        dossier.current_level = None
        dossier.save()
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Rút lại hồ sơ “{dossier.title}”" + (f": {reason}" if reason else ""),
        )
    return dossier


def step_forward(*, acting_user, dossier: Dossier, note: str = "", step_id: int | None = None) -> Dossier:
    """An intermediate level agrees and sends the dossier to the next level up."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        transition = DOSSIER.fire(dossier, "forward", acting_user)  # an intermediate level only
        next_level = _parent(step.level)
        _settle(step, verdict=StepVerdict.FORWARDED, user=acting_user, reason=note)
        ApprovalStep.objects.create(
            dossier=dossier,
            level=next_level,
            round=step.round,
            is_authority=next_level.pk == dossier.authority_id,
        )
        dossier.current_level = next_level
        dossier.save(update_fields=["current_level", "updated_at"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” chuyển hồ sơ “{dossier.title}” lên “{next_level.name}”"
            + (f": {note}" if note else ""),
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ chờ xét: {dossier.title}",
            dossier.get_absolute_url(),
            actor=acting_user,
        )
    return dossier


def step_return(
    *,
    acting_user,
    dossier: Dossier,
    reason: str,
    items: list[NominationItem] | None = None,
    step_id: int | None = None,
) -> Dossier:
    """Return the dossier (or some nominees in it) to the proposing unit with a reason."""
    if not reason.strip():
        raise ServiceError("Nhập lý do trả lại để đơn vị đề nghị biết cần sửa gì.", field="reason")
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        transition = DOSSIER.fire(dossier, "return", acting_user)
        _settle(step, verdict=StepVerdict.RETURNED, user=acting_user, reason=reason.strip())
        targets = items if items else list(dossier.items.all())
        NominationItem.objects.filter(pk__in=[i.pk for i in targets]).update(
            status=ItemStatus.RETURNED, returned_reason=reason.strip()
        )
        dossier.current_level = dossier.proposing_unit
        dossier.save()
        names = ", ".join(str(i.nominee) for i in targets)
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” trả lại hồ sơ “{dossier.title}” ({names}): {reason.strip()}",
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ bị trả lại: {dossier.title} — {reason.strip()}",
            dossier.get_absolute_url(),
            actor=acting_user,
        )
    return dossier


def step_accept(*, acting_user, dossier: Dossier, note: str = "", step_id: int | None = None) -> Dossier:
    """The authority receives the dossier: its date selects the rule set in force (R-GEN-02)."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        items = list(dossier.items.select_related("award_type", "person", "unit"))
        needs_posting = any(getattr(i.award_type, "requires_public_posting", False) for i in items)
        # at the authority only
        transition = DOSSIER.fire(
            dossier,
            "accept",
            acting_user,
            to=DossierState.POSTED if needs_posting else DossierState.IN_COUNCIL,
        )
        _settle(step, verdict=StepVerdict.ACCEPTED, user=acting_user, reason=note)
        dossier.received_on = timezone.localdate()
        check_items(items=items, received_on=dossier.received_on, year=dossier.year)
        dossier.save()
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” tiếp nhận hồ sơ “{dossier.title}” ngày {dossier.received_on:%d/%m/%Y}"
            + ("; cần công khai lấy ý kiến" if needs_posting else ""),
        )
    return dossier
