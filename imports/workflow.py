"""The import workflow as one table (`core.workflow`), the same for every kind:
READING → read → UPLOADED (or → UNREADABLE) → (map, check) → CHECKED or INVALID → commit → QUEUED →
RUNNING → DONE, INVALID or FAILED.

User transitions are fired by whoever holds the kind's action on the batch's unit (`permit`); the worker
fires the system's with `IMPORT.update` (a conditional UPDATE: `start` claims a QUEUED batch once)."""

from __future__ import annotations

from core.access import can
from core.workflow import Transition, Workflow

from . import kinds
from .models import ImportBatch

S = ImportBatch.Status
EDITABLE = (S.UPLOADED, S.CHECKED, S.INVALID)
SENT = "Tệp đã được gửi ghi vào hệ thống: không sửa hay kiểm tra lại được nữa."


def may_act(batch, user) -> bool:
    """The kind's action on the batch's unit."""
    try:
        kind = kinds.get(batch.kind)
    except kinds.UnknownKind:
        return False
    return can(user, kind.action, batch.unit.path)


IMPORT = Workflow(
    [
        Transition("map", EDITABLE, S.UPLOADED, None, None, "Sửa ghép cột", permit=may_act, refusal=SENT),
        Transition(
            "check",
            EDITABLE,
            (S.CHECKED, S.INVALID),
            None,
            None,
            "Kiểm tra dữ liệu",
            permit=may_act,
            refusal=SENT,
        ),
        Transition(
            "commit",
            (S.CHECKED,),
            S.QUEUED,
            None,
            None,
            "Ghi vào hệ thống",
            permit=may_act,
            refusal="Chỉ ghi được tệp đã kiểm tra và không có lỗi.",
        ),
        Transition(
            "reread", EDITABLE, S.READING, None, None, "Đọc trang tính khác", permit=may_act, refusal=SENT
        ),
        Transition("read", (S.READING,), S.UPLOADED, None, None, "Đọc xong tệp"),
        Transition("unreadable", (S.READING,), S.UNREADABLE, None, None, "Không đọc được tệp"),
        Transition("start", (S.QUEUED,), S.RUNNING, None, None, "Bắt đầu ghi"),
        Transition("finish", (S.RUNNING,), S.DONE, None, None, "Ghi xong", audit="import.commit"),
        Transition("reject", (S.RUNNING,), S.INVALID, None, None, "Có lỗi, chưa ghi"),
        Transition("fail", (S.QUEUED, S.RUNNING), S.FAILED, None, None, "Không ghi được"),
    ],
    field="status",
)

IN_PROGRESS = (S.READING, S.QUEUED, S.RUNNING)
SPENT = (S.DONE, S.FAILED, S.UNREADABLE)
FINISHED = (S.DONE, S.FAILED, S.INVALID, S.UNREADABLE)


def allowed_names(batch, user) -> set[str]:
    return {t.name for t in IMPORT.allowed(batch, user)}
