"""Writes on the organisation tree. Each service checks permission, runs in one transaction, locks
what it changes and writes AuditEvents. History survives every change: units are ended, never deleted;
members keep their past memberships; audit events keep pointing at the unit they concern."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from . import areas, tree
from .hooks import run_merge_handlers
from .models import OrgUnit, OrgUnitType, Sector, Succession


def _locked(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.select_for_update().get(pk=unit.pk)


def _and_join(phrases: list[str]) -> str:
    """Join phrases the Vietnamese way: a; a và b; a, b và c."""
    return " và ".join([", ".join(phrases[:-1]), phrases[-1]]) if len(phrases) > 1 else "".join(phrases)


def _check_active(unit: OrgUnit, day: dt.date) -> None:
    if not unit.is_active_on(day):
        raise ServiceError(f"Đơn vị “{unit.name}” đã hết hiệu lực, không thể thực hiện thao tác này.")


def orgunit_create(
    *,
    acting_user,
    parent: OrgUnit | None,
    name: str,
    code: str,
    unit_type: OrgUnitType,
    sector: Sector | None = None,
    short_name: str = "",
    area: str = "",
    area_code: str = "",
    valid_from: dt.date | None = None,
) -> OrgUnit:
    name, code = name.strip(), code.strip()
    if not name:
        raise ServiceError("Tên đơn vị không được để trống.", field="name")
    if not code:
        raise ServiceError("Mã đơn vị không được để trống.", field="code")
    if OrgUnit.objects.filter(code=code).exists():
        raise ServiceError(f"Mã đơn vị “{code}” đã được dùng cho đơn vị khác.", field="code")
    if unit_type.ended_on(valid_from or timezone.localdate()):
        raise ServiceError(unit_type.ended_message(), field="unit_type")
    fields = {
        "name": name,
        "code": code,
        "unit_type": unit_type,
        "sector": sector,
        "short_name": short_name.strip(),
        "area": area.strip(),
        "area_code": area_code.strip(),
        "valid_from": valid_from,
    }
    with transaction.atomic():
        if parent is None:  # a new root of the whole tree: the system administrator only
            if not acting_user.is_superuser:
                raise PermissionDenied("Chỉ quản trị hệ thống tạo được đơn vị cấp cao nhất.")
            unit = OrgUnit.objects.add_root(create_kwargs=fields)
        else:
            parent = _locked(parent)
            require(acting_user, Action.UNIT_MANAGE, parent.path)
            _check_active(parent, valid_from or timezone.localdate())
            unit = OrgUnit.objects.add_child(parent, create_kwargs=fields)
        if valid_from is not None and valid_from.year < tree.current_year():
            tree.tree_changed(on=valid_from)  # founded in a past year: that year's own tree places it too
        audit_record(
            actor=acting_user,
            action="orgunit.create",
            obj=unit,
            unit=unit,
            summary=f"Thành lập đơn vị “{unit.name}”"
            + (f" trực thuộc “{parent.name}”" if parent else " (cấp cao nhất)"),
            changes={"name": [None, unit.name], "code": [None, unit.code]},
        )
    return unit


def orgunit_set_area(*, acting_user, unit: OrgUnit, area_code: str, area: str = "") -> OrgUnit:
    """The unit's area: an official administrative unit (`organizations.areas` code, its name kept in
    `area`), or none."""
    official = areas.get(area_code) if area_code else None
    if area_code and official is None:
        raise ServiceError(f"Không có đơn vị hành chính mã “{area_code}”.", field="area_code")
    with transaction.atomic():
        unit = _locked(unit)
        require(acting_user, Action.UNIT_MANAGE, unit.path)
        before = unit.area_code, unit.area
        unit.area_code = official.code if official else ""
        unit.area = official.full_name if official else area.strip()
        unit._change_reason = "Cập nhật địa bàn"
        unit.save()
        audit_record(
            actor=acting_user,
            action="orgunit.area",
            obj=unit,
            unit=unit,
            summary=f"Cập nhật địa bàn của “{unit.name}”: {unit.area or 'không ghi'}",
            changes={"area_code": [before[0], unit.area_code], "area": [before[1], unit.area]},
        )
    return unit


def orgunit_rename(
    *, acting_user, unit: OrgUnit, name: str, short_name: str | None = None, reason: str = ""
) -> OrgUnit:
    name = name.strip()
    if not name:
        raise ServiceError("Tên đơn vị không được để trống.", field="name")
    with transaction.atomic():
        unit = _locked(unit)
        require(acting_user, Action.UNIT_MANAGE, unit.path)
        old_name, old_short = unit.name, unit.short_name
        unit.name = name
        if short_name is not None:
            unit.short_name = short_name.strip()
        unit._change_reason = reason or "Đổi tên"
        unit.save()
        audit_record(
            actor=acting_user,
            action="orgunit.rename",
            obj=unit,
            unit=unit,
            summary=f"Đổi tên “{old_name}” thành “{unit.name}”" + (f". Lý do: {reason}" if reason else ""),
            changes={"name": [old_name, unit.name], "short_name": [old_short, unit.short_name]},
        )
    return unit


def orgunit_move(
    *,
    acting_user,
    unit: OrgUnit,
    new_parent: OrgUnit,
    reason: str = "",
    on: dt.date | None = None,
    document_number: str = "",
    document_date: dt.date | None = None,
) -> OrgUnit:
    """Transfer a unit (with its whole subtree) to another parent from `on` (today by default), by the
    deciding document when there is one. History follows the unit (R-ORG-01): its members, memberships,
    awards and audit events keep pointing at the same rows; the dated tree keeps where it stood before
    (`organizations.tree`), so the reports of earlier years still show it there."""
    on = on or timezone.localdate()
    document_number = (document_number or "").strip()
    with transaction.atomic():
        unit = _locked(unit)
        new_parent = _locked(new_parent)
        require(acting_user, Action.UNIT_MANAGE, unit.path)
        require(acting_user, Action.UNIT_MANAGE, new_parent.path)
        if new_parent.path.startswith(unit.path):
            raise ServiceError("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc của nó.")
        if unit.depth > 1 and unit.path[: -unit.steplen] == new_parent.path:
            raise ServiceError(f"“{unit.name}” đã trực thuộc “{new_parent.name}”.")
        _check_active(new_parent, on)
        old_parent = OrgUnit.objects.get_parent(unit)
        _move(
            unit, old_parent, new_parent, on=on, document_number=document_number, document_date=document_date
        )
        unit.refresh_from_db()
        tree.tree_changed(on=on, moved_paths=[unit.path])
        document = _document_phrase(document_number, document_date)
        audit_record(
            actor=acting_user,
            action="orgunit.move",
            obj=unit,
            unit=unit,
            summary=f"Chuyển “{unit.name}” từ “{old_parent.name if old_parent else '—'}” "
            f"sang trực thuộc “{new_parent.name}” từ ngày {on:%d/%m/%Y}"
            + (f" theo {document}" if document else "")
            + (f". Lý do: {reason}" if reason else ""),
            changes={
                "parent": [old_parent.name if old_parent else None, new_parent.name],
                "on": [None, on.isoformat()],
            },
        )
    return unit


def _document_phrase(number: str, date: dt.date | None) -> str:
    """ "văn bản số 12/QĐ-LĐLĐ ngày 30/06/2025" ("" without a number)."""
    if not number:
        return ""
    return f"văn bản số {number}" + (f" ngày {date:%d/%m/%Y}" if date else "")


def _move(
    unit: OrgUnit,
    old_parent,
    new_parent: OrgUnit,
    *,
    on: dt.date,
    document_number="",
    document_date=None,
    reason="",
):
    """The one way a unit changes parent: the dated tree records the placement that ends, then treebeard
    moves the subtree."""
    tree.record_move(
        unit=unit,
        old_parent=old_parent,
        on=on,
        document_number=document_number,
        document_date=document_date,
        reason=reason,
    )
    OrgUnit.objects.move(unit, new_parent, pos="last-child")


def _merge_into(
    *,
    acting_user,
    source: OrgUnit,
    target: OrgUnit,
    on: dt.date,
    reason: str,
    why: str,
    kind: str = Succession.Kind.MERGE,
    document_number: str = "",
    document_date: dt.date | None = None,
):
    """The shared path of merge, dissolve and consolidation, inside the caller's transaction with `source`
    and `target` locked: the source's child units move under the target (the dated tree keeps where they
    stood), the handlers run (`organizations.hooks`), the source ends the day before `on`, names the
    target as successor and the lineage records it (`kind`). Returns the names of the moved children, the
    handlers' phrases and the source as saved."""
    moved_children, moved_ids = [], []
    for child in list(OrgUnit.objects.get_children(source)):
        _move(
            child,
            source,
            target,
            on=on,
            document_number=document_number,
            document_date=document_date,
            reason=why,
        )
        target.refresh_from_db()
        moved_children.append(child.name)
        moved_ids.append(child.pk)
    moved = run_merge_handlers(acting_user=acting_user, source=source, target=target, on=on, reason=reason)
    source.refresh_from_db()
    source.valid_to = on - dt.timedelta(days=1)
    source.successor = target
    source._change_reason = why
    source.save()
    tree.record_succession(
        predecessor=source,
        successor=target,
        kind=kind,
        on=on,
        document_number=document_number,
        document_date=document_date,
    )
    tree.tree_changed(
        on=on, moved_paths=list(OrgUnit.objects.filter(pk__in=moved_ids).values_list("path", flat=True))
    )
    return moved_children, moved, source


