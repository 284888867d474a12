"""Writes on people and memberships: validated, permission-checked, one transaction, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record, diff_fields, snapshot
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from .choices import Gender, UnionRole, WorkMode
from .models import Membership, Person

PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "citizen_id",
    "phone",
    "email",
    "union_joined_on",
)
MEMBERSHIP_FIELDS = ("unit", "union_role", "job_title", "work_mode", "card_number", "started_on")
MIN_AGE, MAX_AGE = 15, 100


def person_validate(*, data: dict[str, Any], instance: Person | None = None) -> dict[str, str]:
    """Vietnamese error per field (empty when valid). Shared by forms, imports and the API."""
    errors: dict[str, str] = {}
    if not (data.get("given_name") or "").strip():
        errors["given_name"] = "Tên không được để trống."
    if data.get("gender") not in Gender.values:
        errors["gender"] = "Giới tính phải là Nam hoặc Nữ."
    citizen_id = (data.get("citizen_id") or "").strip()
    if citizen_id:
        if not (citizen_id.isdigit() and len(citizen_id) == 12):
            errors["citizen_id"] = "Số CCCD phải gồm đúng 12 chữ số."
        else:
            clash = Person.objects.filter(citizen_id=citizen_id)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["citizen_id"] = "Số CCCD này đã có trong hệ thống (trùng với một đoàn viên khác)."
    birth = data.get("birth_date")
    if birth:
        today = timezone.localdate()
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if birth > today:
            errors["birth_date"] = "Ngày sinh không được sau ngày hôm nay."
        elif age < MIN_AGE:
            errors["birth_date"] = f"Ngày sinh không hợp lệ: người lao động phải từ đủ {MIN_AGE} tuổi."
        elif age > MAX_AGE:
            errors["birth_date"] = f"Ngày sinh không hợp lệ: tuổi lớn hơn {MAX_AGE}."
    joined = data.get("union_joined_on")
    if joined and birth and joined < birth:
        errors["union_joined_on"] = "Ngày vào công đoàn không được trước ngày sinh."
    return errors


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


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: data.get(key) for key in PERSON_FIELDS}
    for key in ("family_name", "middle_name", "given_name", "phone", "email"):
        cleaned[key] = " ".join((cleaned[key] or "").split())
    cleaned["citizen_id"] = (cleaned["citizen_id"] or "").strip() or None
    return cleaned


def person_create(*, acting_user, person_data: dict[str, Any], membership_data: dict[str, Any]) -> Person:
    """Create a person with their first membership (where they take part in union life)."""
    unit: OrgUnit = membership_data["unit"]
    require(acting_user, Action.PERSON_CHANGE, unit.path)
    cleaned = _clean_person(person_data)
    errors = person_validate(data=cleaned) | _membership_validate(
        unit=unit, started_on=membership_data.get("started_on")
    )
    if errors:
        field, message = next(iter(errors.items()))
        raise ServiceError(message, field=field)
    with transaction.atomic():
        person = Person.objects.create(**cleaned)
        membership = Membership.objects.create(
            person=person,
            unit=unit,
            union_role=membership_data.get("union_role") or UnionRole.DOAN_VIEN,
            job_title=(membership_data.get("job_title") or "").strip(),
            work_mode=membership_data.get("work_mode") or WorkMode.NONE,
            card_number=(membership_data.get("card_number") or "").strip(),
            started_on=membership_data["started_on"],
        )
        audit_record(
            actor=acting_user,
            action="person.create",
            obj=person,
            unit=unit,
            summary=f"Thêm đoàn viên “{person.full_name}” vào “{unit.name}”",
            changes={
                "full_name": [None, person.full_name],
                "unit": [None, unit.name],
                "membership_id": [None, membership.pk],
            },
        )
    return person


def person_update(*, acting_user, person: Person, person_data: dict[str, Any]) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        current = person.memberships.filter(ended_on__isnull=True).select_related("unit").first()
        unit = current.unit if current else None
        if unit is None:
            require(acting_user, Action.ROLE_MANAGE)
        else:
            require(acting_user, Action.PERSON_CHANGE, unit.path)
        cleaned = _clean_person(person_data)
        errors = person_validate(data=cleaned, instance=person)
        if errors:
            field, message = next(iter(errors.items()))
            raise ServiceError(message, field=field)
        before = snapshot(person, PERSON_FIELDS)
        for key, value in cleaned.items():
            setattr(person, key, value)
        person.save()
        changes = diff_fields(before, snapshot(person, PERSON_FIELDS))
        if "citizen_id" in changes:  # never write the number itself into the log
            changes["citizen_id"] = ["(đã thay đổi)", "(đã thay đổi)"]
        if changes:
            audit_record(
                actor=acting_user,
                action="person.update",
                obj=person,
                unit=unit,
                summary=f"Sửa thông tin đoàn viên “{person.full_name}”: "
                + ", ".join(str(Person._meta.get_field(name).verbose_name) for name in changes),
                changes=changes,
            )
    return person


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
