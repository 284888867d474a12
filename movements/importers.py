"""Import kind "danh-gia": members' year-end ratings from the sheets offices keep (`imports.kinds`).

Two layouts are read, and may be mixed in one sheet:
- one row per person and year: STT | Họ và tên | Ngày sinh | Số thẻ | Đơn vị | Năm | Xếp loại | Số tháng
  công tác | Số ngày nghỉ | Nghỉ thai sản | Kỷ luật | Ghi chú;
- one row per person with a column per year ("Xếp loại 2023", "2024", or "Kết quả xếp loại" merged over
  year sub-columns): the columns `rating_<year>`.

Each (person, year) lands on the person's Evaluation: identical → skipped, different → updated (before →
after shown), missing → created. Values the sheet does not give keep what is recorded (a new evaluation
takes the form's defaults: 12 months, no absence). The rules are the evaluation grid's
(`services.evaluation_row_check`) and the writes go through `services.evaluation_save_grid`, once per year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from core.access import Action
from core.text import fold
from imports import columns
from imports.kinds import DATE, CellError, Column, ImportKind, Outcome, RowPlan, Source, SourceRow, register
from imports.planning import (
    Labels,
    cell_text,
    count,
    match_message,
    refuse_errors,
    shown_values,
    unit_list_link,
)
from members.lookup import PersonKey, match_people, person_label

from . import services
from .choices import Discipline, Rating
from .models import Evaluation

YEARS = range(2015, 2031)
KEY = "danh-gia"

# --------------------------------------------------------------------------------------------- columns


def _year_aliases(year: int) -> tuple[str, ...]:
    return (
        f"xep loai {year}",
        f"xep loai nam {year}",
        f"nam {year}",
        str(year),
        f"ket qua xep loai {year}",
        f"ket qua xep loai nam {year}",
        f"ket qua danh gia xep loai {year}",
        f"ket qua danh gia xep loai nam {year}",
        f"danh gia xep loai {year}",
        f"danh gia xep loai nam {year}",
        f"ket qua danh gia {year}",
        f"muc xep loai {year}",
        f"xep loai danh gia {year}",
    )


COLUMNS: tuple[Column, ...] = (
    columns.row_number("stt"),
    columns.person_name("full_name", extra=("ho va ten doan vien", "ten doan vien")),
    columns.birth_date("birth_date"),
    columns.birth_year("birth_year"),
    columns.card_number("card_number"),
    columns.citizen_id("citizen_id"),
    columns.workplace("unit_text", "Đơn vị / Tổ công đoàn"),
    columns.year(),
    Column(
        "rating",
        "Xếp loại",
        (
            "xep loai",
            "ket qua xep loai",
            "muc xep loai",
            "danh gia xep loai",
            "xep loai danh gia",
            "ket qua danh gia",
            "ket qua danh gia xep loai",
        ),
        hint="HTXS, HTT, HT hoặc KHT",
    ),
    Column(
        "months_worked",
        "Số tháng công tác",
        ("so thang cong tac", "thang cong tac", "so thang lam viec", "so thang cong tac trong nam"),
        hint="từ 0 đến 12; để trống là 12",
    ),
    Column(
        "absent_days",
        "Số ngày nghỉ",
        ("so ngay nghi", "ngay nghi", "so ngay nghi trong nam", "so ngay nghi khong ke thai san"),
    ),
    Column(
        "maternity_days",
        "Nghỉ thai sản",
        ("nghi thai san", "so ngay nghi thai san", "thai san"),
        hint="số ngày, hoặc “x” khi số ngày nghỉ là nghỉ thai sản",
    ),
    Column(
        "discipline",
        "Kỷ luật",
        ("ky luat", "hinh thuc ky luat", "bi ky luat"),
        hint="Khiển trách, Cảnh cáo, Hạ bậc lương, Cách chức, Buộc thôi việc",
    ),
    Column(
        "discipline_on",
        "Ngày kỷ luật",
        ("ngay ky luat", "ngay quyet dinh ky luat", "ngay qd ky luat"),
        DATE,
        hint="dd/mm/yyyy",
    ),
    Column("note", "Ghi chú", ("ghi chu",)),
    *(
        Column(f"rating_{year}", f"Xếp loại {year}", _year_aliases(year), hint="HTXS, HTT, HT hoặc KHT")
        for year in YEARS
    ),
)
LABELS = Labels(COLUMNS)
# the grid's field → the column that carries it, for the messages of services.evaluation_row_check
FIELD_COLUMN = {
    "rating": "rating",
    "months_worked": "months_worked",
    "absent_days": "absent_days",
    "maternity_days": "maternity_days",
    "discipline": "discipline",
    "discipline_on": "discipline_on",
    "note": "note",
}

# --------------------------------------------------------------------------------------------- words

_RATING_WORDS = {
    Rating.HTXS: (
        "htxs",
        "htxsnv",
        "hoan thanh xuat sac nhiem vu",
        "hoan thanh xuat sac",
        "xuat sac",
        "xs",
    ),
    Rating.HTT: ("htt", "httnv", "hoan thanh tot nhiem vu", "hoan thanh tot", "tot"),
    Rating.HT: ("ht", "htnv", "hoan thanh nhiem vu", "hoan thanh"),
    Rating.KHT: (
        "kht",
        "khtnv",
        "khong hoan thanh nhiem vu",
        "khong hoan thanh",
        "chua hoan thanh nhiem vu",
        "chua hoan thanh",
    ),
}
RATING_BY_WORD = {word: code for code, words in _RATING_WORDS.items() for word in words}
RATING_ACCEPTED = (
    "HTXS, HTT, HT, KHT hoặc ghi đủ: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, "
    "Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ (có thể viết “Xuất sắc”, “Tốt”)"
)
_DISCIPLINE_WORDS = {
    Discipline.KHIEN_TRACH: ("khien trach",),
    Discipline.CANH_CAO: ("canh cao",),
    Discipline.HA_BAC_LUONG: ("ha bac luong", "ha bac", "ha luong"),
    Discipline.CACH_CHUC: ("cach chuc",),
    Discipline.BUOC_THOI_VIEC: ("buoc thoi viec", "thoi viec"),
}
NO_DISCIPLINE = {"khong", "khong co", "khong bi ky luat", "-", "0", "k", "khong ky luat"}
DISCIPLINE_ACCEPTED = ", ".join(d.label for d in Discipline) + " (hoặc “Không”)"
_MARK = {"x", "co", "v", "✓", "nghi thai san", "thai san"}
_DATE_IN_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_NUMBER = re.compile(r"^\s*(\d+)(?:[.,]0+)?\s*(?:thang|ngay)?\s*$")


def rating_code(text: Any) -> str | None:
    """ "Hoàn thành tốt nhiệm vụ", "HTT", "tot", "H.T.T" → "HTT"; None when not a rating word."""
    folded = re.sub(r"[^a-z ]+", " ", fold(str(text or "")))
    folded = " ".join(folded.split())
    if folded in RATING_BY_WORD:
        return RATING_BY_WORD[folded]
    return RATING_BY_WORD.get(folded.replace(" ", ""))


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> int | None:
    """12, "12", "12.0", "12 tháng" → 12; raises ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = _NUMBER.match(fold(str(value)))
    if not match:
        raise ValueError
    return int(match.group(1))