def _audit_closed(
    *, acting_user, action: str, source, successor, moved_children, summary: str, document=None
) -> None:
    """The audit event of a unit closed into a successor (merge, dissolve, consolidate): its end date,
    the successor, the child units moved and, when one decided it, the document."""
    changes = {
        "valid_to": [None, source.valid_to.isoformat()],
        "successor": [None, successor.name],
        "children_moved": [None, moved_children],
    }
    if document is not None:
        changes["document"] = [None, {"number": document[0], "date": document[1].isoformat()}]
    audit_record(actor=acting_user, action=action, obj=source, unit=source, summary=summary, changes=changes)


def orgunit_merge(
    *,
    acting_user,
    sources: list[OrgUnit],
    target: OrgUnit,
    merged_on: dt.date | None = None,
    reason: str = "",
    document_number: str = "",
    document_date: dt.date | None = None,
) -> OrgUnit:
    """Merge `sources` into `target` (which may be a newly created unit, for a consolidation).

    Each source ends the day before `merged_on` and names `target` as successor; its child units move
    under the target; its open memberships are closed on that day and reopened in the target (same
    role, card number, work mode), so each member's history shows both. Nothing is deleted. What other
    apps move with the unit (the memberships: `members`) is done by the merge handlers they register
    (`organizations.hooks`), in order, inside this transaction.
    """
    merged_on = merged_on or timezone.localdate()
    if not sources:
        raise ServiceError("Chọn ít nhất một đơn vị để sáp nhập.")
    with transaction.atomic():
        target = _locked(target)
        require(acting_user, Action.UNIT_MANAGE, target.path)
        _check_active(target, merged_on)
        for source in sources:
            source = _locked(source)
            require(acting_user, Action.UNIT_MANAGE, source.path)
            if source.pk == target.pk:
                raise ServiceError("Đơn vị nhận sáp nhập không thể đồng thời là đơn vị bị sáp nhập.")
            if target.path.startswith(source.path):
                raise ServiceError(
                    f"“{target.name}” trực thuộc “{source.name}”: "
                    "hãy chuyển đơn vị ra ngoài trước khi sáp nhập."
                )
            _check_active(source, merged_on)
            moved_children, moved, source = _merge_into(
                acting_user=acting_user,
                source=source,
                target=target,
                on=merged_on,
                reason=reason,
                why=f"Sáp nhập vào {target.name}",
                document_number=(document_number or "").strip(),
                document_date=document_date,
            )
            _audit_closed(
                acting_user=acting_user,
                action="orgunit.merge",
                source=source,
                successor=target,
                moved_children=moved_children,
                summary=f"Sáp nhập “{source.name}” vào “{target.name}” từ ngày {merged_on:%d/%m/%Y}: "
                f"chuyển {_and_join([*moved, f'{len(moved_children)} đơn vị trực thuộc'])}"
                + (f". Lý do: {reason}" if reason else ""),
            )
            audit_record(
                actor=acting_user,
                action="orgunit.merge_in",
                obj=target,
                unit=target,
                summary=f"Tiếp nhận “{source.name}” sáp nhập" + (f" ({_and_join(moved)})" if moved else ""),
            )
    return target


