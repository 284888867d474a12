"""Background work for rosters (Django Tasks API: `django_tasks` backport, database backend).

The commit is one database transaction, so its progress cannot be read from the database while it runs:
it is written to the shared "progress" cache (files under var/cache/), which every process sees.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from django_tasks import task

from .models import RosterImport
from .roster import RosterFileError, read_rows
from .services import RosterInvalid, roster_import
from .workflow import ROSTER

logger = logging.getLogger(__name__)
STAGES = {"read": (0, 5), "check": (5, 40), "write": (40, 100)}  # percent range of each stage


def progress_key(import_id: int) -> str:
    return f"roster-import-{import_id}"


def set_progress(import_id: int, stage: str, done: int, total: int) -> None:
    low, high = STAGES[stage]
    percent = low + (high - low) * (done / total if total else 1)
    caches["progress"].set(
        progress_key(import_id), {"percent": int(percent), "stage": stage, "done": done, "total": total}
    )


def get_progress(import_id: int) -> dict:
    return caches["progress"].get(progress_key(import_id)) or {
        "percent": 0,
        "stage": "read",
        "done": 0,
        "total": 0,
    }


def _status(import_id: int) -> str:
    return RosterImport.objects.filter(pk=import_id).values_list("status", flat=True).first() or "MISSING"


@task()
def roster_import_task(import_id: int) -> dict:
    """Read the stored file and commit it (all-or-nothing); the RosterImport row tells the outcome.
    Every status change is a transition of the system in `members.workflow.ROSTER`, moved by its
    conditional UPDATE: `start` claims a QUEUED import once (a repeated task leaves it alone)."""
    rows_of = RosterImport.objects.filter(pk=import_id)
    if not ROSTER.update(rows_of, "start"):  # already run (a retried task), or deleted
        return {"status": _status(import_id)}
    record = RosterImport.objects.select_related("unit__unit_type", "created_by").get(pk=import_id)
    set_progress(import_id, "read", 0, 1)
    try:
        with record.file.open("rb") as handle:
            rows = read_rows(handle.read(), record.original_name)
        summary = roster_import(
            acting_user=record.created_by,
            unit=record.unit,
            rows=rows,
            header_row=record.header_row,
            mapping=record.mapping,
            progress=lambda stage, done, total: set_progress(import_id, stage, done, total),
        )
    except RosterInvalid as invalid:
        errors = [[e.row, e.column, e.message] for e in invalid.plan.errors]
        ROSTER.update(rows_of, "reject", errors=errors, message=invalid.message)
        return {"status": _status(import_id), "errors": len(errors)}
    except Exception as exc:  # a file or system error: the transaction rolled back, nothing was written
        logger.exception("roster import %s failed", import_id)
        message = (
            str(exc) if isinstance(exc, RosterFileError) else getattr(exc, "message", "Lỗi hệ thống khi ghi.")
        )
        ROSTER.update(rows_of, "fail", message=message)
        return {"status": _status(import_id)}
    set_progress(import_id, "write", 1, 1)
    ROSTER.update(rows_of, "finish", result=summary, errors=[], message="")
    return {"status": _status(import_id), **summary}
