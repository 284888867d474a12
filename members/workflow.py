"""The roster-import workflow as one table (`core.workflow`):
READING → read → UPLOADED (or → UNREADABLE) → (map, check) → CHECKED or INVALID → commit → QUEUED →
RUNNING → DONE, INVALID or FAILED.

A new upload is only guarded and stored by the request; the worker reads it ONCE (`read`: the rows are
stored beside the upload, the header row and mapping guessed) or gives up with a message (`unreadable`).

User transitions — "Ghép cột" (map: the header row and the column mapping; back to UPLOADED), "Kiểm
tra dữ liệu" (check: the validation of the preview, → CHECKED or INVALID) and "Ghi vào hệ thống"
(commit: → QUEUED) — are fired by whoever holds `person.change` on the import's unit (the uploader or
another officer of that unit or above it). The screens render an action only when `allowed` lists it
and `members.services.rosters` refuses the rest.

The worker fires the system's transitions (no acting user: `action=None`) with `ROSTER.update`, a
conditional UPDATE that moves the row only while it is still in a source state: `start` claims a
QUEUED import atomically (a second run of the task finds it RUNNING or finished and leaves it alone).
"""

from __future__ import annotations

from core.access import Action
from core.workflow import Transition, Workflow

from .models import RosterImport

S = RosterImport.Status
INITIAL = S.READING  # a new upload waits for the worker to read it (the model's default)
EDITABLE = (S.UPLOADED, S.CHECKED, S.INVALID)  # not sent to the worker (again) yet


def unit(record):
    return record.unit


SENT = "Danh sách đã được gửi ghi vào hệ thống: không sửa hay kiểm tra lại được nữa."

ROSTER = Workflow(
    [
        Transition("map", EDITABLE, S.UPLOADED, Action.PERSON_CHANGE, unit, "Sửa ghép cột", refusal=SENT),
        Transition(
            "check",
            EDITABLE,
            (S.CHECKED, S.INVALID),
            Action.PERSON_CHANGE,
            unit,
            "Kiểm tra dữ liệu",
            refusal=SENT,
        ),
        Transition(
            "commit",
            (S.CHECKED,),
            S.QUEUED,
            Action.PERSON_CHANGE,
            unit,
            "Ghi vào hệ thống",
            refusal="Chỉ ghi được danh sách đã kiểm tra và không có lỗi.",
        ),
        # the worker's: reading the upload once (`members.tasks.roster_read_task`)
        Transition("read", (S.READING,), S.UPLOADED, None, None, "Đọc xong tệp"),
        Transition("unreadable", (S.READING,), S.UNREADABLE, None, None, "Không đọc được tệp"),
        # the worker's: the commit
        Transition("start", (S.QUEUED,), S.RUNNING, None, None, "Bắt đầu ghi"),
        # written by `roster_import` inside the commit, just before this UPDATE
        Transition("finish", (S.RUNNING,), S.DONE, None, None, "Ghi xong", audit="roster.import"),
        Transition("reject", (S.RUNNING,), S.INVALID, None, None, "Có lỗi, chưa ghi"),
        Transition("fail", (S.QUEUED, S.RUNNING), S.FAILED, None, None, "Không ghi được"),
    ],
    field="status",
)

_SYSTEM = [t for t in ROSTER.transitions if t.by_system]
# With the worker: a system transition leaves these (the status page polls while the import is in one).
IN_PROGRESS = tuple(state for state in S.values if any(state in t.sources for t in _SYSTEM))
READ = ROSTER["read"].targets  # where a read upload waits for its user (not an end: map and check go on)
# Where the worker leaves an import: reached by a system transition, left by none (the read aside).
FINISHED = tuple(
    state
    for state in S.values
    if any(state in t.targets for t in _SYSTEM) and state not in IN_PROGRESS and state not in READ
)
# Ends where the upload and its rows are no longer needed (deleted at once: `members.tasks`).
SPENT = tuple(t.targets[0] for t in (ROSTER["finish"], ROSTER["fail"], ROSTER["unreadable"]))


def checked_state(*, has_errors: bool) -> str:
    """Where "check" leads: INVALID with row errors (nothing may be written), else CHECKED."""
    valid, invalid = ROSTER["check"].targets
    return invalid if has_errors else valid


def allowed_names(record, user) -> set[str]:
    return {t.name for t in ROSTER.allowed(record, user)}
