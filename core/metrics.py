"""The registry of the figures kept per unit and year (the per-unit counters of `reports`).

A provider is a function `(year, prefix, unit_ids=None) -> iterable of (unit_id, metric, value)`
computing a few metrics for every unit whose path starts with `prefix` (only the units `unit_ids` when
given: `only()` below), in one grouped query. Each app registers the
providers of the data it owns in its own `<app>/metrics.py` (`register(provider, labels={metric: label})`);
`ReportsConfig.ready` imports these modules with `autodiscover_modules("metrics")`, so counters, rollups
and exports pick them up and the kernel knows no app.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from django.db import DEFAULT_DB_ALIAS, connections
from django.db import transaction as _transaction

Row = tuple[int, str, int]
Provider = Callable[..., Iterable[Row]]

_PROVIDERS: list[Provider] = []
_LABELS: dict[str, str] = {}
_OWN_LABELS: dict[Provider, list[str]] = {}


def register(provider: Provider, labels: Mapping[str, str] | None = None) -> Provider:
    """Adds `provider` (once: registering it again only adds labels) and the Vietnamese labels of the
    metrics it computes; returns the provider, so a bare `@register` works too."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    _LABELS.update(labels or {})
    _OWN_LABELS.setdefault(provider, []).extend(labels or {})
    return provider


def unregister(provider: Provider) -> None:
    """Removes `provider` and the labels registered with it (for tests of a temporary provider)."""
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)
    for key in _OWN_LABELS.pop(provider, []):
        _LABELS.pop(key, None)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def labels() -> Mapping[str, str]:
    """{metric: Vietnamese label} of every registered metric (a live, read-only view)."""
    return _LABELS_VIEW


_LABELS_VIEW = MappingProxyType(_LABELS)


def only(queryset, unit_field: str, unit_ids):
    """`queryset` restricted to the rows of `unit_ids` (their own rows: a scoped refresh), or unchanged."""
    return queryset if unit_ids is None else queryset.filter(**{f"{unit_field}__in": list(unit_ids)})


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- Keeping the counters current -------------------------------------------------------------------
# Every write that changes a figure marks what it touched: `mark_changed(unit_id, year)` (year None =
# every year that has counters) or `mark_related(kind, pk)` (a person, a dossier, … whose units the
# refresher finds after the commit). Marks are collected per transaction and handed ONCE, on commit, to the
# refresher registered by `reports` (which enqueues one background task); a rolled-back transaction
# drops them. Signals of the models the providers read call these; bulk paths (COPY, bulk_create,
# queryset updates) call them explicitly. No query is run here.

Refresher = Callable[[dict[int, set], dict[str, set]], None]
_REFRESHER: list[Refresher] = []
logger = logging.getLogger(__name__)
_LOCAL = threading.local()


class _Batch:
    def __init__(self):
        self.units: dict[int, set] = {}  # unit_id → {year or None}
        self.related: dict[str, set] = {}  # kind → {pk}

    def flush(self) -> None:
        if getattr(_LOCAL, "batch", None) is self:
            _LOCAL.batch = None
        if (self.units or self.related) and _REFRESHER:
            try:
                _REFRESHER[0](self.units, self.related)
            except Exception:  # the write is committed: a failed refresh must not fail the request
                logger.exception("Không xếp được việc cập nhật số liệu tổng hợp")


def register_refresher(refresher: Refresher) -> None:
    """Sets the function called after each commit with the marks of the transaction (`reports`)."""
    _REFRESHER[:] = [refresher]


def _batch() -> _Batch | None:
    if getattr(_LOCAL, "suspended", 0):
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    batch = getattr(_LOCAL, "batch", None)
    # still pending on this transaction? (a rolled-back transaction or savepoint drops its callback)
    if (
        batch is not None
        and connection.in_atomic_block
        and any(getattr(func, "__self__", None) is batch for _, func, *_ in connection.run_on_commit)
    ):
        return batch
    batch = _Batch()
    if connection.in_atomic_block:
        _LOCAL.batch = batch
        _transaction.on_commit(batch.flush, robust=True)
    return batch


def _done(batch: _Batch) -> None:
    if getattr(_LOCAL, "batch", None) is not batch:  # autocommit: hand it over at once
        batch.flush()


def mark_changed(unit_id: int | None, year: int | None = None) -> None:
    """The figures of `unit_id` for `year` (None: every year with counters) changed in this transaction."""
    mark_changed_many([unit_id], year)


def mark_changed_many(unit_ids, year: int | None = None) -> None:
    batch = _batch()
    if batch is None:
        return
    for unit_id in unit_ids:
        if unit_id is not None:
            batch.units.setdefault(unit_id, set()).add(year)
    _done(batch)


def mark_related(kind: str, pks) -> None:
    """Objects of `kind` ("person", "dossier", "movement", "cluster") changed: the refresher finds the
    units and years they count for after the commit."""
    batch = _batch()
    if batch is None:
        return
    batch.related.setdefault(kind, set()).update(pk for pk in pks if pk is not None)
    _done(batch)


@contextmanager
def suspended():
    """No marks inside (the demo loader, which rebuilds every counter at its end)."""
    _LOCAL.suspended = getattr(_LOCAL, "suspended", 0) + 1
    try:
        yield
    finally:
        _LOCAL.suspended -= 1
