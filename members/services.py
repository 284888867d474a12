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


# ------------------------------------------------------------------------------------------ roster import
class RosterInvalid(ServiceError):
    """The roster has row errors: nothing was written. `plan.errors` lists them."""

    def __init__(self, plan):
        super().__init__(f"Tệp có {len(plan.errors)} lỗi: chưa ghi đoàn viên nào.")
        self.plan = plan


IMPORT_PERSON_FIELDS = {
    "full_name": ("family_name", "middle_name", "given_name"),
    "gender": ("gender",),
    "birth_date": ("birth_date",),
    "citizen_id": ("citizen_id",),
    "phone": ("phone",),
    "email": ("email",),
    "union_joined_on": ("union_joined_on",),
}
IMPORT_MEMBERSHIP_FIELDS = {
    "union_role": "union_role",
    "job_title": "job_title",
    "card_number": "card_number",
}
BATCH = 1000


def roster_import(
    *,
    acting_user,
    unit: OrgUnit,
    rows: list[list[Any]],
    header_row: int,
    mapping: dict[str, int],
    progress=None,
) -> dict[str, int]:
    """Import a roster into `unit` (and its union groups) as ONE transaction: every row is valid and
    written, or `RosterInvalid` is raised and nothing is. People are matched by citizen ID, then by card
    number: a match is updated (changed fields only, each change audited), never duplicated.

    `progress(done, total)` is called as rows are checked and written (0..total twice: check, write).
    Queries are per 1,000 rows (bulk fetch, bulk_create, bulk_update), never per row."""
    from core.models import AuditEvent

    from . import roster

    require(acting_user, Action.PERSON_CHANGE, unit.path)

    def report(stage: str):
        return (lambda done, total: progress(stage, done, total)) if progress else None

    with transaction.atomic():
        plan = roster.validate(
            rows=rows, header_row=header_row, mapping=mapping, unit=unit, progress=report("check")
        )
        if plan.errors:
            raise RosterInvalid(plan)
        today = timezone.localdate()
        now = timezone.now()
        actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
        actor_name = (actor.get_full_name() or actor.get_username()) if actor else "Hệ thống"
        person_fields = [f for key, names in IMPORT_PERSON_FIELDS.items() if key in mapping for f in names]
        membership_fields = [f for key, f in IMPORT_MEMBERSHIP_FIELDS.items() if key in mapping]
        events: list[AuditEvent] = []

        def event(action: str, obj, event_unit, summary: str, changes: dict) -> None:
            events.append(
                AuditEvent(
                    occurred_at=now,
                    actor=actor,
                    actor_name=actor_name,
                    action=action,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:255],
                    unit=event_unit,
                    summary=summary,
                    changes=changes,
                )
            )

        new_people: list[tuple[Person, Any]] = []
        changed_people: list[Person] = []
        person_changes: dict[int, tuple[Any, dict]] = {}
        new_memberships: list[Membership] = []
        ended: list[Membership] = []
        changed_memberships: list[Membership] = []
        total = len(plan.records)
        for record in plan.records:
            if record.existing is None:
                person = Person(**record.person)
                person.refresh_derived()
                new_people.append((person, record))
                continue
            person = record.existing
            before = snapshot(person, person_fields)
            for name in person_fields:
                value = record.person[name]
                if value not in (None, ""):  # an empty cell never erases what is known
                    setattr(person, name, value)
            changes = diff_fields(before, snapshot(person, person_fields))
            if changes:
                if "citizen_id" in changes:  # never write the number itself into the log
                    changes["citizen_id"] = ["(đã thay đổi)", "(đã thay đổi)"]
                person.refresh_derived()
                changed_people.append(person)
                person_changes[person.pk] = (record, changes)
            current = record.membership
            if current is not None and not record.group_given:
                record.unit = current.unit  # no group named: the member stays where they are
            if current is None or current.unit_id != record.unit.pk:
                if current is not None:
                    current.ended_on = max(today - dt.timedelta(days=1), current.started_on)
                    current.end_reason = f"Chuyển sang {record.unit.name} (nhập danh sách)"
                    ended.append(current)
                new_memberships.append(_import_membership(person, record, today, current))
                if current is not None:
                    event(
                        "membership.transfer",
                        person,
                        record.unit,
                        f"Chuyển sinh hoạt của “{person.full_name}” từ “{current.unit.name}” sang "
                        f"“{record.unit.name}” (nhập danh sách)",
                        {"unit": [current.unit.name, record.unit.name]},
                    )
                continue
            m_before = snapshot(current, membership_fields)
            for name in membership_fields:
                value = getattr(record, name)
                if value not in (None, ""):
                    setattr(current, name, value)
            m_changes = diff_fields(m_before, snapshot(current, membership_fields))
            if m_changes:
                changed_memberships.append(current)
                event(
                    "membership.update",
                    current,
                    record.unit,
                    f"Cập nhật sinh hoạt công đoàn của “{person.full_name}” tại “{record.unit.name}” "
                    "(nhập danh sách)",
                    m_changes,
                )

        written = 0
        created = bulk_create_history(Person, [p for p, _ in new_people], acting_user)
        for person, record in zip(created, (r for _, r in new_people), strict=True):
            new_memberships.append(_import_membership(person, record, today, None))
            event(
                "person.create",
                person,
                record.unit,
                f"Thêm đoàn viên “{person.full_name}” vào “{record.unit.name}” (nhập danh sách)",
                {"full_name": [None, person.full_name], "unit": [None, record.unit.name]},
            )
            written += 1
            if progress and written % BATCH == 0:
                progress("write", written, total)
        if changed_people:
            for chunk_start in range(0, len(changed_people), BATCH):
                chunk = changed_people[chunk_start : chunk_start + BATCH]
                bulk_update_history(
                    Person, chunk, [*person_fields, "full_name", "search_text", "sort_key"], acting_user
                )
                written += len(chunk)
                if progress:
                    progress("write", written, total)
            for person in changed_people:
                record, changes = person_changes[person.pk]
                event(
                    "person.update",
                    person,
                    record.unit,
                    f"Sửa thông tin đoàn viên “{person.full_name}” (nhập danh sách): "
                    + ", ".join(str(Person._meta.get_field(name).verbose_name) for name in changes),
                    changes,
                )
        if ended:
            bulk_update_history(Membership, ended, ["ended_on", "end_reason"], acting_user)
        if changed_memberships:
            bulk_update_history(Membership, changed_memberships, membership_fields, acting_user)
        bulk_create_history(Membership, new_memberships, acting_user)
        summary = {
            "rows": plan.total_rows,
            "created": len(new_people),
            "updated": len(changed_people),
            "unchanged": plan.match_count - len(changed_people),
            "transferred": len(ended),
            "memberships_updated": len(changed_memberships),
        }
        event(
            "roster.import",
            unit,
            unit,
            f"Nhập danh sách đoàn viên vào “{unit.name}”: {summary['rows']} dòng, thêm {summary['created']}, "
            f"cập nhật {summary['updated']}",
            {"summary": [None, summary]},
        )
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        if progress:
            progress("write", total, total)
    return summary