def _parent_path(unit: OrgUnit) -> str:
    return unit.path[: -unit.steplen]


def dissolve_check(*, unit: OrgUnit, successor: OrgUnit | None, on: dt.date | None) -> None:
    """The refusals of `orgunit_dissolve` that need no permission, for the preview as for the service."""
    if unit.depth <= 1:
        raise ServiceError(f"“{unit.name}” là đơn vị cấp cao nhất, không thể giải thể.")
    if on is None:
        raise ServiceError("Nhập ngày giải thể.", field="on")
    if successor is None:
        raise ServiceError("Chọn đơn vị kế thừa.", field="successor")
    if successor.path.startswith(unit.path):
        raise ServiceError(
            f"Đơn vị kế thừa “{successor.name}” là “{unit.name}” hoặc trực thuộc đơn vị này: "
            "hãy chọn một đơn vị bên ngoài.",
            field="successor",
        )
    if not unit.is_active_on(on):
        raise ServiceError(f"“{unit.name}” không còn hiệu lực vào ngày {on:%d/%m/%Y}.", field="on")
    if not successor.is_active_on(on):
        raise ServiceError(
            f"Đơn vị kế thừa “{successor.name}” không còn hiệu lực vào ngày {on:%d/%m/%Y}.", field="successor"
        )


