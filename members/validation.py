"""Checks on a person's fields, shared by the person services and the roster import.

Below both `members.services` and `members.roster` (it imports only the models), so the roster's
validation and matching use it without a cycle back through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .choices import Gender
from .models import Person

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
MIN_AGE, MAX_AGE = 15, 100
GENDERS = frozenset(Gender.values)  # `Gender.values` builds a new list on every access


def person_validate(
    *, data: dict[str, Any], instance: Person | None = None, today: dt.date | None = None
) -> dict[str, str]:
    """Vietnamese error per field (empty when valid). Shared by forms, imports and the API.
    `today` lets a caller checking many rows compute the date once."""
    errors: dict[str, str] = {}
    if not (data.get("given_name") or "").strip():
        errors["given_name"] = "Tên không được để trống."
    if data.get("gender") not in GENDERS:
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
        today = today or timezone.localdate()
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
