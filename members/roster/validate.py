"""Validating every row of a roster (no writes): dates, citizen IDs, genders, groups, roles, duplicates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils import timezone

from core import legacy_text
from core.cellvalues import (
    DAY_FIRST,
    MONTH_FIRST,
    YearOnly,
    parse_citizen_id,
    parse_date,
    resolve_date_order,
    title_case_name,
)
from core.text import fold
from organizations.models import OrgUnit

from ..validation import person_validate, scope_test
from .fields import (
    FIELD_BY_KEY,
    FIELDS,
    GENDER_WORDS,
    UNION_ROLE_WORDS,
    YEAR_ONLY_HEADERS,
    RosterFileError,
    _header_key,
    _text,
)
from .match import _match_existing
from .reader import _present, header_label
from .records import Notice, RosterPlan, RosterRecord, RowError

__all__ = ["group_key", "group_lookup", "parse_date", "validate"]  # parse_date: core.cellvalues

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ORDER_WORDS = {DAY_FIRST: "ngày/tháng/năm", MONTH_FIRST: "tháng/ngày/năm"}
ENCODING_SAMPLE = 2000  # names looked at to tell a column's legacy encoding


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


def _column_cells(data_rows: list[tuple[int, list[Any]]], index: int):
    return ((number, row[index] if index < len(row) else None) for number, row in data_rows)


def _capitalised(name: str) -> str:
    """A converted TCVN3 name: a word that begins with a toned letter, for which the .Vn fonts have no
    capital ("¸nh" is "ánh"), begins with the capital ("Ánh")."""
    return " ".join(
        w[:1].upper() + w[1:] if w[:1].islower() and not w[:1].isascii() else w for w in name.split(" ")
    )


def validate(
    *,
    rows: list[list[Any]],
    header_row: int,
    mapping: dict[str, int],
    unit: OrgUnit,
    acting_user=None,
    progress=None,
    title_case_names: bool = False,
    confirm_duplicates: Collection[int] = (),
) -> RosterPlan:
    """Check every data row; match rows to existing people (citizen ID, then card number, then name
    and birth date within the unit's subtree).

    Errors name the spreadsheet row and the column header. Never writes. Per row this is pure Python
    (folded words are memoised, the group list and the existing people are fetched in bulk).

    Per column, before the rows: the day/month order of text dates (`core.cellvalues.
    resolve_date_order`: rows against the column's majority are errors), and the legacy font encoding
    of the names (TCVN3 or VNI, converted to Unicode with a notice: `core.legacy_text`).

    `title_case_names`: names typed in capitals ("NGUYỄN VĂN AN") are written "Nguyễn Văn An".
    `confirm_duplicates`: row numbers of possible duplicates (`plan.duplicates`) the officer confirmed
    as new people; the other possible duplicates are left out of `plan.records` (not written).

    What the check changed or noticed without refusing a row is in `plan.notices`.

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

    def label(key: str) -> str:
        return header_label(header, mapping[key])

    def err(row_number: int, key: str, message: str) -> None:
        plan.errors.append(RowError(row_number, label(key), message))

    def notice(row_number: int | None, key: str, message: str) -> None:
        plan.notices.append(Notice(row_number, label(key), message))

    # ---- per column, before the rows
    date_orders: dict[str, str] = {}
    contradicting: dict[str, set[int]] = {}
    for key in ("birth_date", "union_joined_on"):
        if key not in mapping:
            continue
        found = resolve_date_order(_column_cells(data_rows, mapping[key]))
        date_orders[key] = found.order
        contradicting[key] = set(found.contradicting)
        if found.order == MONTH_FIRST and not found.contradicting:
            notice(
                None,
                key,
                "các ngày được ghi theo thứ tự tháng/ngày/năm (máy tính đặt kiểu Mỹ): đã đọc theo thứ tự "
                "đó. Hãy kiểm tra lại vài ngày trong bản xem trước.",
            )
    year_only_column = "birth_date" in mapping and _header_key(label("birth_date")) in YEAR_ONLY_HEADERS
    name_index = mapping["full_name"]
    sample = []
    for _, cell in _column_cells(data_rows, name_index):
        text = _text(cell)
        if text and not text.isascii():
            sample.append(text)
            if len(sample) >= ENCODING_SAMPLE:
                break
    encoding = legacy_text.column_encoding(sample)
    converted_names = 0
    year_only_rows: list[int] = []

    # every field's cell of a row in one C call; unmapped fields read the None appended to each row
    width = max(mapping.values(), default=0) + 1
    cells = itemgetter(*(mapping.get(f.key, -1) for f in FIELDS))

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
        name = _text(raw_name)
        if name and not name.isascii():
            if encoding:
                original = name
                name, converted = legacy_text.convert_in_column(name, encoding)
                if converted:
                    converted_names += 1
                    if encoding == legacy_text.TCVN3:
                        name = _capitalised(name)
                    if legacy_text.plausible(original):
                        notice(
                            number,
                            "full_name",
                            f"“{original}” được đọc theo bảng mã {legacy_text.ENCODING_NAMES[encoding]} "
                            f"như cả cột, thành “{name}”: hãy kiểm tra lại tên này.",
                        )
            if not legacy_text.is_vietnamese(name):
                err(
                    number,
                    "full_name",
                    f"Họ và tên “{name}” có chữ không phải tiếng Việt Unicode (có thể gõ bằng bảng mã cũ "
                    "TCVN3 hoặc VNI mà không chuyển được): hãy sửa tên hoặc chuyển cả tệp sang Unicode "
                    "rồi nhập lại.",
                )
        if title_case_names:
            name = title_case_name(name)
        words = name.split(" ")  # the same split as core.text.split_full_name
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
        birth_year_only = False
        for key, raw in (("birth_date", raw_birth), ("union_joined_on", raw_joined)):
            dates[key] = None
            if not _present(raw):
                continue
            order = date_orders.get(key, DAY_FIRST)
            if number in contradicting.get(key, ()):
                err(
                    number,
                    key,
                    f"Ngày “{_text(raw)}” ghi theo thứ tự {ORDER_WORDS[MONTH_FIRST if order == DAY_FIRST else DAY_FIRST]}, "
                    f"ngược với phần lớn các dòng của cột ({ORDER_WORDS[order]}): hãy ghi lại cả cột theo "
                    "một thứ tự, ngày/tháng/năm (dd/mm/yyyy).",
                )
                continue
            try:
                dates[key] = parse_date(raw, order)
            except YearOnly as only:
                if key == "birth_date" and year_only_column:
                    dates[key] = dt.date(only.year, 1, 1)
                    birth_year_only = True
                    year_only_rows.append(number)
                else:
                    what = "Ngày sinh" if key == "birth_date" else "Ngày vào công đoàn"
                    err(
                        number,
                        key,
                        f"{what} chỉ có năm ({only.year}): hãy ghi đủ ngày/tháng/năm (dd/mm/yyyy)"
                        + (
                            "; nếu cả cột chỉ có năm sinh, hãy đặt tên cột là “Năm sinh”."
                            if key == "birth_date"
                            else "."
                        ),
                    )
            except (ValueError, OverflowError):
                err(
                    number,
                    key,
                    f"Ngày “{_text(raw)}” không hợp lệ: ghi theo dạng ngày/tháng/năm (dd/mm/yyyy).",
                )
        citizen_id = None
        if _present(raw_cid):
            read = parse_citizen_id(raw_cid)
            if read.error:
                err(number, "citizen_id", read.error)
            elif read.notice:
                notice(number, "citizen_id", read.notice)
            citizen_id = read.number
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
                birth_year_only=birth_year_only,
            )
        )
    if converted_names:
        notice(
            None,
            "full_name",
            f"tên được gõ bằng bảng mã cũ {legacy_text.ENCODING_NAMES[encoding]}: đã chuyển {converted_names} "
            "tên sang Unicode. Hãy kiểm tra lại các tên trong bản xem trước.",
        )
    if year_only_rows:
        notice(
            None,
            "birth_date",
            f"chỉ có năm sinh ở {len(year_only_rows)} dòng (dòng {_row_list(year_only_rows)}): ngày sinh được "
            "ghi là ngày 01/01 của năm đó. Khi biết ngày sinh đầy đủ, hãy sửa lại.",
        )
    _match_existing(
        plan,
        parsed,
        header,
        mapping,
        scope_test(acting_user, fallback_path=unit.path),
        confirm_duplicates=confirm_duplicates,
    )
    plan.errors.sort(key=lambda e: e.row)
    plan.notices.sort(key=lambda n: -1 if n.row is None else n.row)
    plan.duplicates.sort()
    skipped = {row for row, _ in plan.duplicates}
    plan.records = [r for r in parsed if r.row not in skipped] if skipped else parsed
    if progress:
        progress(len(data_rows), len(data_rows))
    return plan


def _row_list(numbers: list[int], shown: int = 10) -> str:
    text = ", ".join(str(n) for n in numbers[:shown])
    return text + (f" và {len(numbers) - shown} dòng khác" if len(numbers) > shown else "")