def orgunit_dissolve(
    *,
    acting_user,
    unit: OrgUnit,
    successor: OrgUnit,
    on: dt.date,
    document_number: str,
    document_date: dt.date | None,
    reason: str = "",
) -> OrgUnit:
    """Dissolve `unit` (Giải thể) from `on` by the deciding document: its child units move under
    `successor` (any type, often the parent), it ends the day before `on` and names `successor` as its
    successor, and the merge handlers carry over what hangs on it (memberships, role assignments ended,
    pending dossier steps re-routed, council seats ended). Needs `unit.manage` on the unit's parent and on
    the successor. Nothing is deleted. Returns the successor."""
    document_number = (document_number or "").strip()
    reason = (reason or "").strip()
    if not document_number:
        raise ServiceError("Nhập số văn bản quyết định giải thể.", field="document_number")
    if document_date is None:
        raise ServiceError("Nhập ngày của văn bản quyết định giải thể.", field="document_date")
    with transaction.atomic():
        unit = _locked(unit)
        successor = _locked(successor) if successor is not None else None
        if unit.depth > 1:
            require(acting_user, Action.UNIT_MANAGE, _parent_path(unit))
        if successor is not None:
            require(acting_user, Action.UNIT_MANAGE, successor.path)
        dissolve_check(unit=unit, successor=successor, on=on)
        document = f"văn bản số {document_number} ngày {document_date:%d/%m/%Y}"
        moved_children, moved, unit = _merge_into(
            acting_user=acting_user,
            source=unit,
            target=successor,
            on=on,
            reason=reason or f"Giải thể theo {document}",
            why=f"Giải thể theo {document}",
            kind=Succession.Kind.DISSOLVE,
            document_number=document_number,
            document_date=document_date,
        )
        carried = _and_join([*moved, f"{len(moved_children)} đơn vị trực thuộc"])
        _audit_closed(
            acting_user=acting_user,
            action="orgunit.dissolve",
            source=unit,
            successor=successor,
            moved_children=moved_children,
            summary=f"Giải thể “{unit.name}” từ ngày {on:%d/%m/%Y} theo {document}; đơn vị kế thừa "
            f"“{successor.name}”: chuyển {carried}" + (f". Lý do: {reason}" if reason else ""),
            document=(document_number, document_date),
        )
        audit_record(
            actor=acting_user,
            action="orgunit.dissolve_in",
            obj=successor,
            unit=successor,
            summary=f"Kế thừa “{unit.name}” giải thể từ ngày {on:%d/%m/%Y} theo {document}"
            + (f" ({_and_join(moved)})" if moved else ""),
        )
    return successor


