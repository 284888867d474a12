"""Background work of the import framework (Django Tasks API, database backend: `manage.py db_worker`).

`batch_read_task` reads an upload ONCE (guard + sandboxed parser, `core.uploads`) and stores its rows;
`batch_commit_task` commits. The upload, its rows and its plan are deleted when the commit is done or has
failed, when the file cannot be read, and after THIDUA_UPLOAD_RETENTION_DAYS (`prune_expired`, run after
every read and by `manage.py prune_uploads`)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.exceptions import ServiceError

from . import reading, services
from .kinds import ImportInvalid
from .models import ImportBatch
from .workflow import IMPORT, SPENT

logger = logging.getLogger(__name__)
READ_FAILED = "Không đọc được tệp: lỗi hệ thống khi đọc."
WRITE_FAILED = "Lỗi hệ thống khi ghi: chưa ghi dòng nào. Hãy thử lại hoặc báo quản trị hệ thống."


def _key(batch_id: int) -> str:
    return f"import-{batch_id}"


def set_progress(batch_id: int, percent: int, stage: str) -> None:
    caches["progress"].set(_key(batch_id), {"percent": int(percent), "stage": stage})


def get_progress(batch_id: int) -> dict:
    return caches["progress"].get(_key(batch_id)) or {"percent": 0, "stage": ""}


def _status(batch_id: int) -> str:
    return ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first() or "MISSING"


@task()
def batch_read_task(batch_id: int) -> dict:
    """Read the upload's sheet (the one chosen, else the default one) once, store its rows, find the
    header and guess the mapping (the unit's saved mapping for the same headers first)."""
    batch = ImportBatch.objects.select_related("unit").filter(pk=batch_id).first()
    if batch is None or batch.status not in IMPORT["read"].sources:
        return {"status": batch.status if batch else "MISSING"}
    rows_of = ImportBatch.objects.filter(pk=batch_id)
    set_progress(batch_id, 5, "Đang đọc tệp")
    try:
        fields = reading.read_batch(batch)
    except Exception as exc:  # noqa: BLE001 — every failure becomes the upload's message
        if not isinstance(exc, reading.FileProblem):
            logger.exception("import %s could not be read", batch_id)
        message = str(exc) if isinstance(exc, reading.FileProblem) else READ_FAILED
        IMPORT.update(rows_of, "unreadable", message=message)
        prune_files(batch_id)
        return {"status": _status(batch_id)}
    if not IMPORT.update(rows_of, "read", message="", **fields):
        reading.drop(fields.get("rows_file", ""))
    set_progress(batch_id, 10, "Đã đọc tệp")
    prune_expired()
    return {"status": _status(batch_id), "rows": fields.get("total_rows", 0)}


@task()
def batch_commit_task(batch_id: int) -> dict:
    rows_of = ImportBatch.objects.filter(pk=batch_id)
    if not IMPORT.update(rows_of, "start"):
        return {"status": _status(batch_id)}
    batch = ImportBatch.objects.select_related("unit", "created_by").get(pk=batch_id)
    set_progress(batch_id, 40, "Đang ghi")
    try:
        summary = services.batch_run(batch=batch)
    except ImportInvalid as invalid:
        counts = services.counts_of(invalid.plans)
        IMPORT.update(rows_of, "reject", counts=counts, message=invalid.message)
        return {"status": _status(batch_id)}
    except Exception as exc:  # the transaction rolled back: nothing was written
        logger.exception("import %s failed", batch_id)
        if isinstance(exc, ServiceError):
            message = exc.message
        elif isinstance(exc, reading.FileProblem):  # the stored rows are gone: upload again
            message = str(exc)
        else:
            message = WRITE_FAILED
        IMPORT.update(rows_of, "fail", message=str(message))
        prune_files(batch_id)
        return {"status": _status(batch_id)}
    IMPORT.update(rows_of, "finish", result=summary, message="")
    set_progress(batch_id, 100, "Đã ghi xong")
    prune_files(batch_id)
    return {"status": _status(batch_id), **summary}


def prune_files(batch_id: int) -> bool:
    """Delete a batch's upload, stored rows and plan (personal data inside) and mark it pruned."""
    batch = ImportBatch.objects.filter(pk=batch_id, pruned_at__isnull=True).first()
    if batch is None:
        return False
    names = [n for n in (batch.file.name, batch.rows_file.name, batch.plan_file.name) if n]
    ImportBatch.objects.filter(pk=batch_id).update(
        file="", rows_file="", plan_file="", pruned_at=timezone.now()
    )
    transaction.on_commit(lambda: [reading.drop(name) for name in names])
    return True


def prune_expired(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    days = settings.THIDUA_UPLOAD_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    committing = IMPORT["start"].sources + IMPORT["start"].targets
    expired = ImportBatch.objects.filter(pruned_at__isnull=True, created_at__lt=cutoff).exclude(
        status__in=committing
    )
    ids = set(expired.values_list("pk", flat=True))
    ids |= set(
        ImportBatch.objects.filter(pruned_at__isnull=True, status__in=SPENT).values_list("pk", flat=True)
    )
    return sum(prune_files(pk) for pk in sorted(ids))
