"""Checks on a person's fields, shared by the person services and the roster import.

Below both `members.services` and `members.roster` (it imports only the models), so the roster's
validation and matching use it without a cycle back through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone

from core.access import Action, can

from .choices import Gender
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
MIN_AGE, MAX_AGE = 15, 100
GENDERS = frozenset(Gender.values)  # `Gender.values` builds a new list on every access

# A citizen ID or card number held by someone outside the user's scope: refused (the numbers are unique)
# without a word of who holds it or where.
CITIZEN_ID_OUT_OF_SCOPE = (
    "Không thể dùng số CCCD này: đề nghị liên hệ cấp trên để kiểm tra hoặc chuyển sinh hoạt."
)
CARD_OUT_OF_SCOPE = (
    "Không thể dùng số thẻ đoàn viên này: số thẻ đã cấp cho một đoàn viên ngoài phạm vi của bạn — "
    "đề nghị liên hệ cấp trên để kiểm tra."
)

InScope = Callable[[str], bool]  # unit path → may the user change the people whose record sits there?


def scope_test(acting_user, *, fallback_path: str | None = None) -> InScope:
    """`in_scope(unit_path)`: does `acting_user` hold person.change on that unit (memoised per path)?
    Without a user, only the subtree of `fallback_path` counts (nothing at all without one)."""
    if acting_user is None:
        return lambda path: fallback_path is not None and path.startswith(fallback_path)
    memo: dict[str, bool] = {}

    def in_scope(path: str) -> bool:
        found = memo.get(path)
        if found is None:
            found = memo[path] = can(acting_user, Action.PERSON_CHANGE, path)
        return found

    return in_scope


def deciding_paths(memberships: Iterable[tuple[int, str, dt.date | None, dt.date, int]]) -> dict[int, str]:
    """person id → the path of the unit that decides who may change the person: their open
    membership's unit, else the unit of their LAST membership (latest end, then start, then id).
    Input: (person_id, unit path, ended_on, started_on, membership id). A person never a member
    anywhere is absent, so out of every scope."""
    best: dict[int, tuple[tuple, str]] = {}
    for person_id, path, ended_on, started_on, pk in memberships:
        key = (ended_on is None, ended_on or dt.date.min, started_on, pk)
        current = best.get(person_id)
        if current is None or key > current[0]:
            best[person_id] = (key, path)
    return {person_id: path for person_id, (_, path) in best.items()}


def person_in_scope(person_pk: int, in_scope: InScope) -> bool:
    """Is this person in the scope `in_scope` describes (open membership there; without one, their
    last membership there)? The rule the roster import and person creation share."""
    rows = Membership.objects.filter(person_id=person_pk).values_list(
        "person_id", "unit__path", "ended_on", "started_on", "pk"
    )
    path = deciding_paths(rows).get(person_pk)
    return path is not None and in_scope(path)


def card_number_clash(
    card_number: str, *, in_scope: InScope | None, exclude_membership: int | None = None
) -> str | None:
    """The Vietnamese refusal when an OPEN membership already carries this card number (one card, one
    open membership: a partial unique constraint), naming the holder only inside the user's scope."""
    card_number = (card_number or "").strip()
    if not card_number:
        return None
    holders = Membership.objects.filter(card_number=card_number, ended_on__isnull=True)
    if exclude_membership is not None:
        holders = holders.exclude(pk=exclude_membership)
    holder = holders.values_list("unit__path", "person__full_name").first()
    if holder is None:
        return None
    if in_scope is not None and in_scope(holder[0]):
        return f"Số thẻ đoàn viên này đã cấp cho đoàn viên khác ({holder[1]})."
    return CARD_OUT_OF_SCOPE


def person_validate(
    *,
    data: dict[str, Any],
    instance: Person | None = None,
    today: dt.date | None = None,
    in_scope: InScope | None = None,
) -> dict[str, str]:
    """Vietnamese error per field (empty when valid). Shared by forms, imports and the API.
    `today` lets a caller checking many rows compute the date once. A citizen ID already recorded is
    refused; the holder is named only when `in_scope` (see `scope_test`) covers them — otherwise the
    message says nothing of who holds it or where."""
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
            holder = clash.values_list("pk", "full_name").first()
            if holder is not None:
                if in_scope is not None and person_in_scope(holder[0], in_scope):
                    errors["citizen_id"] = (
                        f"Số CCCD này đã có trong hệ thống: trùng với đoàn viên “{holder[1]}”."
                    )
                else:
                    errors["citizen_id"] = CITIZEN_ID_OUT_OF_SCOPE
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
