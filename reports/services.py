"""Writes of the reports app: rebuilding the per-unit counters from the raw tables."""

from __future__ import annotations

import time
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from core import metrics

from .models import CounterYear, UnitCounter

BATCH = 5000


@transaction.atomic
def counters_rebuild(*, year: int, root=None) -> dict:
    """Recompute every unit's own counters for `year` (all units, or the subtree of `root`).

    A fixed number of grouped queries (one or two per provider), whatever the size of the tree, then
    the old rows of the year in the subtree are replaced. The year's `CounterYear` row is locked first,
    so two rebuilds of the same year never interleave.
    """
    started = time.monotonic()
    CounterYear.objects.get_or_create(year=year)
    lock = CounterYear.objects.select_for_update().get(year=year)
    prefix = root.path if root is not None else ""
    values: dict[tuple[int, str], int] = defaultdict(int)
    for provider in metrics.providers():
        for unit_id, metric, value in provider(year, prefix):
            values[(unit_id, metric)] += value
    old = UnitCounter.objects.filter(year=year)
    if prefix:
        old = old.filter(unit__path__startswith=prefix)
    old.delete()
    rows = [
        UnitCounter(unit_id=unit_id, year=year, metric=metric, value=value)
        for (unit_id, metric), value in values.items()
        if value
    ]
    UnitCounter.objects.bulk_create(rows, batch_size=BATCH)
    lock.rebuilt_at = timezone.now()
    lock.rows = UnitCounter.objects.filter(year=year).count() if prefix else len(rows)
    lock.seconds = round(time.monotonic() - started, 3)
    lock.save(update_fields=["rebuilt_at", "rows", "seconds"])
    return {"year": year, "rows": len(rows), "seconds": lock.seconds}
