"""The dated tree (issue 15): a unit's parent over time, and the tree as it stood at the end of a year.

The current tree is treebeard's (`OrgUnit.path`). Every move records the placement it ends
(`UnitPlacement`: the former parent, from, to, the deciding document); a unit without such a row has sat
under its current parent since it began. "The tree on date D" is therefore one query (`parents_on`): the
past placement covering D, else the current parent.

Reports, rollups, counters, the summary and the news draft of year Y use the tree as it stood on 31/12/Y
(today's tree for the current year). A past year that a later move made different from today's is
materialised once (`TreeYear`, `UnitYearPath`: each unit's parent and path in that year's own namespace,
today's path wherever the unit's ancestry is unchanged); the counters of a year carry the unit's path of
that year (`reports.UnitCounter.path`), so a past year's rollup is the same single range scan as today's.
Years no move has touched read today's paths and need no rows.

Writes (inside the caller's transaction): `record_move`, `record_succession`, `tree_changed`
(rebuilds the affected years and runs the handlers other apps register, `register_tree_handler`),
`year_sync`, `year_tree_ready`. Reads: `parents_on`, `children_on`, `year_is_own`, `year_path`, `year_paths`,
`unit_year_places`, `year_children`, `subtree_q`, `lineage`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone

from .models import OrgUnit, Succession, TreeYear, UnitPlacement, UnitYearPath

STEP = OrgUnit.steplen

# handler(*, on, moved_paths, years) after the tree changed (years: the past years rebuilt); the reports
# app re-paths its counters. Registered at start-up like the merge handlers (`organizations.hooks`).
TreeHandler = Callable[..., None]
_tree_handlers: dict[str, TreeHandler] = {}


def register_tree_handler(key: str, handler: TreeHandler) -> None:
    _tree_handlers[key] = handler


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def current_year() -> int:
    return timezone.localdate().year


# ---------------------------------------------------------------- writes


def record_move(
    *,
    unit: OrgUnit,
    old_parent: OrgUnit | None,
    on: dt.date,
    document_number: str = "",
    document_date: dt.date | None = None,
    reason: str = "",
) -> UnitPlacement | None:
    """Record that `unit` sat under `old_parent` until the day before `on` (call it with the move). A
    placement that would be empty (the unit moves on the day it began or was last moved) is not kept."""
    last = (
        UnitPlacement.objects.filter(unit=unit)
        .order_by("-valid_to")
        .values_list("valid_to", flat=True)
        .first()
    )
    start = last + dt.timedelta(days=1) if last is not None else unit.valid_from
    end = on - dt.timedelta(days=1)
    if start is not None and end < start:
        return None
    return UnitPlacement.objects.create(
        unit=unit,
        parent=old_parent,
        valid_from=start,
        valid_to=end,
        document_number=document_number[:100],
        document_date=document_date,
        reason=reason[:255],
    )


def record_succession(
    *,
    predecessor: OrgUnit,
    successor: OrgUnit,
    kind: str,
    on: dt.date,
    document_number: str = "",
    document_date: dt.date | None = None,
) -> Succession:
    succession, _ = Succession.objects.update_or_create(
        predecessor=predecessor,
        successor=successor,
        on=on,
        defaults={"kind": kind, "document_number": document_number[:100], "document_date": document_date},
    )
    return succession


def tree_changed(*, on: dt.date, moved_paths: Iterable[str] = ()) -> list[int]:
    """After units moved (effective `on`; `moved_paths` their paths now): the past years whose tree this
    changes are rebuilt or dropped, then the registered handlers run. Returns the years rebuilt."""
    years = set(TreeYear.objects.values_list("year", flat=True)) | set(_years_with_figures())
    rebuilt = [y for y in sorted(years) if y < current_year() and year_sync(y, since=on)]
    for handler in _tree_handlers.values():
        handler(on=on, moved_paths=list(moved_paths), years=rebuilt)
    return rebuilt


def _years_with_figures() -> list[int]:
    from django.apps import apps

    if not apps.is_installed("reports"):
        return []
    CounterYear = apps.get_model("reports", "CounterYear")
    return list(CounterYear.objects.values_list("year", flat=True))


def year_needs_own_tree(year: int) -> bool:
    """A move after 31/12/`year` ended a placement that covered that day: the year's tree is not today's."""
    return year < current_year() and UnitPlacement.objects.filter(valid_to__gte=year_end(year)).exists()


def year_sync(year: int, *, since: dt.date | None = None) -> bool:
    """Make the stored tree of `year` right: built when the year needs its own tree and has none (or,
    with `since`, when a move effective `since` may have changed it — the tree on 31/12 of a year before
    `since` cannot have changed); dropped when it no longer needs one. True when its paths may have
    changed (built, rebuilt or dropped)."""
    return _sync(year, since=since)[0]


def year_tree_ready(year: int) -> bool:
    """`year_sync` for a rebuild of the year's counters (always rebuilt when needed): True when the year
    reads its own tree afterwards."""
    return _sync(year, since=None)[1]


def _sync(year: int, *, since: dt.date | None) -> tuple[bool, bool]:
    needs = year_needs_own_tree(year)
    has = TreeYear.objects.filter(year=year).exists()
    if not needs:
        if has:
            UnitYearPath.objects.filter(year=year).delete()
            TreeYear.objects.filter(year=year).delete()
            return True, False
        return False, False
    if has and since is not None and year_end(year) < since:
        return False, True
    _build_year(year)
    return True, True


def _build_year(year: int) -> None:
    """Materialise the tree of 31/12/`year` (all units; a few grouped queries and one bulk insert)."""
    end = year_end(year)
    start = dt.date(year, 1, 1)
    units = list(
        OrgUnit.objects.order_by("path").values_list("pk", "path", "depth", "valid_from", "valid_to")
    )
    by_path = {path: pk for pk, path, _, _, _ in units}
    current_parent = {pk: by_path.get(path[:-STEP]) if depth > 1 else None for pk, path, depth, _, _ in units}
    placements = defaultdict(list)
    for unit_id, parent_id, frm, to in UnitPlacement.objects.values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    ):
        placements[unit_id].append((frm, to, parent_id))
    parent_of: dict[int, int | None] = {}
    existed: dict[int, bool] = {}
    for pk, _path, _depth, frm, to in units:
        day = min(end, to) if to is not None else end
        parent_of[pk] = _parent_on(day, placements.get(pk, ()), current_parent[pk])
        existed[pk] = (frm is None or frm <= end) and (to is None or to >= start)
    current_path = {pk: path for pk, path, *_ in units}
    children = defaultdict(list)
    for pk, *_ in units:  # in today's path order: siblings keep their relative order
        children[parent_of.get(pk)].append(pk)
    rows = []
    path_of: dict[int, str] = {}
    kept: dict[int, bool] = {}

    def place(parent_id: int | None, parent_path: str, parent_kept: bool, depth: int) -> list[int]:
        todo = []
        ids = children.get(parent_id, [])
        used = set()
        for pk in ids:  # a unit whose ancestry is unchanged keeps today's path
            if parent_kept and current_parent[pk] == parent_id:
                path_of[pk], kept[pk] = current_path[pk], True
                used.add(current_path[pk][-STEP:])
        # fresh steps from the top of the range down: treebeard allocates upwards, so a unit placed later
        # by today's path (founded after the year's tree was built) does not meet them
        step = len(OrgUnit.alphabet) ** STEP
        for pk in ids:
            if pk in path_of:
                continue
            while True:
                step -= 1
                candidate = OrgUnit._int2str(step).rjust(STEP, OrgUnit.alphabet[0])
                if candidate not in used:
                    break
            path_of[pk], kept[pk] = parent_path + candidate, False
        for pk in ids:
            rows.append(
                UnitYearPath(
                    year=year,
                    unit_id=pk,
                    parent_id=parent_id,
                    path=path_of[pk],
                    depth=depth,
                    existed=existed[pk],
                )
            )
            todo.append(pk)
        return todo

    stack = [(None, "", True, 1)]
    while stack:
        parent_id, parent_path, parent_kept, depth = stack.pop()
        for pk in place(parent_id, parent_path, parent_kept, depth):
            stack.append((pk, path_of[pk], kept[pk], depth + 1))
    UnitYearPath.objects.filter(year=year).delete()
    UnitYearPath.objects.bulk_create(rows, batch_size=5000)
    TreeYear.objects.update_or_create(year=year, defaults={"built_at": timezone.now(), "units": len(rows)})


def _parent_on(day: dt.date, placements, current_parent: int | None) -> int | None:
    """The parent on `day` from a unit's past placements [(from, to, parent)]: the placement covering
    it; after the last one, the current parent; before or between them (unrecorded), the next one."""
    for _frm, to, parent_id in sorted(placements, key=lambda p: p[1]):
        if day <= to:
            return parent_id
    return current_parent


# ---------------------------------------------------------------- reads


def parents_on(day: dt.date, *, units: Iterable[int] | None = None) -> dict[int, int | None]:
    """{unit id: parent id} of the tree on `day` (units open that day; all units when `units` is None).
    Three queries whatever the size: the units, their current parents' ids, the placements covering `day`."""
    qs = OrgUnit.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if units is not None:
        qs = qs.filter(pk__in=list(units))
    rows = list(qs.values_list("pk", "path", "depth"))
    parents = (
        OrgUnit.objects.all()
        if units is None
        else OrgUnit.objects.filter(path__in={path[:-STEP] for _, path, d in rows if d > 1})
    )
    by_path = dict(parents.values_list("path", "pk"))
    result = {pk: (by_path.get(path[:-STEP]) if depth > 1 else None) for pk, path, depth in rows}
    placements = UnitPlacement.objects.filter(valid_to__gte=day).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    )
    for unit_id, parent_id in placements.values_list("unit_id", "parent_id"):
        if unit_id in result:
            result[unit_id] = parent_id
    return result


