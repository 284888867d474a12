"""Writes of the reports app: rebuilding the per-unit counters from the raw tables, and keeping their
pre-rolled subtree totals (`UnitTotal`) equal to the sums of the counters."""

from __future__ import annotations

import inspect
import time
from collections import defaultdict

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core import metrics
from core.rollup import common_prefix
from organizations import tree
from organizations.models import OrgUnit, TreeYear, UnitYearPath

from .models import CounterState, CounterYear, UnitCounter, UnitTotal

BATCH = 5000
CHUNK = 500  # units per restricted query (IN lists stay small on every database)


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
    started_at = timezone.now()
    # a year never built whole is built whole: a subtree alone would show a partial tree as complete
    prefix = root.path if root is not None and lock.rebuilt_at is not None else ""
    values: dict[tuple[int, str], int] = defaultdict(int)
    for provider in metrics.providers():
        for unit_id, metric, value in provider(year, prefix):
            values[(unit_id, metric)] += value
    old = UnitCounter.objects.filter(year=year)
    if prefix:
        old = old.filter(unit__path__startswith=prefix)
    old.delete()
    # the year's tree, built or dropped before its counters take their paths
    own = tree.year_tree_ready(year) if not prefix else tree.year_is_own(year)
    paths = tree.year_paths(year, prefix=prefix, own=own)
    rows = [
        UnitCounter(unit_id=unit_id, year=year, metric=metric, value=value, path=paths[unit_id])
        for (unit_id, metric), value in values.items()
        if value and unit_id in paths
    ]
    UnitCounter.objects.bulk_create(rows, batch_size=BATCH)
    # the year's subtree totals, from the rows just written (a subtree rebuild re-reads the year's rows)
    if prefix:
        totals_rebuild(year=year)
    else:  # today's tree: its paths are unique, the map is the one just read
        at = _units_at(year, own=True) if own else {path: pk for pk, path in paths.items()}
        totals_rebuild(year=year, rows=[(r.path, r.metric, r.value) for r in rows], units_at=at)
    states = CounterState.objects.filter(year=year, dirty_since__lte=started_at)
    if prefix:
        states = states.filter(unit__path__startswith=prefix)
    states.update(dirty_since=None)
    lock.rebuilt_at = timezone.now()
    lock.rows = UnitCounter.objects.filter(year=year).count() if prefix else len(rows)
    lock.seconds = round(time.monotonic() - started, 3)
    if not prefix and lock.pending_since is not None and lock.pending_since <= started_at:
        lock.pending_since = None
    lock.save(update_fields=["rebuilt_at", "rows", "seconds", "pending_since"])
    return {"year": year, "rows": len(rows), "seconds": lock.seconds}


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _takes_units(provider) -> bool:
    try:
        return "unit_ids" in inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False


def _own_values(year: int, units: dict[int, str]) -> dict[tuple[int, str], int]:
    """{(unit_id, metric): value} of the units' OWN figures: every provider with the units (one grouped
    query each, restricted to them); a provider that cannot be restricted is asked per unit subtree."""
    prefix = common_prefix(units.values())
    ids = list(units)
    values: dict[tuple[int, str], int] = defaultdict(int)
    for provider in metrics.providers():
        if _takes_units(provider):
            rows = provider(year, prefix, unit_ids=ids)
        else:
            rows = [row for path in units.values() for row in provider(year, path)]
        for unit_id, metric, value in rows:
            if unit_id in units:
                values[(unit_id, metric)] += value
    return values


@transaction.atomic
def counters_refresh(*, year: int, unit_ids) -> dict:
    """Recompute the OWN counters of `unit_ids` for `year`, and add the difference to the pre-rolled totals
    of the units and of every ancestor in the year's tree (`UnitTotal`, same transaction, under the
    year's lock, so the totals stay the sums of the own counters). Grouped queries restricted to the units, per chunk of units; a year never
    fully built is built whole instead, so no dashboard shows a partial tree. Clears the units' pending
    marks set before it started and stamps `CounterState.refreshed_at`."""
    started = timezone.now()
    clock = time.monotonic()
    CounterYear.objects.get_or_create(year=year)
    lock = CounterYear.objects.select_for_update().get(year=year)
    if lock.rebuilt_at is None:
        return counters_rebuild(year=year)
    rows = 0
    own = tree.year_is_own(year)
    for chunk in _chunks(sorted(set(unit_ids))):
        units = dict(OrgUnit.objects.filter(pk__in=chunk).values_list("pk", "path"))
        if not units:
            continue
        values = _own_values(year, units)
        current = UnitCounter.objects.filter(year=year, unit_id__in=list(units))
        old = list(current.values_list("path", "metric", "value"))
        current.delete()
        paths = tree.year_paths(year, units, own=own)
        new = [
            UnitCounter(unit_id=unit_id, year=year, metric=metric, value=value, path=paths[unit_id])
            for (unit_id, metric), value in values.items()
            if value and unit_id in paths
        ]
        UnitCounter.objects.bulk_create(new, batch_size=BATCH)
        # the ancestors' totals move by the difference, in this transaction (the year's lock is held)
        _totals_add(
            year, [(p, m, -v) for p, m, v in old] + [(c.path, c.metric, c.value) for c in new], own=own
        )
        rows += len(new)
        states = CounterState.objects.filter(year=year, unit_id__in=list(units))
        have = set(states.values_list("unit_id", flat=True))
        CounterState.objects.bulk_create(
            [CounterState(unit_id=pk, year=year, refreshed_at=started) for pk in units if pk not in have]
        )
        states.filter(dirty_since__lte=started).update(dirty_since=None, refreshed_at=started)
        states.filter(dirty_since__isnull=True).update(refreshed_at=started)
    return {
        "year": year,
        "units": len(set(unit_ids)),
        "rows": rows,
        "seconds": round(time.monotonic() - clock, 3),
    }


