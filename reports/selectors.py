"""Reads of the reports app: rollups of the per-unit counters over subtrees.

A subtree's figure for year Y is the unit's pre-rolled total (`UnitTotal`, kept equal to the SUM of the
own counters of its subtree in the tree of Y by `reports.services`): one row per metric, and a child's
figure is the child's row — the cost grows with the children shown, never with the subtree, the same for a
past year as for the current one. Reports that group own counters another way (by sector) still SUM the
counters over the subtree's path range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Substr

from commendations.choices import RecordStatus, SubjectCategory
from commendations.metrics import LEVEL_CODES, LEVEL_SHORT, award_level, type_token
from commendations.models import AwardRecord, AwardType
from core.access import Action
from core.text import collation_key
from members.choices import Gender
from organizations import tree
from organizations.models import OrgUnit, Sector

from .models import CounterState, CounterYear, UnitCounter, UnitTotal

NO_SECTOR_LABEL = "Chưa xác định khối"


def rollup(*, unit: OrgUnit, year: int, metrics: Iterable[str] | None = None) -> dict[str, int]:
    """{metric: SUM over the unit's subtree} for one year (one query). Missing metrics are 0."""
    return rollup_years(unit=unit, years=[year], metrics=metrics)[year]


def rollup_years(
    *, unit: OrgUnit, years: Iterable[int], metrics: Iterable[str] | None = None
) -> dict[int, dict[str, int]]:
    """{year: {metric: SUM over the subtree}} for several years: the unit's pre-rolled totals
    (`UnitTotal`, one row per year and metric, each year on its own tree), one query."""
    years = list(years)
    qs = UnitTotal.objects.filter(unit=unit, year__in=years)
    metrics = list(metrics) if metrics is not None else None
    if metrics is not None:
        qs = qs.filter(metric__in=metrics)
    result: dict[int, dict[str, int]] = {y: defaultdict(int) for y in years}
    for y, metric, value in qs.values_list("year", "metric", "value"):
        result[y][metric] = value
    if metrics is not None:
        for y in years:
            for m in metrics:
                result[y].setdefault(m, 0)
    return result


def _in_subtree(unit: OrgUnit, years: Iterable[int], places: dict | None = None) -> Q:
    """The counters of `years` inside the unit's subtree, each year on its own tree (one query for the
    unit's paths, whatever the years) — for the reports that group own counters another way (by sector)."""
    places = places or tree.unit_year_places(unit, years)
    by_path: dict[str, list[int]] = defaultdict(list)
    for y, (path, _own) in places.items():
        by_path[path].append(y)
    q = Q(pk__in=[])
    for path, ys in by_path.items():
        q |= Q(year__in=ys, path__startswith=path)
    return q


def rollup_children(
    *, unit: OrgUnit, year: int, children: list[OrgUnit] | None = None, user=None
) -> tuple[list[tuple[OrgUnit, dict[str, int]]], dict[str, int]]:
    """([(child, {metric: SUM over the child's subtree})...], the unit's own figures).

    Two queries for the figures (plus one for the children when they are not given: the children
    visible to `user`, or all children)."""
    _, by_child, own = rollup_tree(unit=unit, years=[year], year=year, children=children, user=user)
    return by_child, own


def rollup_tree(
    *, unit: OrgUnit, years: Iterable[int], year: int, children: list[OrgUnit] | None = None, user=None
) -> tuple[dict[int, dict[str, int]], list[tuple[OrgUnit, dict[str, int]]], dict[str, int]]:
    """The dashboard's rollup from the pre-rolled totals: ({y: {metric: SUM over the whole subtree}} for
    each of `years`, [(child, {metric: SUM over its subtree})...] for `year`, the unit's own figures for
    `year`). ONE query (a UNION ALL) reads the unit's totals of every year, its children's of `year` and its
    own counters of `year` (rows: metrics × (years + children + 1), whatever lies below); the children of the year's tree
    come from `tree.year_children` (the subtree totals count every child, seen by `user` or not)."""
    years = sorted(set(years) | {year})
    if children is None:
        path, own_tree = tree.unit_year_places(unit, [year])[year]
        pairs = tree.year_children(unit=unit, year=year, user=user, path=path, own=own_tree)
        children = [c for c, _ in pairs]
    totals: dict[int, dict[str, int]] = {y: defaultdict(int) for y in years}
    by_child = {c.pk: defaultdict(int) for c in children}
    subtree = (
        UnitTotal.objects.filter(Q(unit=unit, year__in=years) | Q(year=year, unit_id__in=list(by_child)))
        .annotate(own=Value(False))
        .values_list("own", "unit_id", "year", "metric", "value")
    )
    own_rows = (
        UnitCounter.objects.filter(unit=unit, year=year)
        .annotate(own=Value(True))
        .values_list("own", "unit_id", "year", "metric", "value")
    )
    own: dict[str, int] = defaultdict(int)
    for is_own, unit_id, y, metric, value in subtree.union(own_rows, all=True):
        if is_own:
            own[metric] = value
        elif unit_id == unit.pk:
            totals[y][metric] = value
        elif y == year and unit_id in by_child:
            by_child[unit_id][metric] = value
    return totals, [(c, by_child[c.pk]) for c in children], own


def subtree_figures(
    *, units: Iterable[OrgUnit], year: int, metrics: Iterable[str]
) -> dict[int, dict[str, int]]:
    """{unit id: {metric: SUM over its subtree}} of `year` for a few units (a page's cards, a tree level):
    their pre-rolled totals, one query whatever lies below them."""
    metrics = list(metrics)
    result = {u.pk: dict.fromkeys(metrics, 0) for u in units}
    rows = UnitTotal.objects.filter(year=year, unit_id__in=list(result), metric__in=metrics)
    for unit_id, metric, value in rows.values_list("unit_id", "metric", "value"):
        result[unit_id][metric] = value
    return result


PAGE_FIGURES = {"members": "members", "female": "members_female", "units": "units"}


def unit_page_figures(*, units: Iterable[OrgUnit], year: int) -> dict[int, dict[str, int]] | None:
    """The tree's figures (`organizations.figures`): {unit id: {"members", "female", "units"}} over each
    unit's subtree from its pre-rolled totals (2 queries), or None when the year is not built."""
    units = list(units)
    if not counters_built(year=year):
        return None
    if not units:
        return {}
    rows = subtree_figures(units=units, year=year, metrics=PAGE_FIGURES.values())
    return {pk: {key: r[m] for key, m in PAGE_FIGURES.items()} for pk, r in rows.items()}


def counters_built(*, year: int) -> bool:
    """The year's counters were built whole at least once (else no figure of it is complete)."""
    return CounterYear.objects.filter(year=year, rebuilt_at__isnull=False).exists()


# the figures that say a year has work in it: registrations or initiatives (the unit page's default year)
YEAR_METRICS = ("reg_persons", "reg_collectives", "initiatives_submitted", "initiatives")


def latest_figures_year(unit: OrgUnit) -> int | None:
    """The latest year whose pre-rolled totals of the unit's subtree show registrations or initiatives —
    one indexed read of the unit's own totals (`unittotal_unique`), never the subtree's rows; the unit
    page's year source (`organizations.panels.register_year_source`)."""
    rows = UnitTotal.objects.filter(unit=unit, metric__in=YEAR_METRICS, value__gt=0)
    return rows.aggregate(y=Max("year"))["y"]


def counters_rebuilt_at(*, year: int):
    return CounterYear.objects.filter(year=year).values_list("rebuilt_at", flat=True).first()


def counters_freshness(*, unit: OrgUnit, years: Iterable[int]) -> dict:
    """How current the subtree's counters of `years` are (2 queries): `updated_at` — the newest of the
    year's whole build and of the subtree's unit refreshes (of the last of `years`); `pending` — a
    refresh is queued for a unit of the subtree or the year is being built whole; `built` — the year was
    built whole at least once (else no figure is complete)."""
    years = sorted(set(years))
    year = years[-1]
    rows = {
        y: (rebuilt, pending)
        for y, rebuilt, pending in CounterYear.objects.filter(year__in=years).values_list(
            "year", "rebuilt_at", "pending_since"
        )
    }
    states = CounterState.objects.filter(year__in=years, unit__path__startswith=unit.path).aggregate(
        refreshed=Max("refreshed_at", filter=Q(year=year)),
        dirty=Count("id", filter=Q(dirty_since__isnull=False)),
    )
    rebuilt, _ = rows.get(year, (None, None))
    stamps = [t for t in (rebuilt, states["refreshed"]) if t is not None]
    return {
        "updated_at": max(stamps) if rebuilt is not None and stamps else None,
        "pending": bool(states["dirty"]) or any(p is not None for _, p in rows.values()),
        "built": rebuilt is not None,
    }


def rollup_by_sector(
    *, unit: OrgUnit, year: int, metrics: Iterable[str]
) -> list[tuple[int | None, str | None, dict[str, int]]]:
    """[(sector id, sector name, {metric: SUM})...] over the unit's subtree, grouped by the sector of each
    counter's unit (one grouped query joining the units and their sectors); units without a sector come
    last with id and name None."""
    rows = (
        UnitCounter.objects.filter(_in_subtree(unit, [year]), metric__in=list(metrics))
        .values("unit__sector_id", "unit__sector__name", "metric")
        .annotate(v=Sum("value"))
        .order_by()
    )
    by_sector: dict[int | None, tuple[str | None, dict[str, int]]] = {}
    for row in rows:
        key = row["unit__sector_id"]
        _, figures = by_sector.setdefault(key, (row["unit__sector__name"], defaultdict(int)))
        figures[row["metric"]] += row["v"]
    ordered = sorted(by_sector.items(), key=lambda item: (item[0] is None, item[1][0] or ""))
    return [(sid, name, figures) for sid, (name, figures) in ordered]


def award_catalogue(*, with_levels: bool = False) -> list[dict]:
    """The award types in catalogue order: {pk, code, name, label, subject, by_state, levels} — `levels`
    (with_levels) the levels that may confer it (commendations.metrics.award_level of its conferring unit types).
    One query, two with the levels."""
    qs = AwardType.objects.order_by("position", "code")
    if with_levels:
        qs = qs.prefetch_related("conferring_unit_types")
    result = []
    for t in qs:
        levels: set[str] = set()
        if with_levels:
            levels = (
                {"NN"}
                if t.conferred_by_state
                else {
                    award_level(by_state=False, issuer_type=ut.code, issuer_rank=ut.rank)
                    for ut in t.conferring_unit_types.all()
                }
            )
        result.append(
            {
                "pk": t.pk,
                "code": t.code,
                "token": type_token(t.code, t.pk),
                "name": t.name,
                "label": t.label,
                "subject": t.subject,
                "by_state": t.conferred_by_state,
                "active": t.active,
                "levels": levels,
            }
        )
    return result


# --- awards by subject category (phân loại đối tượng) ----------------------------------------------------

UNCLASSIFIED = ""  # individual awards recorded without a category (history, lists without the column)


@dataclass
class CategoryFigures:
    """Individual awards of one group (a level, a sector, a sex): how many in all and per subject
    category (`commendations.choices.SubjectCategory` code, "" for unclassified)."""

    label: str
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_category.values())

    @property
    def direct(self) -> int:
        return self.by_category.get(SubjectCategory.DIRECT_WORKER, 0)

    def counts(self) -> list[int]:
        """The counts in the report's column order: each category, then the unclassified."""
        return [self.by_category.get(code, 0) for code in (*SubjectCategory.values, UNCLASSIFIED)]

    def add(self, category: str, n: int) -> None:
        self.by_category[category] = self.by_category.get(category, 0) + n