def children_on(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """The units that were directly under `unit` on `day` (today's children that were not elsewhere then,
    and the units then under it that have moved since)."""
    now_children = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).values_list(
        "pk", flat=True
    )
    then = (
        UnitPlacement.objects.filter(parent=unit, valid_to__gte=day)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .values_list("unit_id", flat=True)
    )
    candidates = set(now_children) | set(then)
    parents = parents_on(day, units=candidates)
    return sorted(
        (u for u in OrgUnit.objects.filter(pk__in=[pk for pk, p in parents.items() if p == unit.pk])),
        key=lambda u: u.path,
    )


def year_is_own(year: int) -> bool:
    """The year's tree is materialised (a past year a later move changed); else today's tree is used."""
    return year < current_year() and TreeYear.objects.filter(year=year).exists()


def year_path(unit: OrgUnit, year: int, *, own: bool | None = None) -> str:
    """The unit's path in the tree of `year`."""
    if own is None:
        own = year_is_own(year)
    if not own:
        return unit.path
    path = UnitYearPath.objects.filter(year=year, unit=unit).values_list("path", flat=True).first()
    return path or unit.path


def year_paths(
    year: int, unit_ids: Iterable[int] | None = None, *, prefix: str = "", own: bool | None = None
) -> dict[int, str]:
    """{unit id: its path in the tree of `year`} of `unit_ids` (one query per 900 units), or of every unit
    (in today's subtree of `prefix`) when `unit_ids` is None (one query; two in a year with its own tree).
    `own`: whether the year has its own tree, when the caller knows."""
    if own is None:
        own = year_is_own(year)
    if unit_ids is None:
        units = OrgUnit.objects.filter(path__startswith=prefix) if prefix else OrgUnit.objects.all()
        result = dict(units.values_list("pk", "path"))
        if own:
            placed = UnitYearPath.objects.filter(year=year)
            if prefix:
                placed = placed.filter(unit__path__startswith=prefix)
            result.update(placed.values_list("unit_id", "path"))
        return result
    ids = sorted(set(unit_ids))
    result = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        if own:
            result.update(
                dict(UnitYearPath.objects.filter(year=year, unit_id__in=chunk).values_list("unit_id", "path"))
            )
        missing = [pk for pk in chunk if pk not in result]  # today's tree, or units the year's tree predates
        if missing:
            result.update(dict(OrgUnit.objects.filter(pk__in=missing).values_list("pk", "path")))
    return result


