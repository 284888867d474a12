"""Reads on people. Every list is scoped by `restrict()`; display data is fetched in a fixed number of
queries whatever the page size (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from core.access import Action, restrict
from core.search import folded_contains
from core.text import fold
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

from .models import Membership, Person


@dataclass
class PersonFilters:
    q: str = ""
    unit: OrgUnit | None = None
    gender: str = ""
    union_role: str = ""
    status: str = "current"  # current | left | all


def person_list(*, user, filters: PersonFilters, action: str = Action.PERSON_VIEW) -> QuerySet[Person]:
    qs = restrict(Person.objects.all(), user, action)
    membership_q = Membership.objects.all()
    if filters.unit is not None:
        membership_q = membership_q.filter(unit__path__startswith=filters.unit.path)
    if filters.status == "current":
        membership_q = membership_q.filter(ended_on__isnull=True)
    elif filters.status == "left":
        qs = qs.exclude(memberships__ended_on__isnull=True)
    if filters.union_role:
        membership_q = membership_q.filter(union_role=filters.union_role, ended_on__isnull=True)
    if filters.unit is not None or filters.status == "current" or filters.union_role:
        # EXISTS, probed per candidate row (by the membership's person index), not `pk IN (…)`: SQLite
        # would read every open membership of the country to build the IN list before the first page
        qs = qs.filter(Exists(membership_q.filter(person=OuterRef("pk"))))
    if filters.q:
        folded = fold(filters.q)
        if folded.isdigit():
            qs = qs.filter(memberships__card_number__contains=folded).distinct()
        else:
            qs = qs.filter(folded_contains(Person, folded))  # indexed (core.search)
    if filters.gender:
        qs = qs.filter(gender=filters.gender)
    return qs.order_by("sort_key", "id")


def person_page_rows(*, persons: list[Person]) -> list[dict]:
    """Rows for the list screen: each person with the membership to show and its unit labels.
    Two queries for any page size: memberships (with units) and their ancestors."""
    memberships = Membership.objects.filter(person__in=persons).select_related("unit__unit_type")
    latest: dict[int, Membership] = {}
    for m in sorted(memberships, key=lambda m: (m.ended_on is None, m.started_on)):
        latest[m.person_id] = m  # open membership wins, else the most recent
    ancestors = orgunit_ancestors(units=[m.unit for m in latest.values()])
    rows = []
    for person in persons:
        membership = latest.get(person.pk)
        rows.append(
            {
                "person": person,
                "membership": membership,
                "group": membership.unit
                if membership and not membership.unit.unit_type.is_grassroots
                else None,
                "grassroots": grassroots_of(membership.unit, ancestors) if membership else None,
            }
        )
    return rows


def grassroots_of(unit: OrgUnit, ancestors: dict[str, OrgUnit]) -> OrgUnit | None:
    """The CĐCS a unit belongs to (itself when it is one), from a prefetched ancestor map."""
    if unit.unit_type.is_grassroots:
        return unit
    for path in reversed(unit.ancestor_paths()):
        ancestor = ancestors.get(path)
        if ancestor is not None and ancestor.unit_type.is_grassroots:
            return ancestor
    return None


def person_get(*, user, pk: int, action: str = Action.PERSON_VIEW) -> Person:
    return restrict(Person.objects.all(), user, action).get(pk=pk)


def person_memberships(*, person: Person) -> list[Membership]:
    return list(
        Membership.objects.filter(person=person)
        .select_related("unit__unit_type")
        .order_by("-started_on", "-id")
    )


def person_current_membership(*, person: Person) -> Membership | None:
    return (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("unit__unit_type")
        .first()
    )


def unit_union_officers(*, unit: OrgUnit) -> QuerySet[Membership]:
    """Union office holders (Chủ tịch, Phó Chủ tịch, ...) sitting directly in this unit."""
    from .choices import UnionRole

    return (
        Membership.objects.filter(unit=unit, ended_on__isnull=True)
        .exclude(union_role=UnionRole.DOAN_VIEN)
        .select_related("person")
        .order_by("union_role", "person__sort_key")
    )


def persons_with_memberships(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("unit"), to_attr="all_memberships")
    )


def roster_export_rows(*, unit: OrgUnit, show_citizen_id: bool) -> list[list]:
    """Current members of the unit's subtree in Vietnamese name order, as export rows (3 queries)."""
    from .models import mask_citizen_id

    memberships = list(
        Membership.objects.filter(unit__path__startswith=unit.path, ended_on__isnull=True)
        .select_related("person", "unit__unit_type")
        .order_by("person__sort_key", "person_id")
    )
    rows = []
    for number, m in enumerate(memberships, start=1):
        p = m.person
        rows.append(
            [
                number,
                p.full_name,
                p.get_gender_display(),
                p.birth_date,
                (p.citizen_id or "") if show_citizen_id else mask_citizen_id(p.citizen_id),
                "" if m.unit.unit_type.is_grassroots else m.unit.name,
                m.job_title,
                m.get_union_role_display(),
                p.union_joined_on,
                m.card_number,
                p.phone,
                p.email,
            ]
        )
    return rows