def _discipline(value: Any) -> tuple[str | None, dt.date | None]:
    """The cell "Khiển trách", "Cảnh cáo (QĐ ngày 15/03/2024)", "Không" → (code or "", date in it).
    Raises ValueError for an unknown word."""
    text = str(value)
    on = None
    match = _DATE_IN_TEXT.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            on = dt.date(year, month, day)
        except ValueError:
            on = None
        text = text[: match.start()] + text[match.end() :]
    folded = " ".join(re.sub(r"[^a-z0-9\- ]+", " ", fold(text)).split())
    for prefix in ("hinh thuc ky luat ", "ky luat ", "hinh thuc ", "qd ", "quyet dinh "):
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    folded = re.sub(r"\b(ngay|qd|quyet dinh|so)\b.*$", "", folded).strip(" -")
    if folded in NO_DISCIPLINE or not folded:
        return "", on
    found = {code for code, words in _DISCIPLINE_WORDS.items() for word in words if word in folded}
    if len(found) != 1:
        raise ValueError
    return found.pop(), on


# --------------------------------------------------------------------------------------------- planning


@dataclass
class _Item:
    """One (person, year) of a row."""

    year: int
    rating: str
    column: str  # the column the rating came from
    details: dict[str, Any] = field(default_factory=dict)  # the other evaluation fields the row gives


