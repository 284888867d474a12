"""What a unit's restructuring does to the emulation clusters and blocks (a merge handler of
`organizations.hooks`, registered in `ClustersConfig.ready`).

When a unit ends from `on` (merged, dissolved, consolidated, split), the clusters of the years still open
(year ≥ `on.year`) go on at its successor; the clusters of earlier years — closed years, ranked and
rewarded — keep the unit as it was:

- the clusters it organises pass to the successor (their members' seats with them). A cluster whose name
  the successor already uses that year takes the closed unit's name after its own; a cluster one of whose
  units already sits in a cluster of the successor that year (the database allows one per organiser and
  year) stays with the closed unit, and the preview says so;
- its seats in other clusters pass to the successor with their role, rank and score, when the successor
  can sit there (inside the organiser's subtree, not the organiser itself, in no cluster of that organiser
  that year yet). Otherwise the seat has no successor: when the successor already sits in the same cluster
  it takes over the seat's role (leader, deputy) if its own is plain; a seat without results (rank, score,
  proposal for the flag) is removed, one with results is kept as the record of the year.

`plan` decides, `preview_clusters` lists it, `carry_clusters` does it: the confirmation list and the
operation cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core import metrics
from core.audit import audit_record

from .choices import ClusterRole
from .models import Cluster, ClusterMember

NAME_MAX = Cluster._meta.get_field("name").max_length
ROLE_RANK = {ClusterRole.MEMBER: 0, ClusterRole.DEPUTY: 1, ClusterRole.LEADER: 2}


@dataclass
class Plan:
    move: list[tuple[Cluster, str]] = field(default_factory=list)  # (cluster, its name at the successor)
    stay: list[tuple[Cluster, str]] = field(default_factory=list)  # (cluster, why it cannot move)
    take: list[ClusterMember] = field(default_factory=list)  # the successor takes these seats
    hand_over: list[tuple[ClusterMember, ClusterMember]] = field(default_factory=list)  # (seat, successor's)
    drop: list[ClusterMember] = field(default_factory=list)  # seats removed (no results)
    keep: list[tuple[ClusterMember, str]] = field(default_factory=list)  # seats kept (results), why

    def __bool__(self) -> bool:
        return any((self.move, self.stay, self.take, self.hand_over, self.drop, self.keep))


def _unit_name(unit) -> str:
    return unit.short_name or unit.name


def _renamed(name: str, source) -> str:
    suffix = f" ({_unit_name(source)})"
    return name[: NAME_MAX - len(suffix)] + suffix


def plan(*, source, target, on: dt.date) -> Plan:
    """What happens to the clusters of `source` ending on `on` with `target` as successor (reads only)."""
    result = Plan()
    organised = list(
        Cluster.objects.filter(organiser=source, year__gte=on.year)
        .prefetch_related("members__unit")
        .order_by("year", "name", "pk")
    )
    if organised:
        years = {c.year for c in organised}
        taken_names = set(
            Cluster.objects.filter(organiser_id=target.pk, year__in=years).values_list("year", "name")
        )
        seated = {
            (year, unit_id): name
            for year, unit_id, name in ClusterMember.objects.filter(
                organiser_id=target.pk, year__in=years
            ).values_list("year", "unit_id", "cluster__name")
        }
        for cluster in organised:
            clash = next(
                (
                    (m.unit, seated[(cluster.year, m.unit_id)])
                    for m in cluster.members.all()
                    if (cluster.year, m.unit_id) in seated
                ),
                None,
            )
            if clash is not None:
                unit, other = clash
                result.stay.append(
                    (
                        cluster,
                        f"“{unit.name}” đã là thành viên “{other}” năm {cluster.year} của “{target.name}”",
                    )
                )
                continue
            name = cluster.name
            if (cluster.year, name) in taken_names:
                name = _renamed(name, source)
            taken_names.add((cluster.year, name))
            result.move.append((cluster, name))

    seats = list(
        ClusterMember.objects.filter(unit=source, year__gte=on.year)
        .select_related("cluster__organiser")
        .order_by("year", "cluster__name", "pk")
    )
    if seats:
        own = {
            (m.organiser_id, m.year): m
            for m in ClusterMember.objects.filter(
                unit_id=target.pk,
                organiser_id__in={s.organiser_id for s in seats},
                year__in={s.year for s in seats},
            ).select_related("cluster")
        }
        for seat in seats:
            organiser = seat.cluster.organiser
            mine = own.get((seat.organiser_id, seat.year))
            # a unit not founded yet (the preview of a consolidation or a split) will stand where its
            # sources stood: inside the organiser's subtree
            inside = target.path.startswith(organiser.path) if target.pk else True
            if mine is None and target.pk != organiser.pk and inside:
                result.take.append(seat)
                own[(seat.organiser_id, seat.year)] = seat  # the successor now sits there
                continue
            if (
                mine is not None
                and mine.cluster_id == seat.cluster_id
                and ROLE_RANK[seat.role] > ROLE_RANK[mine.role]  # a deputy succeeding the leader leads
            ):
                result.hand_over.append((seat, mine))
            if seat.rank is not None or seat.score is not None or seat.proposed_for_flag:
                result.keep.append((seat, "đã có kết quả chấm điểm, xếp hạng của năm"))
            else:
                result.drop.append(seat)
    return result


def preview_clusters(*, source, target, on: dt.date) -> list[str]:
    p = plan(source=source, target=target, on=on)
    lines = []
    for cluster, name in p.move:
        renamed = f", đổi tên thành “{name}”" if name != cluster.name else ""
        lines.append(f"Chuyển {cluster.name} năm {cluster.year} sang đơn vị tổ chức “{target.name}”{renamed}")
    for cluster, why in p.stay:
        lines.append(f"Giữ {cluster.name} năm {cluster.year} ở “{source.name}”: {why}")
    for seat in p.take:
        lines.append(
            f"“{target.name}” thay “{source.name}” trong {seat.cluster.name} năm {seat.year} "
            f"({seat.role_label.lower()})"
        )
    for seat, _mine in p.hand_over:
        lines.append(
            f"“{target.name}” nhận vai trò {seat.role_label.lower()} của {seat.cluster.name} năm {seat.year}"
        )
    for seat in p.drop:
        lines.append(
            f"Bỏ chỗ của “{source.name}” trong {seat.cluster.name} năm {seat.year} "
            f"(“{target.name}” không thể thay)"
        )
    for seat, why in p.keep:
        lines.append(f"Giữ chỗ của “{source.name}” trong {seat.cluster.name} năm {seat.year}: {why}")
    return lines


def carry_clusters(*, acting_user, source, target, on: dt.date, reason: str) -> str | None:
    p = plan(source=source, target=target, on=on)
    if not p:
        return None
    years = set()
    for cluster, name in p.move:
        old_name = cluster.name
        Cluster.objects.filter(pk=cluster.pk).update(organiser=target, name=name)
        ClusterMember.objects.filter(cluster=cluster).update(organiser=target)
        cluster.refresh_from_db()
        years.add(cluster.year)
        audit_record(
            actor=acting_user,
            action="cluster.restructure",
            obj=cluster,
            unit=target,
            summary=f"Chuyển {old_name} năm {cluster.year} từ “{source.name}” sang “{target.name}” tổ chức "
            f"(đơn vị kết thúc hoạt động từ ngày {on:%d/%m/%Y})"
            + (f", đổi tên thành “{name}”" if name != old_name else ""),
            changes={"organiser": [source.name, target.name], "name": [old_name, name]},
        )
    ended = f"(“{source.name}” kết thúc hoạt động từ ngày {on:%d/%m/%Y})"
    events = []  # (cluster, summary, the seat's unit after), written once the seats are settled
    handed = {seat.pk: mine for seat, mine in p.hand_over}
    for seat in p.take:
        ClusterMember.objects.filter(pk=seat.pk).update(unit=target)
        events.append(
            (
                seat,
                f"“{target.name}” thay “{source.name}” trong {seat.cluster.name} năm {seat.year}",
                target.name,
            )
        )
    # the closed unit's seat gives up its role before the successor's seat takes it (one leader, one deputy)
    for seat in p.drop:
        what = f"Bỏ chỗ của “{source.name}” trong {seat.cluster.name} năm {seat.year}"
        if seat.pk in handed:
            what += f"; “{target.name}” nhận vai trò {seat.role_label.lower()}"
        events.append((seat, what, None))
        ClusterMember.objects.filter(pk=seat.pk).delete()
    for seat, why in p.keep:
        what = f"Giữ chỗ của “{source.name}” trong {seat.cluster.name} năm {seat.year} ({why})"
        if seat.pk in handed:
            what += f"; “{target.name}” nhận vai trò {seat.role_label.lower()}"
            ClusterMember.objects.filter(pk=seat.pk).update(role=ClusterRole.MEMBER)
        events.append((seat, what, source.name))
    for seat, mine in p.hand_over:
        ClusterMember.objects.filter(pk=mine.pk).update(role=seat.role)
    for seat, summary, after in events:
        years.add(seat.year)
        audit_record(
            actor=acting_user,
            action="cluster.restructure",
            obj=seat.cluster,
            unit=seat.cluster.organiser,
            summary=f"{summary} {ended}",
            changes={"unit": [source.name, after]},
        )
    for year in years:
        metrics.mark_changed_many([source.pk, target.pk], year)  # queryset updates send no signal
    phrases = []
    if p.move:
        phrases.append(f"{len(p.move)} cụm, khối thi đua tổ chức")
    if p.take:
        phrases.append(f"{len(p.take)} chỗ trong cụm, khối thi đua")
    if p.drop:
        phrases.append(f"bỏ {len(p.drop)} chỗ của đơn vị cũ trong cụm, khối thi đua")
    return ", ".join(phrases) or None