def _require_document(document_number: str, document_date: dt.date | None, what: str) -> str:
    document_number = (document_number or "").strip()
    if not document_number:
        raise ServiceError(f"Nhập số văn bản quyết định {what}.", field="document_number")
    if document_date is None:
        raise ServiceError(f"Nhập ngày của văn bản quyết định {what}.", field="document_date")
    return document_number


def consolidate_check(*, sources: list[OrgUnit], parent: OrgUnit | None, on: dt.date | None) -> None:
    """The refusals of `orgunit_consolidate` about the units that need no permission (preview and service)."""
    if on is None:
        raise ServiceError("Nhập ngày hợp nhất.", field="on")
    if len({s.pk for s in sources}) < 2 or len({s.pk for s in sources}) != len(sources):
        raise ServiceError("Chọn ít nhất hai đơn vị khác nhau để hợp nhất.", field="sources")
    if parent is None:
        raise ServiceError("Chọn đơn vị cấp trên của đơn vị mới.", field="parent")
    for source in sources:
        if parent.path.startswith(source.path):
            raise ServiceError(
                f"Đơn vị cấp trên “{parent.name}” là “{source.name}” hoặc trực thuộc đơn vị này: "
                "hãy chọn một đơn vị bên ngoài các đơn vị hợp nhất.",
                field="parent",
            )
        for other in sources:
            if other.pk != source.pk and source.path.startswith(other.path):
                raise ServiceError(
                    f"“{source.name}” trực thuộc “{other.name}”: chỉ hợp nhất các đơn vị không trực thuộc nhau.",
                    field="sources",
                )
        if source.valid_to is not None or not source.is_active_on(on):
            raise ServiceError(
                f"“{source.name}” đã hết hiệu lực hoặc không còn hiệu lực vào ngày {on:%d/%m/%Y}.",
                field="sources",
            )
    if not parent.is_active_on(on):
        raise ServiceError(f"“{parent.name}” không còn hiệu lực vào ngày {on:%d/%m/%Y}.", field="parent")


