"""Reads of the import framework."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from core.access import Action, can

from . import kinds
from .models import ImportBatch


def kinds_for(*, user, unit) -> list[kinds.ImportKind]:
    """The kinds `user` may import into `unit` (the kind's action there, and the unit fit for it)."""
    found = []
    for kind in kinds.all_kinds():
        if can(user, kind.action, unit.path) and (kind.target_ok is None or not kind.target_ok(unit)):
            found.append(kind)
    return found


def batches_visible(*, user) -> QuerySet[ImportBatch]:
    """Batches on units where the user holds the kind's action — scoped by the batch's unit (the same
    subtree rule for every kind: the unit-view scope, refined per kind when the batch is opened)."""
    return ImportBatch.objects.restrict(user, Action.UNIT_VIEW).select_related("unit", "created_by")


def may_import(user) -> bool:
    """Does `user` hold the action of at least one kind anywhere (else the import pages are 403)?"""
    return any(can(user, kind.action) for kind in kinds.all_kinds())


def batch_get(*, user, pk: int) -> ImportBatch:
    """The batch if `user` holds its kind's action on its unit. `PermissionDenied` when they hold that
    action nowhere (as every page of a kind they may not import); `ImportBatch.DoesNotExist` when it is
    missing or outside their scope (one answer for both)."""
    batch = ImportBatch.objects.select_related("unit__unit_type", "created_by").get(pk=pk)
    try:
        kind = kinds.get(batch.kind)
    except kinds.UnknownKind as exc:
        raise ImportBatch.DoesNotExist from exc
    if not can(user, kind.action):
        raise PermissionDenied("Bạn không có quyền nhập loại dữ liệu này.")
    if not can(user, kind.action, batch.unit.path):
        raise ImportBatch.DoesNotExist
    return batch
