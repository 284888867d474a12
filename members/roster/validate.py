"""Validating every row of a roster (no writes): dates, citizen IDs, genders, groups, roles, duplicates."""

from __future__ import annotations

import datetime as dt
import re
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.text import fold
from organizations.models import OrgUnit

from ..validation import person_validate, scope_test
from .fields import EXCEL_EPOCH, FIELD_BY_KEY, FIELDS, GENDER_WORDS, UNION_ROLE_WORDS, RosterFileError, _text
from .match import _match_existing
from .reader import _present, header_label
from .records import RosterPlan, RosterRecord, RowError

_SERIAL_TEXT = re.compile(r"\d{5}(\.0)?")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
_CID_NOISE = re.compile(r"[\s.]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_date(value: Any) -> dt.date:
    """A real date cell, an Excel serial number, or text dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if not 1 <= value < 80000:
            raise ValueError
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if len(text) == 10 and text[2] == text[5] and text[2] in "/.-":  # the common dd/mm/yyyy, no regex
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdecimal() and month.isdecimal() and year.isdecimal():
            return dt.date(int(year), int(month), int(day))
    if _SERIAL_TEXT.fullmatch(text):
        return parse_date(float(text))
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _YMD.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError


GROUP_PREFIXES = ("to cong doan ", "to cd ", "cong doan bo phan ", "cd bo phan ")


def group_key(folded: str) -> str:
    """A folded group name without the word for a group: "to cd phong kinh te" → "phong kinh te", so that
    "Tổ CĐ Phòng Kinh tế" in a file finds the group "Phòng Kinh tế" or "Tổ công đoàn Phòng Kinh tế"."""
    for prefix in GROUP_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def group_lookup(unit: OrgUnit) -> dict[str, OrgUnit]:
    """Folded names, short names and codes of the member-holding units in the subtree (the unit too)."""
    units = OrgUnit.objects.filter(
        path__startswith=unit.path, unit_type__holds_members=True, valid_to__isnull=True
    ).select_related("unit_type")
    lookup: dict[str, OrgUnit] = {}
    for candidate in sorted(units, key=lambda u: -u.depth):  # the nearer unit wins a name clash
        for text in (candidate.name, candidate.short_name, candidate.code):
            key = fold(text)
            if key:
                lookup[key] = candidate
                lookup.setdefault(group_key(key), candidate)
    return lookup


def validate(
    *,
    rows: list[list[Any]],
    header_row: int,
    mapping: dict[str, int],
    unit: OrgUnit,
    acting_user=None,
    progress=None,
) -> RosterPlan:
    """Check every data row; match rows to existing people (citizen ID first, then card number).

    Errors name the spreadsheet row and the column header. Never writes. Per row this is pure Python
    (folded words are memoised, the group list and the existing people are fetched in bulk).

    A match outside the scope of `acting_user` (person.change; without a user: the subtree of `unit`)
    is an error that names no one (`match._match_existing`)."""
    header = rows[header_row] if header_row < len(rows) else []
    plan = RosterPlan(unit=unit, header_row=header_row)
    if not unit.unit_type.holds_members:
        raise RosterFileError(
            f"“{unit.name}” không có đoàn viên sinh hoạt trực tiếp: hãy nhập danh sách cho công đoàn cơ sở "
            "hoặc tổ công đoàn."
        )
    for key in ("full_name", "gender"):
        if key not in mapping:
            raise RosterFileError(f"Chưa chọn cột cho “{FIELD_BY_KEY[key].label}”.")
    max_rows = getattr(settings, "ROSTER_MAX_ROWS", 200_000)
    data_rows = [(i, row) for i, row in enumerate(rows[header_row + 1 :], start=header_row + 2)]
    data_rows = [
        (n, row)
        for n, row in data_rows
        if any(c is not None and (not isinstance(c, str) or c.strip()) for c in row)  # _present, inlined
    ]
    if len(data_rows) > max_rows:
        raise RosterFileError(
            f"Tệp có {len(data_rows)} dòng, vượt quá giới hạn {max_rows} dòng một lần nhập."
        )
    plan.total_rows = len(data_rows)
    groups = group_lookup(unit)
    today = timezone.localdate()
    active_today: dict[int, bool] = {}
    folded: dict[str, str] = {}  # a roster repeats the same few genders, groups and roles

    def fold_once(text: str) -> str:
        result = folded.get(text)
        if result is None:
            result = folded[text] = fold(text)
        return result

    # every field's cell of a row in one C call; unmapped fields read the None appended to each row
    width = max(mapping.values(), default=0) + 1
    cells = itemgetter(*(mapping.get(f.key, -1) for f in FIELDS))

    def err(row_number: int, key: str, message: str) -> None:
        plan.errors.append(RowError(row_number, header_label(header, mapping[key]), message))

    parsed: list[RosterRecord] = []
    seen_cid: dict[str, int] = {}
    seen_card: dict[str, int] = {}
    for position, (number, row) in enumerate(data_rows):
        if progress and position % 5000 == 0:
            progress(position, len(data_rows))
        errors_before = len(plan.errors)
        (
            raw_name,
            raw_gender,
            raw_birth,
            raw_cid,
            raw_group,
            raw_job,
            raw_role,
            raw_joined,
            raw_card,
            raw_phone,
            raw_email,
        ) = cells(row + [None] * (width - len(row) + 1) if len(row) < width else row + [None])
        words = _text(raw_name).split(" ")  # the same split as core.text.split_full_name
        if len(words) > 1:
            family, middle, given = words[0], " ".join(words[1:-1]), words[-1]
        else:
            family, middle, given = "", "", words[0]
        if not given:
            err(number, "full_name", "Họ và tên không được để trống.")
        gender_text = _text(raw_gender)
        gender = GENDER_WORDS.get(fold_once(gender_text))
        if gender is None:
            err(number, "gender", f"Giới tính “{gender_text}” không hợp lệ: ghi Nam hoặc Nữ.")
        dates: dict[str, dt.date | None] = {}
        for key, raw in (("birth_date", raw_birth), ("union_joined_on", raw_joined)):
            dates[key] = None
            if _present(raw):
                try:
                    dates[key] = parse_date(raw)
                except (ValueError, OverflowError):
                    err(
                        number,
                        key,
                        f"Ngày “{_text(raw)}” không hợp lệ: ghi theo dạng ngày/tháng/năm (dd/mm/yyyy).",
                    )
        citizen_id = None
        if _present(raw_cid):
            if isinstance(raw_cid, float | int) and not isinstance(raw_cid, bool):
                digits = str(int(raw_cid)) if float(raw_cid).is_integer() else str(raw_cid)
                if len(digits) == 12 and digits.isdigit():
                    citizen_id = digits
                else:
                    err(
                        number,
                        "citizen_id",
                        f"Số CCCD “{digits}” có {len(digits)} chữ số, cần đúng 12. "
                        "Ô đang ở dạng số nên có thể đã mất số 0 ở đầu: hãy định dạng cột là Văn bản (Text) "
                        "và nhập lại.",
                    )
            else:
                text = str(raw_cid)
                if not (len(text) == 12 and text.isdigit()):
                    text = _CID_NOISE.sub("", text).lstrip("'")
                if len(text) == 12 and text.isdigit():
                    citizen_id = text
                else:
                    err(
                        number,
                        "citizen_id",
                        f"Số CCCD “{_text(raw_cid)}” không hợp lệ: phải gồm đúng 12 chữ số.",
                    )
            if citizen_id:
                if citizen_id in seen_cid:
                    err(number, "citizen_id", f"Số CCCD trùng với dòng {seen_cid[citizen_id]} trong tệp.")
                else:
                    seen_cid[citizen_id] = number
        card = _text(raw_card)
        if card:
            if len(card) > 30:
                err(number, "card_number", "Số thẻ đoàn viên dài quá 30 ký tự.")
            elif card in seen_card:
                err(number, "card_number", f"Số thẻ đoàn viên trùng với dòng {seen_card[card]} trong tệp.")
            else:
                seen_card[card] = number
        target = unit
        group_text = _text(raw_group)
        if group_text:
            key = fold_once(group_text)
            target = groups.get(key) or groups.get(group_key(key))
            if target is None:
                err(number, "group", f"Không có tổ công đoàn “{group_text}” trong “{unit.name}”.")
                target = unit
        role_text = _text(raw_role)
        union_role = UNION_ROLE_WORDS.get(fold_once(role_text)) if role_text else ""
        if union_role is None:
            err(number, "union_role", f"Chức vụ công đoàn “{role_text}” không có trong danh mục.")
        email = _text(raw_email)
        if email and not _EMAIL.fullmatch(email):
            err(number, "email", f"Email “{email}” không hợp lệ.")
        phone = _text(raw_phone)
        if len(phone) > 20:
            err(number, "phone", "Số điện thoại dài quá 20 ký tự.")
        job_title = _text(raw_job)[:150]
        person = {
            "family_name": family[:50],
            "middle_name": middle[:80],
            "given_name": given[:50],
            "gender": gender or "",
            "birth_date": dates["birth_date"],
            "citizen_id": citizen_id,
            "phone": phone,
            "email": email,
            "union_joined_on": dates["union_joined_on"],
        }
        if len(plan.errors) == errors_before:
            # the shared person rules (age, join date); the citizen ID is checked here in bulk instead
            for key, message in person_validate(data={**person, "citizen_id": None}, today=today).items():
                if key in mapping:
                    err(number, key, message)
                else:
                    plan.errors.append(RowError(number, FIELD_BY_KEY.get(key, FIELDS[0]).label, message))
        active = active_today.get(target.pk)
        if active is None:
            active = active_today[target.pk] = target.is_active_on(today)
        if not active:
            err(number, "group", f"“{target.name}” không còn hiệu lực.")
        parsed.append(
            RosterRecord(
                row=number,
                person=person,
                unit=target,
                union_role=union_role or "",
                job_title=job_title,
                card_number=card,
                group_given=bool(group_text),
            )
        )
    _match_existing(plan, parsed, header, mapping, scope_test(acting_user, fallback_path=unit.path))
    plan.errors.sort(key=lambda e: e.row)
    plan.records = parsed
    if progress:
        progress(len(data_rows), len(data_rows))
    return plan
