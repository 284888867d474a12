"""Writes of the emulation clusters and blocks (cụm, khối thi đua): create and edit a cluster, set its
members (one leader, at most one deputy, a unit in at most one cluster of an organiser per year), copy
last year's clusters rotating the leader, record the covenant, rank the members at year end.

An organiser unit (LĐLĐ huyện, Công đoàn ngành, …) groups units of its subtree into clusters for a year,
each with one leader (cụm trưởng) and at most one deputy (cụm phó) who rotate yearly. Writes need
`movement.manage` on the organiser. Services are keyword-only with `acting_user` first, run in one
transaction, lock what they change and write an AuditEvent on the organiser. The `_apply_*` helpers hold
the rules without the permission check (used by the services and by the demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from core import metrics
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from core.text import collation_key
from organizations.models import OrgUnit

from .choices import ClusterKind, ClusterRole
from .models import Cluster, ClusterMember, Covenant
from .selectors import active_in_year, cluster_candidates, unit_name_key

MIN_YEAR = 2000
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class MemberSpec:
    unit: OrgUnit
    role: str = ClusterRole.MEMBER


@dataclass(frozen=True)
class RankSpec:
    unit: OrgUnit
    rank: int
    score: Decimal | None = None


def _q(name: str) -> str:
    return f"“{name}”"


def _names(units: Iterable[OrgUnit]) -> str:
    return ", ".join(_q(u.name) for u in units)


def _check_year(year: int) -> None:
    if not isinstance(year, int) or year < MIN_YEAR or year > timezone.localdate().year + 1:
        raise ServiceError(f"Năm {year} không hợp lệ.", field="year")


def _locked_cluster(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().select_related("organiser").get(pk=cluster.pk)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Tên cụm, khối thi đua không được để trống.", field="name")
    return name


def _check_name_free(organiser: OrgUnit, year: int, name: str, exclude_pk: int | None = None) -> None:
    qs = Cluster.objects.filter(organiser=organiser, year=year, name=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ServiceError(f"Năm {year} đã có {_q(name)} của {_q(organiser.name)}.", field="name")


def _check_kind(kind: str) -> None:
    if kind not in ClusterKind.values:
        raise ServiceError("Loại cụm, khối không hợp lệ.", field="kind")


def _check_quota(flag_quota: int) -> None:
    if not isinstance(flag_quota, int) or flag_quota < 0 or flag_quota > 10:
        raise ServiceError("Số đơn vị được đề nghị tặng Cờ phải từ 0 đến 10.", field="flag_quota")


def cluster_create(
    *,
    acting_user,
    organiser: OrgUnit,
    year: int,
    name: str,
    kind: str = ClusterKind.CUM,
    note: str = "",
    flag_quota: int = 1,
    members: Sequence[MemberSpec | tuple[OrgUnit, str]] | None = None,
) -> Cluster:
    with transaction.atomic():
        organiser = OrgUnit.objects.select_for_update().get(pk=organiser.pk)
        require(acting_user, Action.MOVEMENT_MANAGE, organiser.path)
        cluster = _apply_create(
            organiser=organiser, year=year, name=name, kind=kind, note=note, flag_quota=flag_quota
        )
        audit_record(
            actor=acting_user,
            action="cluster.create",
            obj=cluster,
            unit=organiser,
            summary=f"Thành lập {_q(cluster.name)} năm {year} của {_q(organiser.name)}",
            changes={"name": [None, cluster.name], "year": [None, year], "kind": [None, cluster.kind]},
        )
        if members is not None:
            _set_members_audited(acting_user=acting_user, cluster=cluster, members=members)
    return cluster


def _apply_create(*, organiser, year, name, kind, note, flag_quota) -> Cluster:
    _check_year(year)
    _check_kind(kind)
    _check_quota(flag_quota)
    name = _clean_name(name)
    _check_name_free(organiser, year, name)
    return Cluster.objects.create(
        organiser=organiser, year=year, name=name, kind=kind, note=(note or "").strip(), flag_quota=flag_quota
    )


def cluster_update(
    *, acting_user, cluster: Cluster, name: str, kind: str, note: str = "", flag_quota: int = 1
) -> Cluster:
    with transaction.atomic():
        cluster = _locked_cluster(cluster)
        require(acting_user, Action.MOVEMENT_MANAGE, cluster.organiser.path)
        _check_kind(kind)
        _check_quota(flag_quota)
        name = _clean_name(name)
        _check_name_free(cluster.organiser, cluster.year, name, exclude_pk=cluster.pk)
        before = {
            "name": cluster.name,
            "kind": cluster.kind,
            "note": cluster.note,
            "flag_quota": cluster.flag_quota,
        }
        cluster.name, cluster.kind, cluster.note, cluster.flag_quota = (
            name,
            kind,
            (note or "").strip(),
            flag_quota,
        )
        cluster.save()
        after = {
            "name": cluster.name,
            "kind": cluster.kind,
            "note": cluster.note,
            "flag_quota": cluster.flag_quota,
        }
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            audit_record(
                actor=acting_user,
                action="cluster.update",
                obj=cluster,
                unit=cluster.organiser,
                summary=f"Sửa thông tin {_q(cluster.name)} năm {cluster.year}",
                changes=changes,
            )
    return cluster


def _as_specs(members: Sequence[MemberSpec | tuple[OrgUnit, str]]) -> list[MemberSpec]:
    return [m if isinstance(m, MemberSpec) else MemberSpec(unit=m[0], role=m[1]) for m in members]


def _validate_members(cluster: Cluster, specs: list[MemberSpec]) -> dict[int, tuple[OrgUnit, str]]:
    organiser = cluster.organiser
    if not specs:
        raise ServiceError("Cụm, khối thi đua phải có ít nhất một đơn vị thành viên.")
    wanted: dict[int, tuple[OrgUnit, str]] = {}
    for spec in specs:
        if spec.role not in ClusterRole.values:
            raise ServiceError(f"Vai trò của {_q(spec.unit.name)} không hợp lệ.")
        if spec.unit.pk in wanted:
            raise ServiceError(f"Đơn vị {_q(spec.unit.name)} được chọn hai lần.")
        wanted[spec.unit.pk] = (spec.unit, spec.role)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=wanted).select_for_update()}
    for pk, (given, role) in list(wanted.items()):
        unit = units.get(pk)
        if unit is None:
            raise ServiceError(f"Không tìm thấy đơn vị {_q(given.name)}.")
        if unit.pk == organiser.pk:
            raise ServiceError(f"{_q(organiser.name)} là đơn vị tổ chức, không thể là thành viên của cụm.")
        if not unit.path.startswith(organiser.path):
            raise ServiceError(f"Đơn vị {_q(unit.name)} không trực thuộc {_q(organiser.name)}.")
        if not active_in_year(unit, cluster.year):
            raise ServiceError(f"Đơn vị {_q(unit.name)} không còn hoạt động trong năm {cluster.year}.")
        wanted[pk] = (unit, role)
    leaders = [u for u, r in wanted.values() if r == ClusterRole.LEADER]
    deputies = [u for u, r in wanted.values() if r == ClusterRole.DEPUTY]
    word = "Khối" if cluster.is_block else "Cụm"
    if not leaders:
        raise ServiceError(f"Chọn một đơn vị làm {word} trưởng.")
    if len(leaders) > 1:
        raise ServiceError(f"Chỉ được chọn một {word} trưởng (đang chọn {_names(leaders)}).")
    if len(deputies) > 1:
        raise ServiceError(f"Chỉ được chọn một {word} phó (đang chọn {_names(deputies)}).")
    taken = (
        ClusterMember.objects.filter(organiser=organiser, year=cluster.year, unit_id__in=wanted)
        .exclude(cluster=cluster)
        .select_related("cluster", "unit")
        .order_by("unit__name")
        .first()
    )
    if taken is not None:
        raise ServiceError(
            f"Đơn vị {_q(taken.unit.name)} đã thuộc {_q(taken.cluster.name)} năm {cluster.year}; "
            "mỗi đơn vị chỉ tham gia một cụm, khối của cùng đơn vị tổ chức trong một năm."
        )
    return wanted


def _apply_members(cluster: Cluster, specs: list[MemberSpec]) -> dict[str, list]:
    """Replace the members of `cluster` (the cluster row must be locked). Kept members keep rank/score."""
    # serialise membership changes of one organiser-year: lock its clusters
    list(
        Cluster.objects.select_for_update()
        .filter(organiser=cluster.organiser, year=cluster.year)
        .values("pk")
    )
    wanted = _validate_members(cluster, specs)
    existing = {m.unit_id: m for m in cluster.members.select_related("unit")}
    before = {m.unit.name: m.role for m in existing.values()}
    removed = [pk for pk in existing if pk not in wanted]
    if removed:
        ClusterMember.objects.filter(cluster=cluster, unit_id__in=removed).delete()
    kept = [pk for pk in existing if pk in wanted]
    # roles are reset first, so swapping leader and deputy never meets the one-leader constraint
    ClusterMember.objects.filter(cluster=cluster, unit_id__in=kept).exclude(role=ClusterRole.MEMBER).update(
        role=ClusterRole.MEMBER
    )
    for pk in kept:
        role = wanted[pk][1]
        if role != ClusterRole.MEMBER:
            ClusterMember.objects.filter(cluster=cluster, unit_id=pk).update(role=role)
    metrics.mark_changed_many(wanted, cluster.year)  # bulk_create sends no signal
    ClusterMember.objects.bulk_create(
        [
            ClusterMember(
                cluster=cluster, unit=unit, organiser=cluster.organiser, year=cluster.year, role=role
            )
            for pk, (unit, role) in wanted.items()
            if pk not in existing
        ]
    )
    after = {unit.name: role for unit, role in wanted.values()}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted({*before, *after}, key=collation_key)
        if before.get(name) != after.get(name)
    }


def _set_members_audited(*, acting_user, cluster: Cluster, members) -> dict[str, list]:
    changes = _apply_members(cluster, _as_specs(members))
    if changes:
        leader = next(
            (name for name, (_, role) in changes.items() if role == ClusterRole.LEADER),
            None,
        )
        audit_record(
            actor=acting_user,
            action="cluster.members",
            obj=cluster,
            unit=cluster.organiser,
            summary=f"Cập nhật đơn vị thành viên {_q(cluster.name)} năm {cluster.year}"
            + (f"; {cluster.role_label(ClusterRole.LEADER)}: {_q(leader)}" if leader else ""),
            changes=changes,
        )
    return changes


def cluster_set_members(
    *, acting_user, cluster: Cluster, members: Sequence[MemberSpec | tuple[OrgUnit, str]]
) -> Cluster:
    """Set the member units and their roles (exactly one leader, at most one deputy)."""
    with transaction.atomic():
        cluster = _locked_cluster(cluster)
        require(acting_user, Action.MOVEMENT_MANAGE, cluster.organiser.path)
        _set_members_audited(acting_user=acting_user, cluster=cluster, members=members)
    return cluster


def rotate(previous: list[tuple[OrgUnit, str]], eligible: set[int]) -> list[MemberSpec]:
    """Next year's roles: the member after last year's leader (Vietnamese name order, wrapping round)
    becomes leader, last year's leader becomes deputy, everyone else a member. Units no longer eligible
    are dropped; if the old leader is gone, the next eligible one after it leads and there is no deputy."""
    ordered = sorted(previous, key=lambda p: unit_name_key(p[0]))
    old_leader_at = next((i for i, (_, role) in enumerate(ordered) if role == ClusterRole.LEADER), -1)
    staying = [unit for unit, _ in ordered if unit.pk in eligible]
    if not staying:
        return []
    new_leader = None
    for step in range(1, len(ordered) + 1):
        unit = ordered[(old_leader_at + step) % len(ordered)][0]
        if unit.pk in eligible:
            new_leader = unit
            break
    old_leader = ordered[old_leader_at][0] if old_leader_at >= 0 else None
    specs = []
    for unit in staying:
        if unit.pk == new_leader.pk:
            role = ClusterRole.LEADER
        elif old_leader is not None and unit.pk == old_leader.pk:
            role = ClusterRole.DEPUTY
        else:
            role = ClusterRole.MEMBER
        specs.append(MemberSpec(unit=unit, role=role))
    return specs


def cluster_copy_from_previous_year(*, acting_user, organiser: OrgUnit, year: int) -> list[Cluster]:
    """Copy the organiser's clusters of `year - 1` into `year`, rotating leader and deputy. Clusters whose
    name already exists in `year` are skipped; units gone or already placed in `year` are left out."""
    _check_year(year)
    with transaction.atomic():
        organiser = OrgUnit.objects.select_for_update().get(pk=organiser.pk)
        require(acting_user, Action.MOVEMENT_MANAGE, organiser.path)
        created = _apply_copy(organiser=organiser, year=year)
        if not created:
            raise ServiceError(
                f"Không có cụm, khối nào để sao chép: năm {year - 1} chưa có cụm, khối thi đua "
                f"hoặc năm {year} đã có đủ các cụm, khối đó."
            )
        for cluster in created:
            leader = next((m.unit.name for m in cluster.members.all() if m.role == ClusterRole.LEADER), None)
            audit_record(
                actor=acting_user,
                action="cluster.copy",
                obj=cluster,
                unit=organiser,
                summary=f"Sao chép {_q(cluster.name)} từ năm {year - 1} sang năm {year}"
                + (f"; luân phiên {cluster.role_label(ClusterRole.LEADER)}: {_q(leader)}" if leader else ""),
                changes={m.unit.name: [None, m.role] for m in cluster.members.all()},
            )
    return created


def _apply_copy(*, organiser: OrgUnit, year: int) -> list[Cluster]:
    previous = list(
        Cluster.objects.filter(organiser=organiser, year=year - 1).prefetch_related(
            Prefetch("members", queryset=ClusterMember.objects.select_related("unit"))
        )
    )
    existing_names = set(
        Cluster.objects.filter(organiser=organiser, year=year).values_list("name", flat=True)
    )
    taken = set(
        ClusterMember.objects.filter(organiser=organiser, year=year).values_list("unit_id", flat=True)
    )
    eligible = set(cluster_candidates(organiser=organiser, year=year).values_list("pk", flat=True)) - taken
    created = []
    for old in sorted(previous, key=lambda c: collation_key(c.name)):
        if old.name in existing_names:
            continue
        cluster = Cluster.objects.create(
            organiser=organiser,
            year=year,
            name=old.name,
            kind=old.kind,
            note=old.note,
            flag_quota=old.flag_quota,
        )
        specs = rotate([(m.unit, m.role) for m in old.members.all()], eligible)
        if specs:
            _apply_members(cluster, specs)
        created.append(cluster)
    return created


def _check_document(document) -> None:
    if document is None:
        return
    name = (getattr(document, "name", "") or "").lower()
    if not name.endswith(DOCUMENT_EXTENSIONS):
        raise ServiceError(
            "Văn bản giao ước phải là tệp PDF, Word (.doc, .docx, .odt) hoặc ảnh (.jpg, .png).",
            field="document",
        )
    if getattr(document, "size", 0) > DOCUMENT_MAX_BYTES:
        raise ServiceError("Văn bản giao ước không được lớn hơn 10 MB.", field="document")


def covenant_record(
    *,
    acting_user,
    cluster: Cluster,
    content: str,
    signed_on: dt.date,
    signatories: Iterable[OrgUnit],
    place: str = "",
    document=None,
) -> Covenant:
    """Record (or correct) the covenant the cluster signed. Signatories must be member units."""
    with transaction.atomic():
        cluster = _locked_cluster(cluster)
        require(acting_user, Action.MOVEMENT_MANAGE, cluster.organiser.path)
        covenant, changes = _apply_covenant(
            cluster=cluster,
            content=content,
            signed_on=signed_on,
            signatories=list(signatories),
            place=place,
            document=document,
            user=acting_user,
        )
        audit_record(
            actor=acting_user,
            action="covenant.record",
            obj=covenant,
            unit=cluster.organiser,
            summary=f"Ghi nhận giao ước thi đua {_q(cluster.name)} ký ngày {covenant.signed_on:%d/%m/%Y} "
            f"({covenant.signatories.count()} đơn vị ký)",
            changes=changes,
        )
    return covenant


def _apply_covenant(
    *, cluster, content, signed_on, signatories, place, document, user
) -> tuple[Covenant, dict]:
    content = (content or "").strip()
    if not content:
        raise ServiceError("Nội dung giao ước không được để trống.", field="content")
    if signed_on is None:
        raise ServiceError("Nhập ngày ký giao ước.", field="signed_on")
    if signed_on.year not in (cluster.year - 1, cluster.year):
        raise ServiceError(
            f"Ngày ký {signed_on:%d/%m/%Y} không thuộc năm thi đua {cluster.year}.", field="signed_on"
        )
    if signed_on > timezone.localdate():
        raise ServiceError("Ngày ký giao ước không thể ở tương lai.", field="signed_on")
    if not signatories:
        raise ServiceError("Chọn các đơn vị đã ký giao ước.", field="signatories")
    member_ids = set(cluster.members.values_list("unit_id", flat=True))
    outsiders = [u for u in signatories if u.pk not in member_ids]
    if outsiders:
        raise ServiceError(
            f"Đơn vị {_names(outsiders)} không phải thành viên {_q(cluster.name)}, "
            "không thể ký giao ước của cụm.",
            field="signatories",
        )
    _check_document(document)
    covenant = Covenant.objects.select_for_update().filter(cluster=cluster).first()
    before = (
        {"content": covenant.content, "signed_on": covenant.signed_on, "place": covenant.place}
        if covenant
        else {}
    )
    before_signers = sorted(covenant.signatories.values_list("name", flat=True)) if covenant else []
    if covenant is None:
        covenant = Covenant(
            cluster=cluster, created_by=user if getattr(user, "is_authenticated", False) else None
        )
    covenant.content, covenant.signed_on, covenant.place = content, signed_on, (place or "").strip()
    old_document = covenant.document.name if covenant.document else None
    if document is not None:
        covenant.document.save(document.name.rsplit("/", 1)[-1], document, save=False)
    covenant.save()
    covenant.signatories.set(signatories)
    after = {
        "content": covenant.content,
        "signed_on": covenant.signed_on.isoformat(),
        "place": covenant.place,
    }
    if before:
        before["signed_on"] = before["signed_on"].isoformat()
    changes = {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
    after_signers = sorted(u.name for u in signatories)
    if before_signers != after_signers:
        changes["signatories"] = [before_signers or None, after_signers]
    if document is not None:
        changes["document"] = [old_document, covenant.document.name]
    return covenant, changes


def cluster_rank(
    *,
    acting_user,
    cluster: Cluster,
    ranking: Sequence[RankSpec | tuple[OrgUnit, int, Decimal | None]],
    proposed: Iterable[OrgUnit] = (),
    override_reason: str = "",
) -> Cluster:
    """Year-end ranking: every member gets a distinct rank 1..n (higher score never ranks lower), and the
    cluster proposes at most `flag_quota` leading units for the flag. A proposed unit must be among the
    top-ranked ones (rank ≤ number proposed) unless `override_reason` says why — kept in the audit log."""
    with transaction.atomic():
        cluster = _locked_cluster(cluster)
        require(acting_user, Action.MOVEMENT_MANAGE, cluster.organiser.path)
        changes, overridden = _apply_rank(
            cluster=cluster, ranking=ranking, proposed=list(proposed), override_reason=override_reason
        )
        summary = f"Xếp hạng cuối năm {_q(cluster.name)} năm {cluster.year}"
        flagged = sorted(
            cluster.members.filter(proposed_for_flag=True).values_list("unit__name", flat=True),
            key=collation_key,
        )
        if flagged:
            summary += f"; đề nghị tặng Cờ thi đua: {', '.join(_q(n) for n in flagged)}"
        if overridden:
            reason = override_reason.strip()
            summary += (
                f". Đề nghị không theo thứ hạng ({', '.join(_q(n) for n in overridden)}), lý do: {reason}"
            )
            changes["override_reason"] = [None, reason]
        audit_record(
            actor=acting_user,
            action="cluster.rank",
            obj=cluster,
            unit=cluster.organiser,
            summary=summary,
            changes=changes,
        )
    return cluster


def _apply_rank(*, cluster, ranking, proposed, override_reason) -> tuple[dict, list[str]]:
    specs = [r if isinstance(r, RankSpec) else RankSpec(unit=r[0], rank=r[1], score=r[2]) for r in ranking]
    members = {m.unit_id: m for m in cluster.members.select_related("unit").select_for_update()}
    if not members:
        raise ServiceError(f"{_q(cluster.name)} chưa có đơn vị thành viên để xếp hạng.")
    by_unit: dict[int, RankSpec] = {}
    for spec in specs:
        if spec.unit.pk not in members:
            raise ServiceError(f"Đơn vị {_q(spec.unit.name)} không phải thành viên {_q(cluster.name)}.")
        if spec.unit.pk in by_unit:
            raise ServiceError(f"Đơn vị {_q(spec.unit.name)} được xếp hạng hai lần.")
        by_unit[spec.unit.pk] = spec
    missing = [m.unit for pk, m in members.items() if pk not in by_unit or by_unit[pk].rank is None]
    if missing:
        raise ServiceError(f"Chưa xếp hạng đơn vị {_names(sorted(missing, key=unit_name_key))}.")
    n = len(members)
    seen: dict[int, OrgUnit] = {}
    for spec in sorted(by_unit.values(), key=lambda s: s.rank):
        if spec.rank < 1 or spec.rank > n:
            raise ServiceError(f"Thứ hạng của {_q(spec.unit.name)} phải từ 1 đến {n}.")
        if spec.rank in seen:
            raise ServiceError(
                f"Đơn vị {_q(seen[spec.rank].name)} và {_q(spec.unit.name)} cùng xếp hạng {spec.rank}; "
                "mỗi thứ hạng chỉ dành cho một đơn vị."
            )
        if spec.score is not None and spec.score < 0:
            raise ServiceError(f"Điểm của {_q(spec.unit.name)} không được âm.")
        seen[spec.rank] = spec.unit
    scored = sorted((s for s in by_unit.values() if s.score is not None), key=lambda s: s.rank)
    for better, worse in zip(scored, scored[1:], strict=False):
        if worse.score > better.score:
            raise ServiceError(
                f"Thứ hạng không khớp với điểm: {_q(better.unit.name)} hạng {better.rank} "
                f"({better.score} điểm) thấp điểm hơn {_q(worse.unit.name)} "
                f"hạng {worse.rank} ({worse.score} điểm)."
            )
    proposed_ids = []
    for unit in proposed:
        if unit.pk not in members:
            raise ServiceError(f"Đơn vị {_q(unit.name)} không phải thành viên {_q(cluster.name)}.")
        if unit.pk not in proposed_ids:
            proposed_ids.append(unit.pk)
    if len(proposed_ids) > cluster.flag_quota:
        raise ServiceError(
            f"{_q(cluster.name)} chỉ được đề nghị tặng Cờ thi đua cho {cluster.flag_quota} đơn vị dẫn đầu "
            f"(đang chọn {len(proposed_ids)})."
        )
    overridden = [members[pk].unit.name for pk in proposed_ids if by_unit[pk].rank > len(proposed_ids)]
    if overridden and not (override_reason or "").strip():
        names = ", ".join(_q(n) for n in overridden)
        raise ServiceError(
            f"Đơn vị đề nghị tặng Cờ phải là đơn vị dẫn đầu (xếp hạng 1); {names} không dẫn đầu. "
            "Nếu vẫn đề nghị, ghi rõ lý do.",
            field="override_reason",
        )
    changes: dict = {}
    # clear ranks first so reordering never meets the unique (cluster, rank) constraint
    ClusterMember.objects.filter(cluster=cluster).update(rank=None)
    for pk, member in members.items():
        spec = by_unit[pk]
        flag = pk in proposed_ids
        before = (member.rank, member.score, member.proposed_for_flag)
        member.rank, member.score, member.proposed_for_flag = spec.rank, spec.score, flag
        after = (member.rank, member.score, member.proposed_for_flag)
        if before != after:
            changes[member.unit.name] = [_rank_text(*before), _rank_text(*after)]
    ClusterMember.objects.bulk_update(members.values(), ["rank", "score", "proposed_for_flag"])
    return changes, overridden


def _rank_text(rank, score, flag) -> str | None:
    if rank is None:
        return None
    text = f"hạng {rank}"
    if score is not None:
        text += f", {score} điểm"
    if flag:
        text += ", đề nghị tặng Cờ"
    return text