def orgunit_consolidate(
    *,
    acting_user,
    sources: list[OrgUnit],
    parent: OrgUnit,
    name: str,
    code: str,
    unit_type: OrgUnitType,
    short_name: str = "",
    sector: Sector | None = None,
    on: dt.date,
    document_number: str,
    document_date: dt.date | None,
    reason: str = "",
) -> OrgUnit:
    """Consolidate (Hợp nhất) `sources` into a new unit founded under `parent` from `on`: each source
    ends the day before and goes into it through the merge path (`_merge_into`, kind CONSOLIDATE): its
    children, members, roles ended, dossiers. One transaction; needs `unit.manage` on the parent and on
    every source. Returns the new unit."""
    document_number = _require_document(document_number, document_date, "hợp nhất")
    reason = (reason or "").strip()
    with transaction.atomic():
        parent = _locked(parent) if parent is not None else None
        sources = [_locked(s) for s in sources]
        if parent is not None:
            require(acting_user, Action.UNIT_MANAGE, parent.path)
        for source in sources:
            require(acting_user, Action.UNIT_MANAGE, source.path)
        consolidate_check(sources=sources, parent=parent, on=on)
        unit = orgunit_create(
            acting_user=acting_user,
            parent=parent,
            name=name,
            code=code,
            unit_type=unit_type,
            sector=sector,
            short_name=short_name,
            valid_from=on,
        )
        document = _document_phrase(document_number, document_date)
        why = f"Hợp nhất thành {unit.name} theo {document}"
        lines = []
        for source in sources:
            moved_children, moved, source = _merge_into(
                acting_user=acting_user,
                source=source,
                target=unit,
                on=on,
                reason=reason or why,
                why=why,
                kind=Succession.Kind.CONSOLIDATE,
                document_number=document_number,
                document_date=document_date,
            )
            unit.refresh_from_db()
            carried = _and_join([*moved, f"{len(moved_children)} đơn vị trực thuộc"])
            lines.append(f"“{source.name}” ({carried})")
            _audit_closed(
                acting_user=acting_user,
                action="orgunit.consolidate",
                source=source,
                successor=unit,
                moved_children=moved_children,
                summary=f"Hợp nhất “{source.name}” vào đơn vị mới “{unit.name}” từ ngày {on:%d/%m/%Y} "
                f"theo {document}: chuyển {carried}" + (f". Lý do: {reason}" if reason else ""),
                document=(document_number, document_date),
            )
        audit_record(
            actor=acting_user,
            action="orgunit.consolidate_in",
            obj=unit,
            unit=unit,
            summary=f"Hợp nhất {_and_join(lines)} thành “{unit.name}” trực thuộc “{parent.name}” "
            f"từ ngày {on:%d/%m/%Y} theo {document}" + (f". Lý do: {reason}" if reason else ""),
            changes={
                "sources": [None, [s.name for s in sources]],
                "document": [None, {"number": document_number, "date": document_date.isoformat()}],
            },
        )
    return unit


def split_check(
    *,
    unit: OrgUnit,
    parts: list[dict],
    assignments: dict,
    members_to: int | None,
    on: dt.date | None,
) -> None:
    """The refusals of `orgunit_split` that need no permission (preview and service)."""
    if unit.depth <= 1:
        raise ServiceError(f"“{unit.name}” là đơn vị cấp cao nhất, không thể chia tách.")
    if on is None:
        raise ServiceError("Nhập ngày chia tách.", field="on")
    if unit.valid_to is not None or not unit.is_active_on(on):
        raise ServiceError(f"“{unit.name}” không còn hiệu lực vào ngày {on:%d/%m/%Y}.", field="on")
    if not 2 <= len(parts) <= 5:
        raise ServiceError("Chia tách thành từ 2 đến 5 đơn vị mới.", field="parts")
    codes = [(p.get("code") or "").strip() for p in parts]
    for index, part in enumerate(parts, start=1):
        if not (part.get("name") or "").strip():
            raise ServiceError(f"Nhập tên đơn vị mới thứ {index}.", field=f"part{index}_name")
        if not codes[index - 1]:
            raise ServiceError(f"Nhập mã đơn vị mới thứ {index}.", field=f"part{index}_code")
        if codes.count(codes[index - 1]) > 1:
            raise ServiceError(
                f"Mã “{codes[index - 1]}” của đơn vị mới thứ {index} trùng với một đơn vị mới khác.",
                field=f"part{index}_code",
            )
        if OrgUnit.objects.filter(code=codes[index - 1]).exists():
            raise ServiceError(
                f"Mã “{codes[index - 1]}” của đơn vị mới thứ {index} đã được dùng cho đơn vị khác.",
                field=f"part{index}_code",
            )
        unit_type = part.get("unit_type")
        if unit_type is None:
            raise ServiceError(f"Chọn loại của đơn vị mới thứ {index}.", field=f"part{index}_unit_type")
        if unit_type.ended_on(on):
            raise ServiceError(unit_type.ended_message(), field=f"part{index}_unit_type")
    for child in OrgUnit.objects.get_children(unit):
        index = assignments.get(child.pk)
        if index is None or not 0 <= index < len(parts):
            raise ServiceError(f"Chọn đơn vị mới nhận “{child.name}”.", field=f"child_{child.pk}")
    if members_to is None or not 0 <= members_to < len(parts):
        raise ServiceError("Chọn đơn vị mới nhận đoàn viên, vai trò và hồ sơ.", field="members_to")


