"""What a unit's restructuring does to the role assignments on it (a merge handler of
`organizations.hooks`, registered by `OrganizationsConfig.ready`: accounts sits below organizations and
imports none of it).

A unit that ends (merged, dissolved) has no officers any more: its open role assignments end on its last
day (the day before the operation) — the rows stay, with their dates, and each end is audited."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from core.audit import audit_record

from .models import RoleAssignment


def _open_assignments(unit, on: dt.date):
    return (
        RoleAssignment.objects.filter(unit=unit)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("user")
        .order_by("user__full_name", "role", "pk")
    )


def _holder(assignment: RoleAssignment) -> str:
    return assignment.user.get_full_name() or assignment.user.get_username()


def preview_role_ends(*, source, target, on: dt.date) -> list[str]:
    return [
        f"Chấm dứt vai trò {a.get_role_display()} của {_holder(a)} tại “{source.name}”"
        for a in _open_assignments(source, on)
    ]


def end_role_assignments(*, acting_user, source, target, on: dt.date, reason: str) -> str | None:
    """End every role assignment on `source` still open on `on`: `valid_to` becomes the unit's last day."""
    last_day = on - dt.timedelta(days=1)
    ended = 0
    for assignment in _open_assignments(source, on).select_for_update(of=("self",)):
        before = assignment.valid_to
        assignment.valid_to = last_day
        assignment.save(update_fields=["valid_to"])
        audit_record(
            actor=acting_user,
            action="role.end",
            obj=assignment,
            unit=source,
            summary=f"Kết thúc vai trò “{assignment.get_role_display()}” tại “{source.name}” của "
            f"{_holder(assignment)} từ ngày {last_day:%d/%m/%Y} (đơn vị kết thúc hoạt động"
            + (f": {reason}" if reason else "")
            + ")",
            changes={
                "valid_to": [before.isoformat() if before else None, last_day.isoformat()],
            },
        )
        ended += 1
    return f"kết thúc {ended} vai trò" if ended else None