@dataclass
class _Parsed:
    row: SourceRow
    errors: list[CellError]
    notices: list[str]
    key: PersonKey | None
    items: list[_Item]


def _err(errors: list[CellError], key: str, message: str) -> None:
    errors.append(LABELS.error(key, message))


def _parse_row(row: SourceRow) -> _Parsed:
    v = row.values
    errors = list(row.errors)
    notices: list[str] = []
    name = cell_text(v.get("full_name"))
    if not name:
        _err(errors, "full_name", "Chưa có họ và tên: ghi họ và tên đoàn viên.")
    birth_date, birth_year = v.get("birth_date"), v.get("birth_year")
    if isinstance(birth_date, int):  # a bare year under "Ngày sinh / Năm sinh"
        birth_date, birth_year = None, birth_year or birth_date
    if isinstance(birth_date, dt.datetime):
        birth_date = birth_date.date()
    unit_text = cell_text(v.get("unit_text")) or cell_text(row.section)
    key = (
        PersonKey(
            full_name=name,
            birth_date=birth_date if isinstance(birth_date, dt.date) else None,
            birth_year=birth_year if isinstance(birth_year, int) else None,
            card_number=cell_text(v.get("card_number")),
            citizen_id=cell_text(v.get("citizen_id")),
            unit_text=unit_text,
        )
        if name
        else None
    )

    items: list[_Item] = []
    year = v.get("year")
    rating_text = v.get("rating")
    if not _is_empty(rating_text):
        code = rating_code(rating_text)
        if code is None:
            _err(errors, "rating", f"Xếp loại “{cell_text(rating_text)}” không đúng: ghi {RATING_ACCEPTED}.")
        elif not isinstance(year, int):
            _err(errors, "year", "Chưa có năm đánh giá: ghi năm (ví dụ 2024) ở cột Năm.")
        else:
            items.append(_Item(year, code, "rating"))
    for y in YEARS:
        cell = v.get(f"rating_{y}")
        if _is_empty(cell):
            continue
        code = rating_code(cell)
        if code is None:
            _err(errors, f"rating_{y}", f"Xếp loại “{cell_text(cell)}” không đúng: ghi {RATING_ACCEPTED}.")
            continue
        same = next((i for i in items if i.year == y), None)
        if same is not None and same.rating != code:
            _err(
                errors,
                f"rating_{y}",
                f"Năm {y} được xếp loại hai lần khác nhau trên dòng ({same.rating} và {code}): giữ một.",
            )
        elif same is None:
            items.append(_Item(y, code, f"rating_{y}"))

    details = _parse_details(v, errors, notices)
    if details and not items and not errors:
        _err(
            errors, "rating", "Dòng có số tháng, ngày nghỉ hoặc kỷ luật nhưng chưa có xếp loại: ghi xếp loại."
        )
    if details and items:
        target = next((i for i in items if i.year == year), None) if isinstance(year, int) else None
        if target is None and len(items) == 1:
            target = items[0]
        if target is None and set(details) == {"note"}:  # a remark: kept with the latest year
            target = max(items, key=lambda i: i.year)
            notices.append(f"Ghi chú được ghi vào đánh giá năm {target.year}.")
        if target is None:
            column = next(k for k in FIELD_COLUMN.values() if k in details and k != "note")
            _err(
                errors,
                column,
                "Dòng xếp loại nhiều năm: số tháng, ngày nghỉ, kỷ luật chỉ ghi được cho một năm — "
                "ghi năm ấy ở cột Năm hoặc tách thành từng dòng theo năm.",
            )
        else:
            target.details = details
    return _Parsed(row=row, errors=errors, notices=notices, key=key, items=items)


