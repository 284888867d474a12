"""Reads for movements. Movements are visible from the organiser's subtree *and* to every unit below it
(a unit sees the movements of all its ancestors); everything else goes through `restrict()`."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from core.access import Action, ancestor_or_self_paths, restrict
from core.rollup import subtree_counts
from core.text import fold
from members.choices import Gender
from members.models import Membership, Person
from organizations.models import OrgUnit
from organizations.selectors import orgunit_children, orgunit_stats_many

from .choices import Audience, MovementStatus, title_names
from .models import Evaluation, Movement, ProgressReport, Registration


def movement_visible(*, user) -> QuerySet[Movement]:
    """Movements the user may see (`AlongPath` on the organiser: a unit sees its ancestors' movements)."""
    return Movement.objects.restrict(user, Action.UNIT_VIEW).select_related("organiser__unit_type")


def movement_list(
    *, user, unit: OrgUnit | None = None, year: int | None = None, status: str = ""
) -> QuerySet[Movement]:
    qs = movement_visible(user=user)
    if unit is not None:
        ancestors = ancestor_or_self_paths(unit.path, unit.steplen)
        qs = qs.filter(Q(organiser__path__in=ancestors) | Q(organiser__path__startswith=unit.path))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    # the order the index movements_year_name_idx serves (a page reads one page, issue 16)
    return qs.order_by("-year", "name", "pk")


def movement_get(*, user, pk: int) -> Movement:
    return (
        movement_visible(user=user)
        .prefetch_related("targets", "milestones", "unit_types", "sectors")
        .get(pk=pk)
    )


def _audience_counts(movement: Movement, units: list[OrgUnit]) -> dict[int, int | None]:
    """{unit id: current members of its subtree the movement concerns (all, or the women)}, from this
    year's pre-rolled counters (`organizations.figures`: two queries whatever the subtree; None while
    this year's counters are not built — never a raw count of the subtree's memberships)."""
    key = "female" if movement.audience == Audience.WOMEN else "members"
    return {pk: f.get(key) for pk, f in orgunit_stats_many(units=units).items()}


def registration_coverage(*, movement: Movement, units: list[OrgUnit]) -> list[dict]:
    """Per unit: members concerned (pre-rolled counters, `_audience_counts`), members registered, share,
    and whether the unit registered as a collective. A fixed number of queries whatever the units."""
    members = _audience_counts(movement, units)
    registered = subtree_counts(
        units=units,
        queryset=Registration.objects.filter(movement=movement, person__isnull=False),
        path_lookup="unit__path",
    )
    collectives = set(
        Registration.objects.filter(movement=movement, person__isnull=True, unit__in=units).values_list(
            "unit_id", flat=True
        )
    )
    rows = []
    for unit in units:
        total, done = members[unit.pk], registered[unit.pk]
        rows.append(
            {
                "unit": unit,
                "members": total,
                "registered": done,
                "share": (done * 100 / total) if total else None,
                "collective": unit.pk in collectives,
            }
        )
    return rows


def coverage_total(rows: list[dict]) -> dict:
    members = sum(r["members"] or 0 for r in rows)
    registered = sum(r["registered"] for r in rows)
    return {
        "members": members,
        "registered": registered,
        "share": (registered * 100 / members) if members else None,
    }


def unit_movement_summary(*, user, unit: OrgUnit, year: int | None = None) -> list[dict]:
    """For the unit page: the launched/closed movements that apply to the unit, with the unit's own
    registration coverage (members of its subtree from this year's pre-rolled counters, None while they
    are not built). A fixed number of queries plus the list."""
    movements = list(
        movement_list(user=user, unit=unit, year=year)
        .exclude(status=MovementStatus.DRAFT)
        .filter(
            organiser__path__in=[unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
        )
    )
    if not movements:
        return []
    registered = dict(
        Registration.objects.filter(
            movement__in=movements, person__isnull=False, unit__path__startswith=unit.path
        )
        .values("movement")
        .annotate(n=Count("id"))
        .values_list("movement", "n")
    )
    stats = orgunit_stats_many(units=[unit])[unit.pk]  # the subtree's members: pre-rolled counters
    rows = []
    for movement in movements:
        total = stats.get("female" if movement.audience == Audience.WOMEN else "members")
        done = registered.get(movement.pk, 0)
        rows.append(
            {
                "movement": movement,
                "members": total,
                "registered": done,
                "share": done * 100 / total if total else None,
            }
        )
    return rows


def my_registration(*, user, movement: Movement) -> Registration | None:
    if not getattr(user, "person_id", None):
        return None
    return Registration.objects.filter(movement=movement, person_id=user.person_id).first()


def registrable_memberships(*, user, movement: Movement, unit: OrgUnit, query: str = "") -> QuerySet:
    """Open memberships of `unit`'s subtree the user may register (the movement's audience), filtered
    by a folded name or an exact card number, name-ordered — to be paged."""
    memberships = (
        restrict(Membership.objects.all(), user, Action.REGISTRATION_CHANGE)
        .filter(ended_on__isnull=True, unit__path__startswith=unit.path)
        .select_related("person", "unit")
        .order_by("person__sort_key", "person_id")
    )
    if movement.audience == Audience.WOMEN:
        memberships = memberships.filter(person__gender=Gender.FEMALE)
    folded = fold(query)
    if folded:
        memberships = memberships.filter(
            Q(person__search_text__contains=folded) | Q(card_number=query.strip())
        )
    return memberships


def registration_rows(*, movement: Movement, memberships: list[Membership]) -> list[dict]:
    """Rows for one page of memberships, with their current registration (one query)."""
    registrations = {
        r.person_id: r
        for r in Registration.objects.filter(
            movement=movement, person_id__in=[m.person_id for m in memberships]
        )
    }
    names = title_names()
    rows = []
    for m in memberships:
        registration = registrations.get(m.person_id)
        titles = [names.get(code, "") for code in registration.titles] if registration else []
        rows.append(
            {
                "membership": m,
                "person": m.person,
                "registration": registration,
                "titles": [t for t in titles if t],
            }
        )
    return rows


def registrable_members(*, user, movement: Movement, unit: OrgUnit) -> list[dict]:
    """Members of `unit`'s subtree the user may register, with their current registration, name-ordered."""
    memberships = list(registrable_memberships(user=user, movement=movement, unit=unit))
    return registration_rows(movement=movement, memberships=memberships)


def progress_table(*, movement: Movement, units: list[OrgUnit], stage: str) -> dict:
    """Reports of the given units for a stage, figures per target, and totals per target. A percentage
    target (`Target.is_share`) has no total: percentages of different units do not add up (None)."""
    targets = list(movement.targets.all())
    reports = {
        r.unit_id: r
        for r in ProgressReport.objects.filter(
            movement=movement, stage=stage, unit__in=units
        ).prefetch_related("figures")
    }
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        values = {f.target_id: f.value for f in report.figures.all()} if report else {}
        for target_id, value in values.items():
            totals[target_id] += value
        rows.append({"unit": unit, "report": report, "values": [(t, values.get(t.pk)) for t in targets]})
    return {
        "targets": targets,
        "rows": rows,
        "totals": [(t, None if t.is_share else totals.get(t.pk)) for t in targets],
        "has_share": any(t.is_share for t in targets),
        "submitted": sum(1 for r in rows if r["report"]),
    }


def evaluation_grid(*, user, unit: OrgUnit, year: int) -> list[dict]:
    """The members of `unit`'s subtree with their evaluation for `year` (two queries), name-ordered.
    For small units and tests; the screen pages `evaluation_members` and `evaluation_rows`."""
    return evaluation_rows(memberships=list(evaluation_members(user=user, unit=unit)), year=year)


def evaluation_members(*, user, unit: OrgUnit, query: str = "", direct_only: bool = False) -> QuerySet:
    """Open memberships the user may rate in `unit`'s subtree (only those sitting at `unit` itself with
    `direct_only`), filtered by a folded name or an exact card number, name-ordered — to be paged."""
    qs = (
        restrict(Membership.objects.all(), user, Action.EVALUATION_CHANGE)
        .filter(ended_on__isnull=True)
        .select_related("person", "unit")
        .order_by("person__sort_key", "person_id")
    )
    qs = qs.filter(unit=unit) if direct_only else qs.filter(unit__path__startswith=unit.path)
    folded = fold(query)
    if folded:
        qs = qs.filter(Q(person__search_text__contains=folded) | Q(card_number=query.strip()))
    return qs


def evaluation_rows(*, memberships: list[Membership], year: int) -> list[dict]:
    """Rows of the grid for one page of memberships: one query for their evaluations of `year`."""
    evaluations = {
        e.person_id: e
        for e in Evaluation.objects.filter(year=year, person_id__in=[m.person_id for m in memberships])
    }
    return [
        {"membership": m, "person": m.person, "evaluation": evaluations.get(m.person_id)} for m in memberships
    ]


def _is_rated(year: int) -> Exists:
    return Exists(Evaluation.objects.filter(year=year, person_id=OuterRef("person_id")))


def evaluation_groups(*, user, unit: OrgUnit, year: int) -> dict:
    """The union groups below `unit` (its visible children holding members or with members below them),
    each with its current members and how many of them are rated for `year`, and the same two figures
    for the members sitting at `unit` itself. Four queries whatever the unit's size."""
    children = orgunit_children(user=user, unit=unit)
    open_members = Membership.objects.filter(ended_on__isnull=True)
    members = subtree_counts(units=children, queryset=open_members, path_lookup="unit__path")
    rated = subtree_counts(
        units=children, queryset=open_members.filter(_is_rated(year)), path_lookup="unit__path"
    )
    groups = [
        {"unit": child, "members": members[child.pk], "rated": rated[child.pk]}
        for child in children
        if child.unit_type.holds_members or members[child.pk]
    ]
    direct = open_members.filter(unit=unit).aggregate(
        members=Count("id"),
        rated=Count("id", filter=Q(_is_rated(year))),
    )
    return {"groups": groups, "direct": direct}


def evaluation_summary(*, unit: OrgUnit, year: int) -> dict[str, int]:
    rows = (
        Evaluation.objects.filter(year=year, unit__path__startswith=unit.path)
        .values("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["rating"]: row["n"] for row in rows}


def persons_with_registrations(qs: QuerySet[Person], movement: Movement) -> QuerySet[Person]:
    return qs.prefetch_related(
        Prefetch(
            "registrations",
            queryset=Registration.objects.filter(movement=movement),
            to_attr="current_registrations",
        )
    )
