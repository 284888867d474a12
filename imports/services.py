"""Writes of the import framework: upload, sheet choice, mapping, check, commit (every kind the same).

Each step is a transition of `imports.workflow.IMPORT`, fired by the user who holds the kind's action on
the batch's unit; the kind's own `plan`/`commit` (`imports.kinds`) decide what the rows mean. Reading the
file happens once, in the worker (`imports.tasks.batch_read_task`); the check and the commit read the
stored rows only."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction

from core.access import require
from core.audit import audit_record
from core.exceptions import ServiceError

from . import kinds, reading
from .kinds import ImportInvalid, Outcome, RowPlan, Source
from .models import ImportBatch, SavedMapping
from .workflow import IMPORT


def _kind(batch: ImportBatch) -> kinds.ImportKind:
    return kinds.get(batch.kind)


def batch_create(
    *, acting_user, kind: kinds.ImportKind, unit, upload, options: dict | None = None
) -> ImportBatch:
    """Store an upload already guarded by the form (`core.uploads.guard`); the worker reads it."""
    require(acting_user, kind.action, unit.path)
    if kind.target_ok is not None:
        refusal = kind.target_ok(unit)
        if refusal:
            raise ServiceError(refusal)
    batch = ImportBatch(
        kind=kind.key,
        unit=unit,
        created_by=acting_user,
        options=dict(options or {}),
        original_name=upload.name[:255],
    )
    batch.file.save(f"upload{reading.extension(upload.name)}", upload, save=False)
    batch.save()
    audit_record(
        actor=acting_user,
        action="import.upload",
        obj=batch,
        unit=unit,
        summary=f"Tải lên tệp “{batch.original_name}” ({kind.title})",
    )
    return batch


def _locked(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)


def batch_sheet_choose(*, acting_user, batch: ImportBatch, sheet: str) -> ImportBatch:
    """Read another sheet of the same upload (the worker reads it; mapping guessed again)."""
    if sheet not in {s["name"] for s in batch.sheets if s.get("visible", True)}:
        raise ServiceError("Tệp không có trang tính này (trang bị ẩn không được nhập).")
    with transaction.atomic():
        batch = _locked(batch)
        IMPORT.fire(batch, "reread", acting_user)
        batch.sheet = sheet
        batch.save(update_fields=["sheet", "status", "updated_at"])
    return batch


def signature(header_texts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(header_texts).encode()).hexdigest()


def batch_mapping_set(
    *,
    acting_user,
    batch: ImportBatch,
    header_row: int,
    header_rows: int,
    mapping: dict[str, int],
    title_case: bool = False,
    flags: dict[str, bool] | None = None,
) -> ImportBatch:
    """ "Ghép cột": the header row(s) and the column of each key; kept for the unit's next file laid out
    the same way (`SavedMapping`)."""
    kind = _kind(batch)
    known = {c.key for c in kind.columns}
    mapping = {k: int(v) for k, v in mapping.items() if k in known}
    with transaction.atomic():
        batch = _locked(batch)
        IMPORT.fire(batch, "map", acting_user)
        batch.header_row, batch.header_rows, batch.mapping = header_row, header_rows, mapping
        known_flags = {name for name, _label in kind.flags}
        chosen = {name: bool(value) for name, value in (flags or {}).items() if name in known_flags}
        batch.options = {**batch.options, "title_case": title_case, **chosen}
        batch.save(update_fields=["header_row", "header_rows", "mapping", "options", "status", "updated_at"])
        texts = reading.header_texts(batch)
        if texts:
            SavedMapping.objects.update_or_create(
                unit=batch.unit, kind=batch.kind, signature=signature(texts), defaults={"mapping": mapping}
            )
    return batch


def _store_plans(batch: ImportBatch, plans: list[RowPlan]) -> None:
    lines = (json.dumps(reading.plan_json(p), ensure_ascii=False) for p in plans)
    data = gzip.compress(("\n".join(lines)).encode(), compresslevel=5)
    if batch.plan_file:
        batch.plan_file.delete(save=False)
    batch.plan_file.save("plan.jsonl.gz", ContentFile(data), save=False)


def counts_of(plans: list[RowPlan]) -> dict[str, int]:
    counted = Counter(p.outcome.value for p in plans)
    return {o.value: counted.get(o.value, 0) for o in Outcome}


def batch_check(*, acting_user, batch: ImportBatch) -> list[RowPlan]:
    """ "Kiểm tra dữ liệu": every row classified by the kind (no writes of its data); the plan is kept for
    the preview and the error file. CHECKED when no row is an error, else INVALID."""
    kind = _kind(batch)
    IMPORT.check(batch, "check", acting_user)
    rows, skipped = reading.source_rows(batch, kind)
    plans = reading.merge(
        kind.plan(rows, unit=batch.unit, user=acting_user, options=batch.options), rows, skipped
    )
    counts = counts_of(plans)
    valid, invalid = IMPORT["check"].targets
    with transaction.atomic():
        batch = _locked(batch)
        IMPORT.fire(batch, "check", acting_user, to=invalid if counts["error"] else valid)
        batch.total_rows = len(plans)
        batch.counts = counts
        _store_plans(batch, plans)
        batch.save(update_fields=["total_rows", "counts", "plan_file", "status", "updated_at"])
    return plans


def batch_duplicates_confirm(*, acting_user, batch: ImportBatch, numbers: list[int]) -> list[RowPlan]:
    """ "Vẫn thêm mới": the officer has looked at the rows shown as possible duplicates and says which are
    other people (or records) indeed; the rows are checked again with that choice."""
    kind = _kind(batch)
    if not kind.confirms_duplicates:
        raise ServiceError("Loại dữ liệu này không có bước xác nhận dòng có thể trùng.")
    IMPORT.check(batch, "check", acting_user)
    with transaction.atomic():
        batch = _locked(batch)
        batch.options = {**batch.options, "confirm_duplicates": sorted({int(n) for n in numbers})}
        batch.save(update_fields=["options", "updated_at"])
    return batch_check(acting_user=acting_user, batch=batch)


def batch_commit_queue(*, acting_user, batch: ImportBatch) -> ImportBatch:
    """ "Ghi vào hệ thống": hand a checked batch to the worker, once (conditional UPDATE)."""
    transition = IMPORT.check(batch, "commit", acting_user)
    if not IMPORT.update(ImportBatch.objects.filter(pk=batch.pk), "commit"):
        raise ServiceError(transition.refusal)
    batch.status = transition.targets[0]
    return batch


def batch_run(*, batch: ImportBatch) -> dict:
    """The worker's commit, ONE transaction: the kind plans again and writes, or raises `ImportInvalid`
    (nothing written). The creator's rights are checked again here: a role ended meanwhile stops it."""
    kind = _kind(batch)
    user = batch.created_by
    require(user, kind.action, batch.unit.path)
    rows, _skipped = reading.source_rows(batch, kind)
    source = Source(filename=batch.original_name, import_id=batch.pk, imported_at=batch.created_at)
    with transaction.atomic():
        summary = kind.commit(rows, unit=batch.unit, user=user, options=batch.options, source=source)
        audit_record(
            actor=user,
            action="import.commit",
            obj=batch,
            unit=batch.unit,
            summary=f"Nhập “{batch.original_name}” ({kind.title}): {summary.get('message', '')}"[:500],
            changes={k: v for k, v in summary.items() if k != "message"},
        )
    return summary


__all__ = [
    "ImportInvalid",
    "batch_check",
    "batch_commit_queue",
    "batch_create",
    "batch_duplicates_confirm",
    "batch_mapping_set",
    "batch_run",
    "batch_sheet_choose",
    "counts_of",
]