def counters_mark_pending(*, by_year: dict[int, set[int]], full_years: set[int]) -> None:
    """Marks the units' counters (and the years to build whole) as waiting for a refresh (after a commit,
    before the task is queued): the dashboards say "Đang cập nhật số liệu…" until it ran."""
    now = timezone.now()
    for year in full_years:
        CounterYear.objects.get_or_create(year=year)
        CounterYear.objects.filter(year=year).update(pending_since=now)
    for year, ids in by_year.items():
        for chunk in _chunks(sorted(ids)):
            states = CounterState.objects.filter(year=year, unit_id__in=chunk)
            have = set(states.values_list("unit_id", flat=True))
            CounterState.objects.bulk_create(
                [CounterState(unit_id=pk, year=year, dirty_since=now) for pk in chunk if pk not in have],
                ignore_conflicts=True,
            )
            # always the latest mark: a refresh that started before it leaves the unit pending
            states.update(dirty_since=now)


def resolve_changes(units: dict[int, set], related: dict[str, set]) -> tuple[dict[int, set[int]], set[int]]:
    """The marks of a transaction (`core.metrics`) as ({year: {unit ids}}, {years to build whole}):
    related objects become their units, "every year" the years that have counters, and a named year that
    was never built is built whole."""
    from clusters.models import Cluster
    from commendations.models import AwardRecord
    from members.models import Membership
    from nominations.models import Dossier

    wanted: dict[int, set] = defaultdict(set)
    for unit_id, years in units.items():
        wanted[unit_id] |= years
    persons = list(related.get("person", ()))
    for chunk in _chunks(persons):
        for unit_id in Membership.objects.filter(person_id__in=chunk).values_list("unit_id", flat=True):
            wanted[unit_id].add(None)
        for unit_id, year in AwardRecord.objects.filter(person_id__in=chunk).values_list(
            "scope_unit_id", "year"
        ):
            wanted[unit_id].add(year)
    for kind, model, unit_field in (
        ("dossier", Dossier, "proposing_unit_id"),
        ("cluster", Cluster, "organiser_id"),
    ):
        for chunk in _chunks(list(related.get(kind, ()))):
            for unit_id, year in model.objects.filter(pk__in=chunk).values_list(unit_field, "year"):
                wanted[unit_id].add(year)
    built = set(CounterYear.objects.filter(rebuilt_at__isnull=False).values_list("year", flat=True))
    by_year: dict[int, set[int]] = defaultdict(set)
    full: set[int] = set()
    for unit_id, years in wanted.items():
        for year in built if None in years else ():
            by_year[year].add(unit_id)
        for year in years - {None}:
            if year in built:
                by_year[year].add(unit_id)
            else:
                full.add(year)
    return {y: ids for y, ids in by_year.items() if y not in full}, full


def counters_changed(units: dict[int, set], related: dict[str, set]) -> None:
    """The refresher of `core.metrics` (after each commit that marked changes): marks the counters
    pending and queues ONE task refreshing them, whatever the number of rows written."""
    from .tasks import counters_refresh_task

    by_year, full = resolve_changes(units, related)
    if not by_year and not full:
        return
    counters_mark_pending(by_year=by_year, full_years=full)
    counters_refresh_task.enqueue(
        [[year, sorted(ids)] for year, ids in sorted(by_year.items())], sorted(full)
    )


def counters_follow_tree(*, on, moved_paths, years) -> None:
    """After the tree changed (`organizations.tree.tree_changed`): the counters take their year's paths
    again — the past years whose own tree was rebuilt (`years`), and in the years read on today's tree the
    moved subtrees (`moved_paths`, their paths now). Inside the restructuring's transaction."""
    own = set(TreeYear.objects.values_list("year", flat=True))
    for year in set(years):
        _repath(UnitCounter.objects.filter(year=year), own=year in own, year=year)
    live = UnitCounter.objects.exclude(year__in=own)
    for path in moved_paths:
        _repath(live.filter(unit__path__startswith=path), own=False, year=None)
    # a moved subtree left its old ancestors' totals and joined its new ones: the totals of every year
    # that changed are recomputed from its counters (a restructuring is rare; a few seconds nationally)
    changed = set(years)
    if moved_paths:
        changed |= set(
            CounterYear.objects.filter(rebuilt_at__isnull=False)
            .exclude(year__in=own)
            .values_list("year", flat=True)
        )
    # under the years' locks: a refresh adding its deltas meanwhile waits for the recomputed totals
    list(CounterYear.objects.select_for_update().filter(year__in=changed).order_by("year"))
    for year in sorted(changed):
        totals_rebuild(year=year)


