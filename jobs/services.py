"""Background builds: start (permission, row, task, audit event), run (called by the task), prune.

`job_run` is not one transaction: the status and each progress step are written by short updates of their
own, so the job page — served by another process — sees them while the build runs. Every status change
is a transition of `jobs.workflow.JOB`: the worker and the sweep move rows with `JOB.update` (a
conditional UPDATE from the transition's sources to its target), "Tạo lại" is checked by `JOB.check`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.access import require
from core.audit import audit_record

from . import registry
from .models import BuildJob
from .workflow import FINISHED, INITIAL, JOB

logger = logging.getLogger(__name__)

GENERIC_ERROR = "Không tạo được tệp: lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên."
STAGE_DONE = "Hoàn tất"


class JobInvalid(ValueError):
    """The request cannot start (unknown kind, wrong parameters); the message is Vietnamese."""


def job_start(
    *, acting_user, kind: str, unit, params: Mapping[str, Any] | None = None, subject=None
) -> BuildJob:
    """Check the builder's action on the unit (and, for a builder made from one object, that `subject`
    is in the user's view: PermissionDenied otherwise), create the job, enqueue it. Returns the job
    (re-read: with the immediate backend of the tests it is already finished)."""
    try:
        builder = registry.get(kind)
    except registry.UnknownBuilder as exc:
        raise JobInvalid("Không có loại tệp này.") from exc
    if builder.action is not None:
        require(acting_user, builder.action, unit.path)
    subject_id = None
    if builder.subject is not None:
        subject_id = getattr(subject, "pk", None)
        if not builder.permits(acting_user, unit=unit, subject_id=subject_id):
            raise PermissionDenied("Bạn không có quyền tạo tệp này.")
    try:
        cleaned = builder.clean(params or {})
    except ValueError as exc:
        raise JobInvalid(str(exc)) from exc
    return _queue(
        acting_user=acting_user,
        builder=builder,
        unit=unit,
        params=cleaned,
        status=INITIAL,
        subject_id=subject_id,
    )


def _queue(
    *, acting_user, builder: registry.Builder, unit, params: dict, status: str, subject_id: int | None = None
) -> BuildJob:
    """Create the job in `status` (from the table) with its audit event, then enqueue its task."""
    with transaction.atomic():
        job = BuildJob.objects.create(
            kind=builder.key,
            title=builder.job_title(unit=unit, params=params),
            unit=unit,
            params=params,
            subject_id=subject_id,
            status=status,
            created_by=acting_user,
            stage="Đang chờ đến lượt",
        )
        audit_record(
            actor=acting_user,
            action="job.start",
            obj=job,
            unit=unit,
            summary=f"Yêu cầu tạo tệp “{job.title}”",
            changes={
                "kind": [None, builder.key],
                "params": [None, params],
                **({"subject_id": [None, subject_id]} if subject_id is not None else {}),
            },
        )
    # Enqueued after the commit above: a worker never picks up a job whose row it cannot see yet.
    from .tasks import build_job_task

    try:
        result = build_job_task.enqueue(job.pk)
    except Exception:
        logger.exception("build job %s could not be enqueued", job.pk)
        _finish_failed(job.pk, "Không tạo được tệp: chưa đưa được yêu cầu vào hàng đợi. Vui lòng thử lại.")
    else:
        BuildJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def job_retry(*, acting_user, job: BuildJob) -> BuildJob:
    """Tạo lại: a new job of the same kind, unit and parameters, in the state the `retry` transition
    leads to. Only what `JOB.allowed` lists: a finished job, by its creator while they hold the builder's
    action on the unit (PermissionDenied otherwise; ServiceError while it runs or for a retired kind)."""
    transition = JOB.check(job, "retry", acting_user)
    builder = registry.get(job.kind)
    try:
        cleaned = builder.clean(job.params)
    except ValueError as exc:
        raise JobInvalid(str(exc)) from exc
    return _queue(
        acting_user=acting_user,
        builder=builder,
        unit=job.unit,
        params=cleaned,
        status=transition.targets[0],
        subject_id=job.subject_id,
    )


def _progress(job_id: int) -> registry.Progress:
    def progress(percent: int, stage: str) -> None:
        percent = max(0, min(100, int(percent)))
        with transaction.atomic():  # its own short transaction (a savepoint if the caller holds one)
            # only while the job may still finish (not once the sweep has failed it)
            BuildJob.objects.filter(pk=job_id, status__in=JOB["finish"].sources).update(
                percent=percent, stage=stage[:120]
            )

    return progress


def _status(job_id: int) -> str:
    return BuildJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "MISSING"


def _finish_failed(job_id: int, message: str) -> str:
    """`fail`: the job, if still queued or running, is FAILED with `message`. Returns its status."""
    JOB.update(BuildJob.objects.filter(pk=job_id), "fail", error=message, finished_at=timezone.now())
    return _status(job_id)


def job_run(*, job_id: int) -> str:
    """Run the builder of a QUEUED job; returns the final status. Never raises for a builder error:
    the job is FAILED with a Vietnamese message and the traceback goes to the log."""
    claimed = JOB.update(
        BuildJob.objects.filter(pk=job_id), "start", started_at=timezone.now(), percent=0, stage="Bắt đầu"
    )
    if not claimed:  # already run (a retried task), failed by the sweep, or deleted
        return _status(job_id)
    job = BuildJob.objects.select_related("unit", "created_by").get(pk=job_id)
    try:
        builder = registry.get(job.kind)
        if not builder.permits(job.created_by, unit=job.unit, subject_id=job.subject_id):
            raise PermissionDenied
        content, filename, content_type = builder.build(job=job, progress=_progress(job.pk))
        job.file.save(filename, ContentFile(content), save=False)
    except registry.UnknownBuilder:
        logger.error("build job %s: no builder %r", job_id, job.kind)
        return _finish_failed(job_id, "Không tạo được tệp: loại tệp này không còn được hỗ trợ.")
    except PermissionDenied:
        what = "đơn vị này" if builder.subject is None else "văn bản này"
        return _finish_failed(job_id, f"Không tạo được tệp: bạn không còn quyền với {what}.")
    except registry.BuildError as exc:
        logger.warning("build job %s (%s) failed: %s", job_id, job.kind, exc, exc_info=True)
        return _finish_failed(job_id, f"Không tạo được tệp: {exc}")
    except Exception:
        logger.exception("build job %s (%s) failed", job_id, job.kind)
        return _finish_failed(job_id, GENERIC_ERROR)
    finished = JOB.update(
        BuildJob.objects.filter(pk=job_id),
        "finish",
        percent=100,
        stage=STAGE_DONE,
        file=job.file.name,
        filename=filename[:255],
        content_type=content_type[:120],
        size=len(content),
        error="",
        finished_at=timezone.now(),
    )
    if not finished:  # failed by the stale sweep meanwhile: it stays failed, no row keeps the file
        job.file.delete(save=False)
    return _status(job_id)


def jobs_prune(*, days: int, now: dt.datetime | None = None) -> int:
    """Delete finished (DONE/FAILED) jobs older than `days` days, with their files. Returns the count."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = BuildJob.objects.filter(status__in=FINISHED).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    count = 0
    for job in old.only("pk", "file").iterator():
        if job.file:
            job.file.delete(save=False)  # the file first: a row never points to a missing file
        BuildJob.objects.filter(pk=job.pk).delete()
        count += 1
    return count


STALE_ERROR = (
    "Tệp không tạo xong: máy chủ xử lý nền đã dừng giữa chừng hoặc chưa chạy. Bấm “Tạo lại” để tạo lại tệp."
)


def jobs_fail_stale(*, hours: int = 6, now: dt.datetime | None = None) -> int:
    """Mark FAILED the jobs still QUEUED or RUNNING `hours` after they were queued or started (their
    worker died or never ran), so their pages stop polling and offer "Tạo lại". Returns the count."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=hours)
    # a job's age runs from its start, or from its queueing if it never started
    stale = BuildJob.objects.filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    )
    return JOB.update(stale, "expire", error=STALE_ERROR, finished_at=now)
