"""Writes on memberships: update, end, transfer one, and the bulk transfer unit merges use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from core.access import Action, require
from core.audit import audit_record, diff_fields, snapshot
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..models import Membership
from ..validation import card_number_clash, scope_test


def _membership_validate(*, unit: OrgUnit, started_on: dt.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not unit.unit_type.holds_members:
        errors["unit"] = (
            f"“{unit.name}” là {unit.unit_type.name.lower()}: đoàn viên chỉ sinh hoạt tại "
            "công đoàn cơ sở, công đoàn bộ phận hoặc tổ công đoàn."
        )
    if started_on is None:
        errors["started_on"] = "Nhập ngày bắt đầu sinh hoạt."
    elif not unit.is_active_on(started_on):
        errors["unit"] = f"“{unit.name}” không còn hiệu lực vào ngày {started_on:%d/%m/%Y}."
    return errors


def membership_update(*, acting_user, membership: Membership, data: dict[str, Any]) -> Membership:
    """Change role, job title, work mode or card number of the current membership."""
    fields = ("union_role", "job_title", "work_mode", "card_number")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("unit", "person").get(pk=membership.pk)
        )
        require(acting_user, Action.PERSON_CHANGE, membership.unit.path)
        before = snapshot(membership, fields)
        for key in fields:
            if key in data:
                setattr(membership, key, (data[key] or "").strip() if key != "work_mode" else data[key])
        if membership.card_number != before["card_number"] and membership.ended_on is None:
            clash = card_number_clash(
                membership.card_number, in_scope=scope_test(acting_user), exclude_membership=membership.pk
            )
            if clash:
                raise ServiceError(clash, field="card_number")
        membership.save()
        changes = diff_fields(before, snapshot(membership, fields))
        if changes:
            audit_record(
                actor=acting_user,
                action="membership.update",
                obj=membership,
                unit=membership.unit,
                summary=f"Cập nhật sinh hoạt công đoàn của “{membership.person}” tại “{membership.unit}”",
                changes=changes,
            )
    return membership


def membership_end(*, acting_user, membership: Membership, ended_on: dt.date, reason: str) -> Membership:
    if not reason.strip():
        raise ServiceError("Nhập lý do kết thúc sinh hoạt.", field="end_reason")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("unit", "person").get(pk=membership.pk)
        )
        require(acting_user, Action.PERSON_CHANGE, membership.unit.path)
        if membership.ended_on is not None:
            raise ServiceError("Quá trình sinh hoạt này đã kết thúc.")
        if ended_on < membership.started_on:
            raise ServiceError("Ngày kết thúc không được trước ngày bắt đầu sinh hoạt.", field="ended_on")
        membership.ended_on = ended_on
        membership.end_reason = reason.strip()
        membership.save()
        audit_record(
            actor=acting_user,
            action="membership.end",
            obj=membership,
            unit=membership.unit,
            summary=f"Kết thúc sinh hoạt của “{membership.person}” tại “{membership.unit}” "
            f"ngày {ended_on:%d/%m/%Y}: {membership.end_reason}",
        )
    return membership


def membership_transfer(
    *, acting_user, membership: Membership, to_unit: OrgUnit, on: dt.date, reason: str = ""
) -> Membership:
    """Move a person to another unit: the old membership ends the day before, a new one starts."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("unit", "person").get(pk=membership.pk)
        )
        require(acting_user, Action.PERSON_CHANGE, membership.unit.path)
        require(acting_user, Action.PERSON_CHANGE, to_unit.path)
        errors = _membership_validate(unit=to_unit, started_on=on)
        if errors:
            raise ServiceError(next(iter(errors.values())), field="unit")
        if membership.ended_on is not None:
            raise ServiceError("Chỉ chuyển được quá trình sinh hoạt đang diễn ra.")
        if to_unit.pk == membership.unit_id:
            raise ServiceError(f"Đoàn viên đang sinh hoạt tại “{to_unit.name}”.", field="unit")
        new = _reopen(membership, to_unit=to_unit, on=on, reason=reason or f"Chuyển sang {to_unit.name}")
        audit_record(
            actor=acting_user,
            action="membership.transfer",
            obj=new,
            unit=to_unit,
            summary=f"Chuyển sinh hoạt của “{membership.person}” từ “{membership.unit}” sang “{to_unit}” "
            f"từ ngày {on:%d/%m/%Y}",
            changes={"unit": [membership.unit.name, to_unit.name]},
        )
    return new


def _reopen(membership: Membership, *, to_unit: OrgUnit, on: dt.date, reason: str) -> Membership:
    membership.ended_on = max(on - dt.timedelta(days=1), membership.started_on)
    membership.end_reason = reason
    membership.save()
    return Membership.objects.create(
        person=membership.person,
        unit=to_unit,
        union_role=membership.union_role,
        job_title=membership.job_title,
        work_mode=membership.work_mode,
        card_number=membership.card_number,
        started_on=on,
    )


def membership_transfer_bulk(
    *, acting_user, from_unit: OrgUnit, to_unit: OrgUnit, on: dt.date, reason: str
) -> int:
    """Used by unit merges: move every open membership held directly in `from_unit` to `to_unit`."""
    require(acting_user, Action.UNIT_MANAGE, from_unit.path)
    count = 0
    open_memberships = (
        Membership.objects.select_for_update()
        .filter(unit=from_unit, ended_on__isnull=True)
        .select_related("person")
    )
    for membership in open_memberships:
        _reopen(membership, to_unit=to_unit, on=on, reason=reason)
        count += 1
    return count
