"""What a unit's restructuring does to the emulation movements it launched (a merge handler of
`organizations.hooks`, registered in `MovementsConfig.ready`).

When a unit ends (merged, consolidated, dissolved, split) on `on`, its movements still running — not yet
closed (tổng kết) and ending on or after `on` — go on at its successor, which becomes their organiser;
their registrations, targets, milestones and reports stay as they are (they name the units and people
that registered). Closed movements and movements that ended before `on` stay with the old unit: the
history of what it launched does not change."""

from __future__ import annotations

import datetime as dt

from core import metrics
from core.audit import audit_record

from .choices import MovementStatus
from .models import Movement


def _open_movements(source, on: dt.date):
    return (
        Movement.objects.filter(organiser=source, end_date__gte=on)
        .exclude(status=MovementStatus.CLOSED)
        .order_by("start_date", "name", "pk")
    )


def preview_movements(*, source, target, on: dt.date) -> list[str]:
    """Merge preview: the movements whose organiser becomes the target."""
    return [
        f"Chuyển phong trào “{movement.name}” ({movement.start_date:%d/%m/%Y}–{movement.end_date:%d/%m/%Y}) "
        f"sang đơn vị phát động “{target.name}”"
        for movement in _open_movements(source, on)
    ]


def carry_movements(*, acting_user, source, target, on: dt.date, reason: str) -> str | None:
    """Merge handler: the source's running movements are organised by the target from now on."""
    moved = 0
    for movement in _open_movements(source, on).select_for_update(of=("self",)):
        movement.organiser = target
        movement.save(update_fields=["organiser", "updated_at"])
        metrics.mark_changed_many([source.pk, target.pk], movement.year)
        audit_record(
            actor=acting_user,
            action="movement.successor",
            obj=movement,
            unit=target,
            summary=f"Chuyển phong trào “{movement.name}” từ “{source.name}” sang đơn vị phát động "
            f"“{target.name}” (đơn vị kết thúc hoạt động từ ngày {on:%d/%m/%Y})",
            changes={"organiser": [source.name, target.name]},
        )
        moved += 1
    return f"{moved} phong trào thi đua đang diễn ra" if moved else None