def year_children(
    *, unit: OrgUnit, year: int, user=None, path: str | None = None, own: bool | None = None
) -> list[tuple[OrgUnit, str]]:
    """[(child, its path in the tree of `year`)] of the units that stood directly under `unit` at the end
    of `year` (open at some time in it), visible to `user` when given, higher levels first then by name.
    `path`, `own`: the unit's path in that year and whether the year has its own tree, when the caller has
    them (`unit_year_places`). One query, for a past year as for the current one."""
    from .selectors import orgunit_visible, unit_sort_key

    if own is None:
        own = year_is_own(year)
    base = orgunit_visible(user=user) if user is not None else OrgUnit.objects.all()
    base = base.select_related("unit_type", "sector")
    if own:
        path = path or year_path(unit, year, own=True)
        placed = UnitYearPath.objects.filter(
            year=year, path__startswith=path, depth=len(path) // STEP + 1, existed=True
        )
        if user is not None:
            placed = placed.filter(unit__in=base.values("pk"))
        rows = placed.select_related("unit__unit_type", "unit__sector")
        pairs = [(row.unit, row.path) for row in rows]
    else:
        start, end = dt.date(year, 1, 1), year_end(year)
        children = base.filter(path__startswith=unit.path, depth=unit.depth + 1).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )
        pairs = [(c, c.path) for c in children]
    return sorted(pairs, key=lambda pair: unit_sort_key(pair[0]))


