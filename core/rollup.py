"""Counting rows per subtree for a set of sibling-level units in one grouped query.

Rows are grouped by the prefix of their unit's path at the units' depth, so the cost is one query
whatever the number of units, and no recursion over the tree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr


def common_prefix(paths: Iterable[str]) -> str:
    paths = list(paths)
    first, last = min(paths), max(paths)
    i = 0
    while i < len(first) and i < len(last) and first[i] == last[i]:
        i += 1
    return first[:i]


def subtree_counts(*, units: list, queryset: QuerySet, path_lookup: str, distinct: str | None = None) -> dict:
    """{unit.pk: number of rows of `queryset` whose `path_lookup` lies in the unit's subtree}."""
    result = {u.pk: 0 for u in units}
    if not units:
        return result
    steplen = units[0].steplen
    for depth in {u.depth for u in units}:
        group = [u for u in units if u.depth == depth]
        by_path = {u.path: u.pk for u in group}
        rows = (
            queryset.filter(**{f"{path_lookup}__startswith": common_prefix(by_path)})
            .annotate(_prefix=Substr(path_lookup, 1, depth * steplen))
            .values("_prefix")
            .annotate(n=Count(distinct or "pk", distinct=bool(distinct)))
            .order_by()
        )
        for row in rows:
            if row["_prefix"] in by_path:
                result[by_path[row["_prefix"]]] = row["n"]
    return result
