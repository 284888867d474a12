"""What a unit's restructuring does to the dossiers and the council of that unit (a merge handler of
`organizations.hooks`, registered in `NominationsConfig.ready`).

When a unit ends (merged, dissolved), the dossiers waiting at it go on at its successor: their pending
steps move there (`level`), with the dossier's current level — the successor's reviewers find them in
their list; nobody is notified anew. A pending step at the authority moves too when the authority is the
closed unit (the successor then confers). The unit's council sessions not yet closed move to the
successor; the unit's council seats end on its last day."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from core.audit import audit_record

from .choices import SessionState, StepVerdict
from .models import ApprovalStep, CouncilMember, CouncilSession


def _pending_steps(source):
    return (
        ApprovalStep.objects.filter(level=source, verdict=StepVerdict.PENDING)
        .select_related("dossier")
        .order_by("dossier__title", "pk")
    )


def _open_sessions(source):
    return (
        CouncilSession.objects.filter(unit=source)
        .exclude(state=SessionState.CLOSED)
        .order_by("held_on", "pk")
    )


def _open_seats(source, on: dt.date):
    return (
        CouncilMember.objects.filter(unit=source)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def preview_nominations(*, source, target, on: dt.date) -> list[str]:
    lines = [
        f"Chuyển bước xét hồ sơ “{step.dossier.title}” sang {target.name}" for step in _pending_steps(source)
    ]
    lines += [
        f"Chuyển phiên họp Hội đồng “{session.title}” ({session.held_on:%d/%m/%Y}) sang {target.name}"
        for session in _open_sessions(source)
    ]
    lines += [
        f"Chấm dứt ghế {seat.get_role_display()} Hội đồng TĐKT của {_name(seat.user)}"
        for seat in _open_seats(source, on)
    ]
    return lines


def reroute_nominations(*, acting_user, source, target, on: dt.date, reason: str) -> str | None:
    steps = 0
    for step in _pending_steps(source).select_for_update(of=("self",)):
        dossier = step.dossier
        step.level = target
        if dossier.authority_id == source.pk:  # the closed unit was to confer: its successor does
            dossier.authority = target
        step.is_authority = dossier.authority_id == target.pk
        step.save(update_fields=["level", "is_authority"])
        dossier.current_level = target
        dossier.save(update_fields=["current_level", "authority", "updated_at"])
        audit_record(
            actor=acting_user,
            action="dossier.reroute",
            obj=dossier,
            unit=target,
            summary=f"Chuyển bước xét hồ sơ “{dossier.title}” từ “{source.name}” sang “{target.name}” "
            f"(đơn vị kết thúc hoạt động từ ngày {on:%d/%m/%Y})",
            changes={"level": [source.name, target.name]},
        )
        steps += 1
    sessions = _open_sessions(source).update(unit=target)
    last_day = on - dt.timedelta(days=1)
    seats = 0
    for seat in _open_seats(source, on).select_for_update(of=("self",)):
        seat.valid_to = max(last_day, seat.valid_from)
        seat.save(update_fields=["valid_to"])
        seats += 1
    phrases = []
    if steps:
        phrases.append(f"{steps} hồ sơ đang chờ xét")
    if sessions:
        phrases.append(f"{sessions} phiên họp Hội đồng")
    if seats:
        phrases.append(f"kết thúc {seats} ghế Hội đồng TĐKT")
    return ", ".join(phrases) or None