def _parse_details(v: dict[str, Any], errors: list[CellError], notices: list[str]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for key, what in (("months_worked", "Số tháng công tác"), ("absent_days", "Số ngày nghỉ")):
        cell = v.get(key)
        if _is_empty(cell):
            continue
        try:
            details[key] = _number(cell)
        except ValueError:
            _err(errors, key, f"{what} “{cell_text(cell)}” không phải là số: ghi một số nguyên.")
    cell = v.get("maternity_days")
    if not _is_empty(cell):
        if fold(str(cell)).strip() in _MARK:
            absent = details.get("absent_days")
            if absent is None:
                _err(
                    errors,
                    "maternity_days",
                    "Đánh dấu nghỉ thai sản nhưng chưa ghi số ngày nghỉ: ghi số ngày nghỉ thai sản.",
                )
            else:
                details["maternity_days"], details["absent_days"] = absent, 0
                notices.append(f"{absent} ngày nghỉ được tính là nghỉ thai sản.")
        else:
            try:
                details["maternity_days"] = _number(cell)
            except ValueError:
                _err(
                    errors,
                    "maternity_days",
                    f"Nghỉ thai sản “{cell_text(cell)}”: ghi số ngày nghỉ thai sản, hoặc “x” khi số ngày nghỉ "
                    "là nghỉ thai sản.",
                )
    cell = v.get("discipline")
    on = v.get("discipline_on")
    if isinstance(on, dt.datetime):
        on = on.date()
    if not _is_empty(cell):
        try:
            code, on_in_text = _discipline(cell)
        except ValueError:
            _err(errors, "discipline", f"Kỷ luật “{cell_text(cell)}” không đúng: ghi {DISCIPLINE_ACCEPTED}.")
        else:
            details["discipline"] = code
            if not code:
                details["discipline_on"] = None
            elif on or on_in_text:
                details["discipline_on"] = on or on_in_text
    elif isinstance(on, dt.date):
        details["discipline_on"] = on
    note = cell_text(v.get("note"))
    if note:
        details["note"] = note
    return details


def _fmt(field_name: str, value: Any) -> str:
    if value in (None, ""):
        return "—" if field_name != "discipline" else "không"
    if field_name == "rating":
        return Rating(value).label
    if field_name == "discipline":
        return Discipline(value).label
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


_FIELD_WORDS = {
    "rating": "xếp loại",
    "months_worked": "số tháng công tác",
    "absent_days": "số ngày nghỉ",
    "maternity_days": "ngày nghỉ thai sản",
    "discipline": "kỷ luật",
    "discipline_on": "ngày kỷ luật",
    "note": "ghi chú",
}
DEFAULTS = {
    "months_worked": 12,
    "absent_days": 0,
    "maternity_days": 0,
    "discipline": "",
    "discipline_on": None,
    "note": "",
}


@dataclass
class _Write:
    person_id: int
    year: int
    values: dict[str, Any]
    created: bool


def _plan(rows: list[SourceRow], *, unit, user) -> tuple[list[RowPlan], list[_Write]]:
    parsed = [_parse_row(row) for row in rows]
    keyed = [p for p in parsed if p.key is not None and p.items]
    matches = match_people([p.key for p in keyed], user=user, action=Action.EVALUATION_CHANGE, unit=unit)
    match_of = {id(p): m for p, m in zip(keyed, matches, strict=True)}
    person_ids = {m.person.pk for m in matches if m.ok}
    years = {i.year for p in keyed for i in p.items}
    existing = {
        (e.person_id, e.year): e
        for e in Evaluation.objects.filter(person_id__in=person_ids, year__in=years).only(
            "person_id", "year", *services.EVALUATION_FIELDS
        )
    }
    seen: dict[tuple[int, int], tuple[int, dict[str, Any]]] = {}  # (person, year) → (row number, values)
    plans: list[RowPlan] = []
    writes: list[_Write] = []
    for p in parsed:
        row = p.row
        values = shown_values(row.values)
        match = match_of.get(id(p))
        if match is not None and not match.ok:
            p.errors.append(LABELS.error("full_name", match_message(match)))
        target = (
            person_label(match.membership)
            if match is not None and match.ok
            else cell_text(row.values.get("full_name"))
        )
        if p.errors:
            plans.append(RowPlan(row.number, Outcome.ERROR, target=target, errors=p.errors, values=values))
            continue
        if not p.items:
            plans.append(
                RowPlan(
                    row.number,
                    Outcome.SKIPPED,
                    target=target,
                    reason="Dòng không có xếp loại.",
                    values=values,
                )
            )
            continue
        person_id = match.person.pk
        changes: list[str] = []
        row_writes: list[_Write] = []
        duplicates: list[str] = []
        errors: list[CellError] = []
        for item in sorted(p.items, key=lambda i: i.year):
            before = existing.get((person_id, item.year))
            current = (
                {k: getattr(before, k) for k in services.EVALUATION_FIELDS}
                if before is not None
                else {"rating": None, **DEFAULTS}
            )
            after = {**current, "rating": item.rating, **item.details}
            problem = services.evaluation_row_check(after, item.year)
            if problem:
                column = item.column if problem[0] == "rating" else FIELD_COLUMN[problem[0]]
                message = problem[1][0].upper() + problem[1][1:]
                errors.append(CellError(LABELS[column], f"Năm {item.year}: {message}."))
                continue
            earlier = seen.get((person_id, item.year))
            if earlier is not None:
                number, earlier_values = earlier
                if earlier_values == after:
                    duplicates.append(f"năm {item.year} trùng dòng {number}")
                else:
                    errors.append(
                        CellError(
                            LABELS[item.column],
                            f"Năm {item.year} của người này đã có ở dòng {number} với nội dung khác: giữ một dòng.",
                        )
                    )
                continue
            seen[(person_id, item.year)] = (row.number, after)
            if before is None:
                changes.append(f"Năm {item.year}: thêm mới, {_fmt('rating', item.rating)}")
                row_writes.append(_Write(person_id, item.year, after, True))
                continue
            diff = [k for k in services.EVALUATION_FIELDS if current[k] != after[k]]
            if diff:
                parts = ", ".join(
                    f"{_FIELD_WORDS[k]} {_fmt(k, current[k])} → {_fmt(k, after[k])}" for k in diff
                )
                changes.append(f"Năm {item.year}: {parts}")
                row_writes.append(_Write(person_id, item.year, after, False))
        if errors:
            plans.append(RowPlan(row.number, Outcome.ERROR, target=target, errors=errors, values=values))
            continue
        notices = p.notices + changes
        if not row_writes:
            reason = (
                "Không thay đổi." if not duplicates else "Trùng dòng đã có: " + "; ".join(duplicates) + "."
            )
            plans.append(
                RowPlan(
                    row.number, Outcome.SKIPPED, target=target, reason=reason, values=values, notices=notices
                )
            )
            continue
        outcome = Outcome.NEW if all(w.created for w in row_writes) else Outcome.UPDATE
        values["changes"] = changes
        plans.append(RowPlan(row.number, outcome, target=target, values=values, notices=notices))
        writes += row_writes
    return plans, writes


def plan(rows: list[SourceRow], *, unit, user, options: dict | None = None) -> list[RowPlan]:
    return _plan(rows, unit=unit, user=user)[0]


def commit(
    rows: list[SourceRow], *, unit, user, options: dict | None = None, source: Source | None = None
) -> dict:
    plans, writes = _plan(rows, unit=unit, user=user)
    refuse_errors(plans)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for write in writes:
        by_year.setdefault(write.year, []).append({"person_id": write.person_id, **write.values})
    where = f"tệp {source.filename}" if source is not None and source.filename else ""
    if source is not None and source.import_id:
        where += f" (lần nhập số {source.import_id})"
    created = updated = 0
    for year in sorted(by_year):
        result = services.evaluation_save_grid(
            acting_user=user, unit=unit, year=year, rows=by_year[year], source=where
        )
        created += result["created"]
        updated += result["updated"]
    skipped = count(plans, Outcome.SKIPPED)
    parts = [f"{created} đánh giá mới", f"sửa {updated} đánh giá"]
    message = "Đã ghi " + ", ".join(parts) + (f"; bỏ qua {skipped} dòng." if skipped else ".")
    return {
        "created": created,
        "updated": updated,
        "skipped": skipped,
        "years": sorted(by_year),
        "message": message,
    }


RATINGS = register(
    ImportKind(
        key=KEY,
        command="ratings",
        title="Đánh giá, xếp loại cá nhân theo năm",
        action=Action.EVALUATION_CHANGE,
        columns=COLUMNS,
        plan=plan,
        commit=commit,
        result_link=unit_list_link("Xem bảng đánh giá, xếp loại", "movements:evaluations"),
        description=(
            "Bảng đánh giá, xếp loại đoàn viên cuối năm: mỗi dòng một người và một năm, hoặc một người "
            "với mỗi năm một cột xếp loại."
        ),
    )
)
