"""Values of spreadsheet cells as offices type them (pure: no Django, no app): dates, years, citizen ID
numbers, names in capitals.

What a cell holds depends on how Excel read what was typed: a date may be a real date, an Excel serial
number, text in day/month/year (Vietnamese) or month/day/year (a computer set to US English), or just
a year typed as a number (2010, which Excel would show as 02/07/1905 if the column is formatted as a
date); a 12-digit citizen ID typed into a number cell loses its leading 0 (every CCCD begins with the
0xx code of a province) or, shown as 1,23E+11 and saved again, all but its first digits.

Messages are Vietnamese and say what is wrong with the value; the caller adds where (row, column).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

EXCEL_EPOCH = dt.date(1899, 12, 30)
DAY_FIRST = "dmy"  # 08/10/1959 is 8 October 1959 (Vietnamese use)
MONTH_FIRST = "mdy"  # 08/10/1959 is 10 August 1959 (US English)
YEAR_MIN, YEAR_MAX = 1900, 2100  # a number in this range in a date column is a year, not a serial

_SERIAL_TEXT = re.compile(r"\d{5}(\.0)?")
_YEAR_TEXT = re.compile(r"\d{4}(\.0)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")


class YearOnly(ValueError):
    """A date cell that holds only a year (2010, or the text "2010")."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_year(value: Any) -> int:
    """A year from YEAR_MIN to YEAR_MAX as a number or text ("1985", 1985.0); a date gives its year.
    ValueError otherwise."""
    if isinstance(value, dt.date):
        return value.year
    if _is_number(value):
        if float(value).is_integer() and YEAR_MIN <= value <= YEAR_MAX:
            return int(value)
        raise ValueError(value)
    text = str(value).strip()
    if _YEAR_TEXT.fullmatch(text) and YEAR_MIN <= int(float(text)) <= YEAR_MAX:
        return int(float(text))
    raise ValueError(value)


def parse_date(value: Any, order: str = DAY_FIRST) -> dt.date:
    """A real date cell, an Excel serial number, or text d/m/yyyy (also with "-" or "."; m/d/yyyy when
    `order` is MONTH_FIRST) or yyyy-mm-dd. A year alone raises `YearOnly`; anything else ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if YEAR_MIN <= value <= YEAR_MAX and float(value).is_integer():
            raise YearOnly(int(value))
        if not 1 <= value < 80000:
            raise ValueError(value)
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if len(text) == 10 and text[2] == text[5] and text[2] in "/.-":  # the common dd/mm/yyyy, no regex
        first, second, year = text[:2], text[3:5], text[6:]
        if first.isdecimal() and second.isdecimal() and year.isdecimal():
            return _day_month(int(first), int(second), int(year), order)
    if _SERIAL_TEXT.fullmatch(text):
        return parse_date(float(text))
    if _YEAR_TEXT.fullmatch(text):
        raise YearOnly(parse_year(text)) if YEAR_MIN <= int(float(text)) <= YEAR_MAX else ValueError(text)
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        return _day_month(first, second, year, order)
    match = _YMD.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(value)


def _day_month(first: int, second: int, year: int, order: str) -> dt.date:
    if order == MONTH_FIRST:
        return dt.date(year, first, second)
    return dt.date(year, second, first)


def date_order_evidence(value: Any) -> str | None:
    """What one cell tells of its column's order: DAY_FIRST for text whose first part cannot be a month
    ("20/10/1959"), MONTH_FIRST for text whose second part cannot be ("10/20/1959"), else None (real
    dates, serials, "08/10/1959", values that are no date at all)."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC_DATE.fullmatch(value.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 and 1 <= second <= 12:
        return DAY_FIRST
    if second > 12 and 1 <= first <= 12:
        return MONTH_FIRST
    return None


@dataclass(frozen=True)
class DateOrder:
    """The day/month order of a column and the rows whose text contradicts it (empty: consistent)."""

    order: str
    contradicting: tuple[int, ...] = ()
    day_first: int = 0  # rows that show the day first
    month_first: int = 0  # rows that show the month first


def resolve_date_order(values: Iterable[tuple[int, Any]]) -> DateOrder:
    """The order of a column's text dates, from its unambiguous values (row number, cell value): the
    majority decides, day-first on a tie or without evidence; the rows of the minority are listed as
    contradicting (their column is an error: the officer has to say which order is meant)."""
    rows: dict[str, list[int]] = {DAY_FIRST: [], MONTH_FIRST: []}
    for row, value in values:
        evidence = date_order_evidence(value)
        if evidence:
            rows[evidence].append(row)
    day, month = rows[DAY_FIRST], rows[MONTH_FIRST]
    order = MONTH_FIRST if len(month) > len(day) else DAY_FIRST
    minority = day if order == MONTH_FIRST else month
    return DateOrder(order, tuple(minority), len(day), len(month))


