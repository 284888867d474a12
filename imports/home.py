"""The import framework's card on the home page (`organizations.tasks_panel`): the user's own uploads
read and waiting for them — to check the columns, to look at the preview and write it ("Ghi vào hệ
thống"), or to fix the file — whatever their kind."""

from __future__ import annotations

from django.urls import reverse

from core.access import can
from organizations.tasks_panel import TaskCard, register_home_task

from . import kinds
from .models import ImportBatch

LISTED = 5
S = ImportBatch.Status
WAITING = (S.UPLOADED, S.CHECKED, S.INVALID)


def waiting_batches(page) -> list[TaskCard]:
    rows = [
        (batch, kind)
        for batch in ImportBatch.objects.filter(created_by=page.user, status__in=WAITING)
        .select_related("unit")
        .order_by("-created_at", "-pk")
        if (kind := _kind(batch)) is not None and can(page.user, kind.action, batch.unit.path)
    ]
    if not rows:
        return []
    return [
        TaskCard(
            title="Tệp nhập đang chờ bạn",
            count=len(rows),
            url=reverse("imports:status", args=[rows[0][0].pk]),
            icon="bi-file-earmark-spreadsheet",
            items=tuple(
                (
                    f"{batch.original_name} — {kind.title}, {batch.unit.name} "
                    f"({batch.get_status_display().lower()})",
                    reverse("imports:status", args=[batch.pk]),
                )
                for batch, kind in rows[:LISTED]
            ),
        )
    ]


def _kind(batch):
    try:
        return kinds.get(batch.kind)
    except kinds.UnknownKind:
        return None


register_home_task("imports", order=30, context=waiting_batches)
