"""The members' card on the home page (`organizations.tasks_panel`): roster imports read and waiting
for the officer to check the columns or to confirm the write ("Ghi vào hệ thống")."""

from __future__ import annotations

from django.urls import reverse

from core.access import Action, can
from organizations.tasks_panel import TaskCard, register_home_task

from .models import RosterImport

LISTED = 5
WAITING = (RosterImport.Status.UPLOADED, RosterImport.Status.CHECKED)


def roster_tasks(page) -> list[TaskCard]:
    if not can(page.user, Action.PERSON_CHANGE):
        return []
    rows = list(
        RosterImport.objects.restrict(page.user, Action.PERSON_CHANGE)
        .filter(status__in=WAITING)
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )
    if not rows:
        return []
    return [
        TaskCard(
            title="Tệp danh sách đoàn viên chờ xác nhận ghi vào hệ thống",
            count=len(rows),
            url=reverse("members:roster_status", args=[rows[0].pk]),
            icon="bi-file-earmark-spreadsheet",
            items=tuple(
                (
                    f"{r.original_name} — {r.unit.name} ({r.get_status_display().lower()})",
                    reverse("members:roster_status", args=[r.pk]),
                )
                for r in rows[:5]
            ),
        )
    ]


register_home_task("members", order=30, context=roster_tasks)