def _repath(counters, *, own: bool, year) -> None:
    """One UPDATE: the rows whose path is not their unit's path in the year's tree take it."""
    if own:
        source = UnitYearPath.objects.filter(year=year, unit_id=OuterRef("unit_id")).values("path")[:1]
    else:
        source = OrgUnit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]
    counters.exclude(path=Subquery(source)).update(path=Subquery(source))


# --- pre-rolled subtree totals (`UnitTotal`) --------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    """The path of every unit from the root down to the unit itself."""
    step = OrgUnit.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _units_at(year: int, paths: set[str] | None = None, *, own: bool | None = None) -> dict[str, int]:
    """{path in the tree of `year`: unit id} (every unit, or those at `paths`): the year's own tree first
    when it has one, today's paths for the units it does not place. `own`: when the caller knows."""
    found: dict[str, int] = {}
    chunks = [None] if paths is None else [sorted(paths)[i : i + 900] for i in range(0, len(paths), 900)]
    own = tree.year_is_own(year) if own is None else own
    for chunk in chunks:
        sources = [UnitYearPath.objects.filter(year=year)] if own else []
        sources.append(OrgUnit.objects.all())
        for qs in sources:
            if chunk is not None:
                qs = qs.filter(path__in=chunk)
            key = "unit_id" if qs.model is UnitYearPath else "pk"
            for path, pk in qs.values_list("path", key):
                found.setdefault(path, pk)
    return found


def _roll(rows, units_at: dict[str, int]) -> dict[tuple[int, str], int]:
    """{(unit id, metric): SUM} of own figures (path, metric, value) over every unit at or above them."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for path, metric, value in rows:
        for prefix in _prefixes(path):
            unit_id = units_at.get(prefix)
            if unit_id is not None:
                totals[(unit_id, metric)] += value
    return totals


def totals_rebuild(*, year: int, rows=None, units_at: dict[str, int] | None = None) -> int:
    """Make the year's subtree totals the sums of its counters (`rows`: the year's counters as
    (path, metric, value), read when not given; `units_at`: the year's {path: unit id}, read when not
    given). The sums are compared with the stored totals and only the differences are written (a
    restructuring changes the totals of a few ancestors, a rebuild of unchanged data writes nothing).
    Returns the number of totals."""
    if rows is None:
        rows = UnitCounter.objects.filter(year=year).values_list("path", "metric", "value").iterator(BATCH)
    totals = {
        k: v for k, v in _roll(rows, units_at if units_at is not None else _units_at(year)).items() if v
    }
    stored = UnitTotal.objects.filter(year=year).values_list("pk", "unit_id", "metric", "value")
    existing = {(unit_id, metric): (pk, value) for pk, unit_id, metric, value in stored.iterator(BATCH)}
    update, drop = [], []
    for key, (pk, value) in existing.items():
        new = totals.get(key, 0)
        if not new:
            drop.append(pk)
        elif new != value:
            update.append(UnitTotal(pk=pk, value=new))
    UnitTotal.objects.bulk_update(update, ["value"], batch_size=BATCH)
    for chunk in _chunks(drop):
        UnitTotal.objects.filter(pk__in=chunk).delete()
    UnitTotal.objects.bulk_create(
        [
            UnitTotal(unit_id=u, year=year, metric=m, value=v)
            for (u, m), v in totals.items()
            if (u, m) not in existing
        ],
        batch_size=BATCH,
    )
    return len(totals)


def _totals_add(year: int, deltas, *, own: bool) -> None:
    """Add the changes (path, metric, ±value) of some units' own counters to the totals of those units and
    of all their ancestors: the ancestors' ids, one read of the rows touched, then bulk writes (zeros are
    removed). `own`: whether the year has its own tree."""
    paths = {prefix for path, _, value in deltas if value for prefix in _prefixes(path)}
    if not paths:
        return
    change = {key: v for key, v in _roll(deltas, _units_at(year, paths, own=own)).items() if v}
    if not change:
        return
    unit_ids = sorted({u for u, _ in change})
    metrics_ = sorted({m for _, m in change})
    existing: dict[tuple[int, str], UnitTotal] = {}
    for chunk in _chunks(unit_ids):
        for row in UnitTotal.objects.filter(year=year, unit_id__in=chunk, metric__in=metrics_):
            existing[(row.unit_id, row.metric)] = row
    update, create, drop = [], [], []
    for (unit_id, metric), delta in change.items():
        row = existing.get((unit_id, metric))
        if row is None:
            create.append(UnitTotal(unit_id=unit_id, year=year, metric=metric, value=delta))
            continue
        row.value += delta
        (update if row.value else drop).append(row)
    UnitTotal.objects.bulk_update(update, ["value"], batch_size=BATCH)
    UnitTotal.objects.bulk_create(create, batch_size=BATCH)
    for chunk in _chunks([row.pk for row in drop]):
        UnitTotal.objects.filter(pk__in=chunk).delete()