def orgunit_split(
    *,
    acting_user,
    unit: OrgUnit,
    parts: list[dict],
    assignments: dict,
    members_to: int,
    on: dt.date,
    document_number: str,
    document_date: dt.date | None,
    reason: str = "",
) -> list[OrgUnit]:
    """Split (Chia tách) `unit` into 2–5 new units founded under its parent from `on`: each child unit
    moves to the part `assignments` gives it ({child id: part index}), the merge handlers carry the unit's
    members, roles and dossiers to part `members_to`, the unit ends the day before `on` (its successor:
    that part) and the lineage records a split to every part. One transaction; needs `unit.manage` on the
    unit's parent (the level above decides). Returns the new units."""
    document_number = _require_document(document_number, document_date, "chia tách")
    reason = (reason or "").strip()
    with transaction.atomic():
        unit = _locked(unit)
        if unit.depth > 1:
            require(acting_user, Action.UNIT_MANAGE, _parent_path(unit))
        require(acting_user, Action.UNIT_MANAGE, unit.path)
        split_check(unit=unit, parts=parts, assignments=assignments, members_to=members_to, on=on)
        parent = OrgUnit.objects.get_parent(unit)
        new_units = []
        for part in parts:
            new_units.append(
                orgunit_create(
                    acting_user=acting_user,
                    parent=parent,
                    name=part["name"],
                    code=part["code"],
                    unit_type=part["unit_type"],
                    short_name=part.get("short_name") or "",
                    sector=part.get("sector", unit.sector),
                    valid_from=on,
                )
            )
            parent.refresh_from_db()
        document = _document_phrase(document_number, document_date)
        why = f"Chia tách {unit.name} theo {document}"
        moved_ids = []
        for child in list(OrgUnit.objects.get_children(unit)):
            target = OrgUnit.objects.get(pk=new_units[assignments[child.pk]].pk)
            _move(
                child,
                unit,
                target,
                on=on,
                document_number=document_number,
                document_date=document_date,
                reason=why,
            )
            moved_ids.append(child.pk)
            unit.refresh_from_db()
        heir = OrgUnit.objects.get(pk=new_units[members_to].pk)
        moved = run_merge_handlers(
            acting_user=acting_user, source=unit, target=heir, on=on, reason=reason or why
        )
        unit.refresh_from_db()
        unit.valid_to = on - dt.timedelta(days=1)
        unit.successor = heir
        unit._change_reason = why
        unit.save()
        for new_unit in new_units:
            tree.record_succession(
                predecessor=unit,
                successor=new_unit,
                kind=Succession.Kind.SPLIT,
                on=on,
                document_number=document_number,
                document_date=document_date,
            )
        tree.tree_changed(
            on=on, moved_paths=list(OrgUnit.objects.filter(pk__in=moved_ids).values_list("path", flat=True))
        )
        new_units = [OrgUnit.objects.get(pk=u.pk) for u in new_units]
        audit_record(
            actor=acting_user,
            action="orgunit.split",
            obj=unit,
            unit=unit,
            summary=f"Chia tách “{unit.name}” từ ngày {on:%d/%m/%Y} theo {document} thành "
            f"{_and_join([f'“{u.name}”' for u in new_units])}; {len(moved_ids)} đơn vị trực thuộc chuyển"
            + (f"; chuyển sang “{heir.name}”: {_and_join(moved)}" if moved else "")
            + (f". Lý do: {reason}" if reason else ""),
            changes={
                "valid_to": [None, unit.valid_to.isoformat()],
                "parts": [None, [u.name for u in new_units]],
                "document": [None, {"number": document_number, "date": document_date.isoformat()}],
            },
        )
    return new_units