def awards_by_subject_category(*, user, unit: OrgUnit, year: int) -> dict:
    """Valid individual awards of the year in `unit`'s subtree (in the tree of that year) that `user` may
    see (person.view), by
    subject category — in all, by level of the conferring body (`commendations.metrics.award_level`), by
    sector and by sex. The sector is that of the nearest unit at or above the award's scope unit that has
    one (a person's award is recorded on their union group, the sector is set on the CĐCS). ONE grouped
    query (the sector through a correlated sub-query), plus one for the sectors' names.

    {"total": CategoryFigures, "levels": [...], "sectors": [...], "sexes": [...]} — every level and sex
    listed, sectors only where awards were given (the unknown last)."""
    sector_of_scope = (
        OrgUnit.objects.filter(
            sector__isnull=False,
            depth__lte=OuterRef("scope_unit__depth"),
            path=Substr(OuterRef("scope_unit__path"), 1, F("depth") * OrgUnit.steplen),
        )
        .order_by("-depth")
        .values("sector_id")[:1]
    )
    rows = (
        AwardRecord.objects.restrict(user, Action.PERSON_VIEW)
        .filter(
            tree.subtree_q("scope_unit", unit, year),
            year=year,
            status=RecordStatus.VALID,
            person__isnull=False,
        )
        .annotate(in_sector=Subquery(sector_of_scope))
        .values(
            "award_type__conferred_by_state",
            "issuing_unit__unit_type__code",
            "issuing_unit__unit_type__rank",
            "in_sector",
            "person__gender",
            "subject_category",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    total = CategoryFigures("Tổng số")
    levels = {code: CategoryFigures(LEVEL_SHORT[code]) for code in LEVEL_CODES}
    sexes = {code: CategoryFigures(label) for code, label in Gender.choices}
    sexes[""] = CategoryFigures("Chưa rõ giới tính")
    sectors: dict[int | None, CategoryFigures] = {}
    for r in rows:  # one row per group, never per award
        category, n = r["subject_category"] or UNCLASSIFIED, r["n"]
        level = award_level(
            by_state=r["award_type__conferred_by_state"],
            issuer_type=r["issuing_unit__unit_type__code"],
            issuer_rank=r["issuing_unit__unit_type__rank"],
        )
        total.add(category, n)
        levels[level].add(category, n)
        sexes.get(r["person__gender"] or "", sexes[""]).add(category, n)
        sectors.setdefault(r["in_sector"], CategoryFigures("")).add(category, n)
    names = dict(
        Sector.objects.filter(pk__in=[k for k in sectors if k is not None]).values_list("pk", "name")
    )
    for key, figures in sectors.items():
        figures.label = names.get(key, NO_SECTOR_LABEL) if key is not None else NO_SECTOR_LABEL
    ordered = sorted(sectors.items(), key=lambda item: (item[0] is None, collation_key(item[1].label)))
    return {
        "total": total,
        "levels": list(levels.values()),
        "sectors": [figures for _, figures in ordered],
        "sexes": [f for key, f in sexes.items() if key or f.total],
    }