def lineage(unit: OrgUnit) -> dict:
    """The unit's story for its page: `placements` (past parents, oldest first, with the document),
    `came_from` (successions into it) and `went_to` (successions out of it)."""
    return {
        "placements": list(
            UnitPlacement.objects.filter(unit=unit).select_related("parent").order_by("valid_to")
        ),
        "came_from": list(
            Succession.objects.filter(successor=unit).select_related("predecessor").order_by("on", "pk")
        ),
        "went_to": list(
            Succession.objects.filter(predecessor=unit).select_related("successor").order_by("on", "pk")
        ),
    }


def unit_year_places(unit: OrgUnit, years: Iterable[int]) -> dict[int, tuple[str, bool]]:
    """{year: (the unit's path in that year's tree, whether the year has its own tree)} for several years
    in ONE query, the same for a past year as for the current one (a year with its own tree has a row for
    every unit that existed when it was built; a unit without one reads today's tree)."""
    years = sorted(set(years))
    known = unit.__dict__.setdefault("_year_places", {})  # remembered on the instance (one request)
    missing = [y for y in years if y not in known]
    if missing:
        rows = dict(UnitYearPath.objects.filter(unit=unit, year__in=missing).values_list("year", "path"))
        known.update({y: (rows[y], True) if y in rows else (unit.path, False) for y in missing})
    return {y: known[y] for y in years}


def subtree_q(field: str, unit: OrgUnit, year: int) -> Q:
    """A filter on raw rows whose unit (`field`, a foreign key to OrgUnit) stood in `unit`'s subtree in the
    tree of `year`: today's path prefix, or the year's own tree (a sub-query on its paths)."""
    path, own = unit_year_places(unit, [year])[year]
    if not own:
        return Q(**{f"{field}__path__startswith": unit.path})
    placed = UnitYearPath.objects.filter(year=year, path__startswith=path).values("unit_id")
    return Q(**{f"{field}__in": placed})
