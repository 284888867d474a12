"""Reads of the emulation clusters and blocks (cụm, khối thi đua): what a user sees (`unit.view` on the
organiser *or* on a member unit: a grassroots union sees its own cluster), an organiser's clusters for a
year with their summary, a unit's clusters (the unit page), the candidate units, members and ranking.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from core.access import Action, restrict
from core.text import collation_key
from organizations.models import OrgUnit

from .choices import ClusterRole
from .models import Cluster, ClusterMember, Covenant


def unit_name_key(unit: OrgUnit) -> str:
    """Vietnamese dictionary order of unit names (rotation order, display order)."""
    return collation_key(unit.name)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def active_in_year_q(year: int, prefix: str = "") -> Q:
    first, last = _year_bounds(year)
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": last})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": first})
    )


def active_in_year(unit: OrgUnit, year: int) -> bool:
    """The unit exists on some day of `year` (the in-memory form of `active_in_year_q`)."""
    first, last = _year_bounds(year)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def cluster_visible(*, user, action: str = Action.UNIT_VIEW) -> QuerySet[Cluster]:
    """Clusters the user may see: the organiser is in scope, or (for reading) one of the member units is."""
    organised = restrict(Cluster.objects.all(), user, action)
    if action != Action.UNIT_VIEW:
        return organised.select_related("organiser")
    member_of = restrict(ClusterMember.objects.all(), user, action).values("cluster_id")
    return Cluster.objects.filter(Q(pk__in=organised.values("pk")) | Q(pk__in=member_of)).select_related(
        "organiser"
    )


def cluster_get(*, user, pk: int, action: str = Action.UNIT_VIEW) -> Cluster:
    """The cluster, or Cluster.DoesNotExist when it does not exist or is outside the user's scope."""
    return cluster_visible(user=user, action=action).get(pk=pk)


def _with_summary(qs: QuerySet[Cluster]) -> QuerySet[Cluster]:
    """Member count, covenant and leader/deputy in a fixed number of queries whatever the size."""
    heads = ClusterMember.objects.filter(role__in=[ClusterRole.LEADER, ClusterRole.DEPUTY]).select_related(
        "unit"
    )
    return (
        qs.select_related("organiser", "covenant")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(Prefetch("members", queryset=heads, to_attr="heads"))
    )


def _decorate(clusters: list[Cluster]) -> list[Cluster]:
    for cluster in clusters:
        heads = getattr(cluster, "heads", [])
        cluster.leader = next((m for m in heads if m.role == ClusterRole.LEADER), None)
        cluster.deputy = next((m for m in heads if m.role == ClusterRole.DEPUTY), None)
        try:
            cluster.signed = cluster.covenant
        except Covenant.DoesNotExist:
            cluster.signed = None
    return clusters


def clusters_of_organiser(*, user, organiser: OrgUnit, year: int) -> list[Cluster]:
    """The organiser's clusters for a year (with member count, leader, deputy, covenant), by name."""
    qs = cluster_visible(user=user).filter(organiser=organiser, year=year)
    clusters = _decorate(list(_with_summary(qs)))
    return sorted(clusters, key=lambda c: collation_key(c.name))


def clusters_for_year(*, user, year: int) -> list[Cluster]:
    """All clusters the user can see for a year (any organiser), with their summary."""
    return _decorate(list(_with_summary(cluster_visible(user=user).filter(year=year))))


def clusters_of_unit(*, user, unit: OrgUnit, year: int | None = None) -> list[Cluster]:
    """The clusters `unit` belongs to (one per organiser and year), newest year first: for the unit page,
    with the cluster's leader, deputy and covenant."""
    qs = cluster_visible(user=user).filter(
        pk__in=ClusterMember.objects.filter(unit=unit).values("cluster_id")
    )
    if year is not None:
        qs = qs.filter(year=year)
    clusters = _decorate(list(_with_summary(qs)))
    return sorted(clusters, key=lambda c: (-c.year, collation_key(c.name)))


def cluster_years(*, organiser: OrgUnit) -> list[int]:
    return list(
        Cluster.objects.filter(organiser=organiser)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def cluster_candidates(*, organiser: OrgUnit, year: int) -> QuerySet[OrgUnit]:
    """Units that may join the organiser's clusters: below it, active during the year, and not a union group
    inside a grassroots union (tổ công đoàn, công đoàn bộ phận)."""
    return (
        OrgUnit.objects.filter(path__startswith=organiser.path, depth__gt=organiser.depth)
        .filter(active_in_year_q(year))
        .exclude(unit_type__holds_members=True, unit_type__is_grassroots=False)
        .select_related("unit_type")
    )


def units_without_cluster(*, organiser: OrgUnit, year: int) -> list[OrgUnit]:
    """Candidate units of the organiser's subtree not yet in any of its clusters that year (name order)."""
    taken = ClusterMember.objects.filter(organiser=organiser, year=year).values("unit_id")
    units = cluster_candidates(organiser=organiser, year=year).exclude(pk__in=taken)
    return sorted(units, key=lambda u: (u.depth, unit_name_key(u)))


def cluster_members(*, cluster: Cluster) -> list[ClusterMember]:
    """Members of a cluster: leader, deputy, then the others in Vietnamese name order (one query)."""
    order = {ClusterRole.LEADER: 0, ClusterRole.DEPUTY: 1, ClusterRole.MEMBER: 2}
    members = list(cluster.members.select_related("unit", "unit__unit_type"))
    return sorted(members, key=lambda m: (order.get(m.role, 3), unit_name_key(m.unit)))


def cluster_ranking(*, cluster: Cluster) -> list[ClusterMember]:
    """Members by year-end rank (unranked last)."""
    members = list(cluster.members.select_related("unit"))
    return sorted(members, key=lambda m: (m.rank is None, m.rank or 0, unit_name_key(m.unit)))
