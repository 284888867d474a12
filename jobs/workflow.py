"""The build-job workflow as one table (`core.workflow`): QUEUED → RUNNING → DONE, or FAILED.

The worker and the stale sweep fire the system's transitions (no acting user: `action=None`) with
`JOB.update`, a conditional UPDATE that moves the row only while it is still in a source state — the
atomic claim that keeps two workers (or a worker and the sweep) from both moving it. "Tạo lại" (retry)
is the one user transition: the creator, while they hold the builder's action on the job's unit, asks
for the same file again; `jobs.services.job_retry` checks it here and queues a NEW job (the old one
and its file stay as they were), and the job page renders the button only when `allowed` lists it.
"""

from __future__ import annotations

from core.workflow import Transition, Workflow

from . import registry
from .choices import JobStatus as S

INITIAL = S.QUEUED  # a new job waits in the queue (the model's default)


def unit(job):
    return job.unit


def _builder(job):
    try:
        return registry.get(job.kind)
    except registry.UnknownBuilder:
        return None


def _creator_with_builder_action(job, user) -> bool:
    if not getattr(user, "is_authenticated", False) or job.created_by_id != user.pk:
        return False
    builder = _builder(job)
    # retired: refused by the guard
    return builder is None or builder.permits(user, unit=job.unit, subject_id=job.subject_id)


def _builder_still_exists(job, user) -> str | None:
    return None if _builder(job) else "Không có loại tệp này nữa, không tạo lại được."


JOB = Workflow(
    [
        Transition("start", (S.QUEUED,), S.RUNNING, None, None, "Bắt đầu tạo"),
        Transition("finish", (S.RUNNING,), S.DONE, None, None, "Tạo xong"),
        Transition("fail", (S.QUEUED, S.RUNNING), S.FAILED, None, None, "Không tạo được"),
        Transition(
            "retry",
            (S.DONE, S.FAILED),
            INITIAL,
            None,
            unit,
            "Tạo lại",
            permit=_creator_with_builder_action,
            guard=_builder_still_exists,
            audit="job.start",  # written on the new job, as for any start
            refusal="Tệp đang được tạo; chỉ tạo lại được khi đã xong hoặc bị lỗi.",
        ),
        Transition("expire", (S.QUEUED, S.RUNNING), S.FAILED, None, None, "Quá hạn, đánh dấu lỗi"),
    ],
    field="status",
)

# Finished: no transition of the system leaves it (the worker and the sweep are done with the job).
FINISHED = tuple(
    state for state in S.values if not any(state in t.sources for t in JOB.transitions if t.by_system)
)


def allowed_names(job, user) -> set[str]:
    return {t.name for t in JOB.allowed(job, user)}