def _import_membership(person: Person, record, today: dt.date, previous: Membership | None) -> Membership:
    return Membership(
        person=person,
        unit=record.unit,
        union_role=record.union_role or (previous.union_role if previous else UnionRole.DOAN_VIEN),
        job_title=record.job_title or (previous.job_title if previous else ""),
        work_mode=previous.work_mode if previous else WorkMode.NONE,
        card_number=record.card_number or (previous.card_number if previous else ""),
        started_on=today,
    )


def bulk_create_history(model, objs: list, acting_user) -> list:
    """bulk_create in batches with their django-simple-history rows (the import's history entries)."""
    from simple_history.utils import bulk_create_with_history

    if not objs:
        return []
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return bulk_create_with_history(
        objs, model, batch_size=BATCH, default_user=user, default_change_reason="Nhập danh sách"
    )


def bulk_update_history(model, objs: list, fields: list[str], acting_user) -> None:
    from simple_history.utils import bulk_update_with_history

    if not objs or not fields:
        return
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    bulk_update_with_history(
        objs, model, fields, batch_size=BATCH, default_user=user, default_change_reason="Nhập danh sách"
    )


def roster_export(*, acting_user, unit: OrgUnit) -> tuple[bytes, bool]:
    """The .xlsx roster of the unit's subtree. Citizen IDs are masked unless the user holds
    PERSON_VIEW_SENSITIVE on the unit; an unmasked export is audit-logged. Returns (data, unmasked)."""
    from core.access import can

    from . import roster
    from .selectors import roster_export_rows

    require(acting_user, Action.PERSON_VIEW, unit.path)
    unmasked = can(acting_user, Action.PERSON_VIEW_SENSITIVE, unit.path)
    rows = roster_export_rows(unit=unit, show_citizen_id=unmasked)
    data = roster.export_workbook(
        title=f"DANH SÁCH ĐOÀN VIÊN — {unit.name.upper()} (ngày {timezone.localdate():%d/%m/%Y})", rows=rows
    )
    if unmasked:
        with transaction.atomic():
            audit_record(
                actor=acting_user,
                action="person.export_sensitive",
                obj=unit,
                unit=unit,
                summary=f"Xuất danh sách {len(rows)} đoàn viên của “{unit.name}” kèm số CCCD đầy đủ",
                changes={"rows": [None, len(rows)]},
            )
    return data, unmasked
