"""Background work for rosters (Django Tasks API: `django_tasks` backport, database backend).

`roster_read_task` reads a new upload ONCE (the guard and the sandboxed parser of `core.uploads`, in a
child process of the worker) and stores its rows beside it; the screens and the commit read the stored
rows. `roster_import_task` commits them. The upload and its rows are deleted when the commit is done or
has failed, when the file cannot be read, and by `prune_expired` after THIDUA_UPLOAD_RETENTION_DAYS
(`manage.py prune_uploads`, and after every read in the worker).

The commit is one database transaction, so its progress cannot be read from the database while it runs:
it is written to the shared "progress" cache (files under var/cache/), which every process sees.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import RosterImport
from .roster import HEADER_SCAN_ROWS, RosterFileError, read_upload, shape, stored_rows
from .services import RosterInvalid, roster_import
from .workflow import EDITABLE, ROSTER, SPENT

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
        rows = stored_rows(record)  # read once by `roster_read_task`: no spreadsheet parser here
        shaped = shape(rows, record.merged, record.header_row)  # noise rows out, composed columns in
        summary = roster_import(
            acting_user=record.created_by,
            unit=record.unit,
            rows=shaped.rows,
            header_row=shaped.header_row,
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
        prune_files(import_id)
        return {"status": _status(import_id)}
    set_progress(import_id, "write", 1, 1)
    ROSTER.update(rows_of, "finish", result=summary, errors=[], message="")
    prune_files(import_id)
    return {"status": _status(import_id), **summary}


READ_FAILED = "Không đọc được tệp: lỗi hệ thống khi đọc."


@task()
def roster_read_task(import_id: int) -> dict:
    """Read a new upload once: guard it, parse it in the sandbox (`core.uploads`), store its rows as
    `rows_file` with the sheet read, the workbook's sheets and the merged ranges, guess the header row and
    the mapping (`roster.shape`), and move it on with the system transition `read` (or `unreadable`, with
    the Vietnamese message, deleting the upload). A repeated task leaves an upload already read alone.

    Also reads ANOTHER sheet of an upload already read, chosen on the mapping page
    (`services.roster_sheet_choose` leaves its name in `sheet_pending`): the new rows replace the old
    ones; when that sheet cannot be read the old ones stay and the message says why."""
    record = RosterImport.objects.filter(pk=import_id).first()
    if record is None:
        return {"status": "MISSING"}
    rereading = bool(record.sheet_pending) and record.status in EDITABLE
    if record.status not in ROSTER["read"].sources and not rereading:
        return {"status": record.status}
    rows_of = RosterImport.objects.filter(pk=import_id)
    old_rows = record.rows_file.name if rereading else ""
    set_progress(import_id, "read", 0, 1)
    work = tempfile.mkdtemp(prefix="thidua-read-")
    try:
        source = os.path.join(work, "upload" + os.path.splitext(record.original_name)[1].lower())
        with record.file.open("rb") as upload, open(source, "wb") as out:
            shutil.copyfileobj(upload, out)
        dest = os.path.join(work, "rows.jsonl.gz")
        info = read_upload(source, record.original_name, dest, sheet=record.sheet_pending or None, full=True)
        with open(dest, "rb") as handle:
            record.rows_file.save("rows.jsonl.gz", File(handle), save=False)
        shaped = shape(stored_rows(record, HEADER_SCAN_ROWS + 6), info["merged"])
    except Exception as exc:  # noqa: BLE001 — every failure becomes the upload's message
        if not isinstance(exc, RosterFileError):
            logger.exception("roster upload %s could not be read", import_id)
        message = str(exc) if isinstance(exc, RosterFileError) else READ_FAILED
        if record.rows_file.name != old_rows:
            _drop(record.rows_file.name)
        if rereading:  # the sheet read before stays
            sheet = record.sheet_pending
            rows_of.filter(sheet_pending=sheet).update(
                sheet_pending="", message=f"Trang “{sheet}”: {message}"
            )
            return {"status": _status(import_id)}
        ROSTER.update(rows_of, "unreadable", message=message)
        prune_files(import_id)
        return {"status": _status(import_id)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    values = {
        "rows_file": record.rows_file.name,
        "header_row": shaped.header_row,
        "mapping": shaped.mapping,
        "sheet": info["sheet"],
        "sheets": info["sheets"],
        "merged": info["merged"],
        "sheet_pending": "",
        "message": "",
    }
    if rereading:
        moved = rows_of.filter(status__in=EDITABLE, sheet_pending=record.sheet_pending).update(**values)
    else:
        moved = ROSTER.update(rows_of, "read", **values)
    if not moved:  # read meanwhile by a repeated task, or deleted: keep nothing of ours
        _drop(record.rows_file.name)
    elif old_rows:
        _drop(old_rows)
    set_progress(import_id, "read", 1, 1)
    prune_expired()  # the worker's periodic hook: each read also drops uploads past their retention
    return {"status": _status(import_id), "rows": info["rows"]}


def _drop(name: str) -> None:
    if name:
        RosterImport._meta.get_field("file").storage.delete(name)


def prune_files(import_id: int) -> bool:
    """Delete an import's upload and stored rows (citizen IDs inside) and mark it pruned. True if there
    was something to delete."""
    record = RosterImport.objects.filter(pk=import_id, pruned_at__isnull=True).first()
    if record is None:
        return False
    names = [n for n in (record.file.name, record.rows_file.name) if n]
    RosterImport.objects.filter(pk=import_id).update(file="", rows_file="", pruned_at=timezone.now())
    # the files go once the row says so (a rolled-back transaction keeps both)
    transaction.on_commit(lambda: [_drop(name) for name in names])
    return True


def prune_expired(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    """Delete the files of every import spent (done, failed, unreadable) and of every import older than
    `days` (THIDUA_UPLOAD_RETENTION_DAYS) that is not being committed. Returns how many were pruned."""
    days = settings.THIDUA_UPLOAD_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    committing = ROSTER["start"].sources + ROSTER["start"].targets
    expired = RosterImport.objects.filter(pruned_at__isnull=True).filter(created_at__lt=cutoff)
    spent = RosterImport.objects.filter(pruned_at__isnull=True, status__in=SPENT)
    ids = set(expired.exclude(status__in=committing).values_list("pk", flat=True))
    ids |= set(spent.values_list("pk", flat=True))
    return sum(prune_files(pk) for pk in sorted(ids))
