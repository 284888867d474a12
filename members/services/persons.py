"""Writes on people: create (with the first membership) and update. Validated, permission-checked, one
transaction, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from core.access import Action, require
from core.audit import audit_record, diff_fields, snapshot
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import UnionRole, WorkMode
from ..models import Membership, Person
from ..validation import (
    CARD_OUT_OF_SCOPE,
    CITIZEN_ID_OUT_OF_SCOPE,
    PERSON_FIELDS,
    card_number_clash,
    person_validate,
    scope_test,
)
from .memberships import _membership_validate


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: data.get(key) for key in PERSON_FIELDS}
    for key in ("family_name", "middle_name", "given_name", "phone", "email"):
        cleaned[key] = " ".join((cleaned[key] or "").split())
    cleaned["citizen_id"] = (cleaned["citizen_id"] or "").strip() or None
    return cleaned


def person_create(*, acting_user, person_data: dict[str, Any], membership_data: dict[str, Any]) -> Person:
    """Create a person with their first membership (where they take part in union life). A citizen ID
    or card number already recorded is refused, naming the holder only inside the user's scope."""
    unit: OrgUnit = membership_data["unit"]
    require(acting_user, Action.PERSON_CHANGE, unit.path)
    cleaned = _clean_person(person_data)
    in_scope = scope_test(acting_user)
    errors = person_validate(data=cleaned, in_scope=in_scope) | _membership_validate(
        unit=unit, started_on=membership_data.get("started_on")
    )
    card_clash = card_number_clash(membership_data.get("card_number") or "", in_scope=in_scope)
    if card_clash:
        errors.setdefault("card_number", card_clash)
    if errors:
        field, message = next(iter(errors.items()))
        raise ServiceError(message, field=field)
    try:
        return _person_create(acting_user, cleaned, membership_data, unit)
    except IntegrityError as exc:  # recorded by someone else between the check and the write
        if "citizen_id" in str(exc):
            raise ServiceError(CITIZEN_ID_OUT_OF_SCOPE, field="citizen_id") from exc
        if "card_number" in str(exc):
            raise ServiceError(CARD_OUT_OF_SCOPE, field="card_number") from exc
        raise ServiceError(
            "Không ghi được đoàn viên: dữ liệu vừa bị thay đổi bởi người khác. Hãy kiểm tra rồi lưu lại."
        ) from exc


def _person_create(acting_user, cleaned: dict[str, Any], membership_data: dict[str, Any], unit) -> Person:
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
        # the open membership decides; for someone who left, the last one (as for a roster match,
        # members.validation.deciding_paths); a record that never had a membership: the superuser only
        memberships = person.memberships.select_related("unit")
        current = (
            memberships.filter(ended_on__isnull=True).first()
            or memberships.order_by("-ended_on", "-pk").first()
        )
        unit = current.unit if current else None
        if unit is None:
            if not acting_user.is_superuser:
                raise PermissionDenied("Chỉ quản trị hệ thống sửa được hồ sơ không thuộc đơn vị nào.")
        else:
            require(acting_user, Action.PERSON_CHANGE, unit.path)
        cleaned = _clean_person(person_data)
        errors = person_validate(data=cleaned, instance=person, in_scope=scope_test(acting_user))
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
