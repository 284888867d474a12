"""Reads on the organisation tree. Every list goes through `restrict()`; subtrees are path prefixes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from core.access import Action, restrict, scope_roots
from core.search import folded_contains
from core.text import collation_key, fold

from .figures import unit_figures
from .models import OrgUnit, Succession


def orgunit_visible(*, user, action: str = Action.UNIT_VIEW) -> QuerySet[OrgUnit]:
    return restrict(OrgUnit.objects.select_related("unit_type", "sector"), user, action)


def orgunit_get(*, user, pk: int, action: str = Action.UNIT_VIEW) -> OrgUnit:
    """The unit, or OrgUnit.DoesNotExist when it does not exist *or* is outside the user's scope."""
    return orgunit_visible(user=user, action=action).get(pk=pk)


def orgunit_roots(*, user, action: str = Action.UNIT_VIEW) -> list[OrgUnit]:
    """Top units of the user's view for `action`: the real roots for a global user, else the units
    they hold it on."""
    paths = scope_roots(user, action)
    qs = OrgUnit.objects.get_root_nodes() if paths is None else OrgUnit.objects.filter(path__in=paths)
    return sorted(qs.select_related("unit_type"), key=unit_sort_key)


def orgunit_children(*, user, unit: OrgUnit) -> list[OrgUnit]:
    children = orgunit_visible(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1)
    return sorted(children, key=unit_sort_key)


def unit_sort_key(unit: OrgUnit) -> tuple[int, str]:
    """Higher levels first, then Vietnamese alphabetical order of the name."""
    return (unit.unit_type.rank, collation_key(unit.name))


def orgunit_ancestors(*, units: Iterable[OrgUnit]) -> dict[str, OrgUnit]:
    """All ancestors of the given units in one query, keyed by path (for breadcrumbs and labels)."""
    paths = {path for unit in units for path in unit.ancestor_paths()}
    if not paths:
        return {}
    return {u.path: u for u in OrgUnit.objects.filter(path__in=paths).select_related("unit_type")}


def orgunit_breadcrumbs(*, user, unit: OrgUnit) -> list[tuple[OrgUnit, bool]]:
    """(ancestor, may_open) pairs from the root down to the unit's parent."""
    from core.access import can

    ancestors = orgunit_ancestors(units=[unit])
    return [(ancestors[p], can(user, Action.UNIT_VIEW, p)) for p in unit.ancestor_paths() if p in ancestors]


def orgunit_search(*, user, query: str, limit: int = 50) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Units whose name, short name or code contains the query, accents ignored ("my duc" → Mỹ Đức);
    a query of one or two characters matches the start of the name (`core.search`).
    Returns each match with its ancestors (root first) for display; two queries in all."""
    folded = fold(query)
    if not folded:
        return []
    matches = list(
        orgunit_visible(user=user)
        .filter(folded_contains(OrgUnit, folded))  # indexed (core.search)
        .order_by("depth", "name")[:limit]
    )
    ancestors = orgunit_ancestors(units=matches)
    return [(u, [ancestors[p] for p in u.ancestor_paths() if p in ancestors]) for u in matches]


def figures_year() -> int:
    """The year of the current figures (members now, units now): the calendar year's counters."""
    return timezone.localdate().year


def subtree_member_counts(*, units: list[OrgUnit]) -> dict[int, int] | None:
    """Current members in the subtree of each unit: their pre-rolled counters of this year
    (`organizations.figures`, one query), or None when this year's counters are not built yet."""
    figures = unit_figures().figures(units=units, year=figures_year())
    return None if figures is None else {pk: f["members"] for pk, f in figures.items()}


def _existed(unit: OrgUnit, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


def orgunit_stats_many(*, units: list[OrgUnit]) -> dict[int, dict]:
    """{unit id: figures for the unit page and the home page}: units below, members and women in the
    subtree, from this year's pre-rolled counters (one query for any number of units, plus one telling
    whether the year is built). `built` False (and no figures) when this year's counters are not built."""
    year = figures_year()
    figures = unit_figures().figures(units=units, year=year)
    if figures is None:
        return {u.pk: {"built": False, "year": year} for u in units}
    return {
        u.pk: {
            "built": True,
            "year": year,
            "units_below": max(figures[u.pk]["units"] - _existed(u, year), 0),
            "members": figures[u.pk]["members"],
            "female": figures[u.pk]["female"],
        }
        for u in units
    }


def orgunit_stats(*, unit: OrgUnit) -> dict:
    return orgunit_stats_many(units=[unit])[unit.pk]


def title_predecessors(
    units: Iterable[OrgUnit | int], *, inherit_on_consolidation: bool, as_of: dt.date | None = None
) -> dict[int, list[int]]:
    """R-ORG-01, the successor rule for a collective's past titles: {unit id: the ids of the units whose
    titles count as its own, transitively, nearest first} (an empty list when none).

    A transfer or a rename keeps the same unit, so its history is already its own. A unit that absorbed
    others (Succession kind MERGE) carries on their titles; a collective newly formed by consolidation
    (CONSOLIDATE) does only when the rule set's `inherit_on_consolidation` is true (by default it starts
    fresh); dissolution and split never pass titles. `as_of`: only successions effective by that day (the
    end of the year assessed). One query per generation of predecessors, whatever the number of units."""
    kinds = [Succession.Kind.MERGE]
    if inherit_on_consolidation:
        kinds.append(Succession.Kind.CONSOLIDATE)
    ids = [u if isinstance(u, int) else u.pk for u in units]
    result: dict[int, list[int]] = {pk: [] for pk in ids}
    reached: dict[int, set[int]] = {pk: {pk} for pk in ids}  # per unit: itself and what it already has
    heirs: dict[int, set[int]] = {pk: {pk} for pk in ids}  # frontier unit → the units it counts for
    while heirs:
        edges = Succession.objects.filter(successor_id__in=list(heirs), kind__in=kinds)
        if as_of is not None:
            edges = edges.filter(on__lte=as_of)
        found: dict[int, set[int]] = {}
        for successor_id, predecessor_id in edges.order_by("on", "predecessor_id").values_list(
            "successor_id", "predecessor_id"
        ):
            for unit_id in heirs[successor_id]:
                if predecessor_id not in reached[unit_id]:
                    reached[unit_id].add(predecessor_id)
                    result[unit_id].append(predecessor_id)
                    found.setdefault(predecessor_id, set()).add(unit_id)
        heirs = found
    return result