# ------------------------------------------------------------------------------------ citizen IDs
# the 63 province codes that begin a CCCD (Thông tư 59/2021/TT-BCA); a number cell that lost the
# leading 0 is restored only when what it becomes starts with one of them
PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
        40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80,
        82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip
_CID_NOISE = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
LOST_ZEROS_MIN = 5  # a number cell ending in this many zeros was rounded (1,23E+11 → 123000000000)
TEXT_FORMAT_HINT = "hãy định dạng cột là Văn bản (Text) rồi nhập lại đủ 12 số"


class CitizenId(NamedTuple):
    """A citizen ID cell read: the 12 digits (or None), and a notice (kept, but the officer is told)
    or an error (the row cannot be imported as it is). The messages never repeat the number."""

    number: str | None
    notice: str = ""
    error: str = ""


CMND_NOTICE = (
    "Số CMND 9 số không phải số CCCD (12 số): đoàn viên được nhập không có số CCCD, bổ sung số CCCD sau."
)
RESTORED_NOTICE = (
    "Số CCCD ở dạng số đã mất số 0 ở đầu (còn 11 chữ số): đã thêm lại số 0 — nên định dạng cột là "
    "Văn bản (Text)."
)


def parse_citizen_id(value: Any) -> CitizenId:
    """A CCCD cell: 12 digits as text (spaces, dots and a leading apostrophe ignored); a number cell of
    11 digits that lost its leading 0 (restored, with a notice); a 9-digit CMND (no CCCD, with a
    notice); a number that lost digits (1,23E+11, rounded, decimals) or any other length: an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return CitizenId(None)
    if isinstance(value, bool):
        return CitizenId(None, error=f"Số CCCD “{value}” không hợp lệ: phải gồm đúng 12 chữ số.")
    if _is_number(value):
        return _numeric_citizen_id(value)
    text = str(value).strip()
    if _SCIENTIFIC.fullmatch(text):
        return CitizenId(
            None,
            error=f"Số CCCD “{text}” đã bị Excel đổi sang dạng số khoa học và mất chữ số: {TEXT_FORMAT_HINT}.",
        )
    digits = text if (len(text) == 12 and text.isdigit()) else _CID_NOISE.sub("", text).lstrip("'")
    if len(digits) == 12 and digits.isdigit():
        return CitizenId(digits)
    if len(digits) == 9 and digits.isdigit():
        return CitizenId(None, notice=CMND_NOTICE)
    return CitizenId(None, error=f"Số CCCD “{text}” không hợp lệ: phải gồm đúng 12 chữ số.")


def _numeric_citizen_id(value: int | float) -> CitizenId:
    if isinstance(value, float) and (not value.is_integer() or value >= 2**53):
        return CitizenId(
            None,
            error=f"Số CCCD “{value:g}” ở dạng số đã mất chữ số: {TEXT_FORMAT_HINT}.",
        )
    digits = str(int(value))
    if len(digits) in (11, 12) and len(digits) - len(digits.rstrip("0")) >= LOST_ZEROS_MIN:
        return CitizenId(
            None,
            error=(
                f"Số CCCD “{digits}” ở dạng số đã bị làm tròn (hiển thị kiểu 1,23E+11) và mất chữ số: "
                f"{TEXT_FORMAT_HINT}."
            ),
        )
    if len(digits) == 12:
        return CitizenId(digits)
    if len(digits) == 11 and "0" + digits[:2] in PROVINCE_CODES:
        return CitizenId("0" + digits, notice=RESTORED_NOTICE)
    if len(digits) == 9:
        return CitizenId(None, notice=CMND_NOTICE)
    return CitizenId(
        None,
        error=(
            f"Số CCCD “{digits}” có {len(digits)} chữ số, cần đúng 12. Ô đang ở dạng số nên có thể đã mất "
            f"số 0 ở đầu: {TEXT_FORMAT_HINT}."
        ),
    )


# ------------------------------------------------------------------------------------------- names
def is_all_capitals(text: str) -> bool:
    """ "NGUYỄN VĂN AN": letters, and every one a capital."""
    return any(ch.isalpha() for ch in text) and text == text.upper()


def title_case_name(text: str) -> str:
    """A name typed in capitals, in the usual case: "NGUYỄN VĂN AN" → "Nguyễn Văn An" (each word, and
    each part of a hyphenated or apostrophed word: "H'HEN NIÊ" → "H'Hen Niê"). Other text unchanged."""
    if not is_all_capitals(text):
        return text
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), text)
