"""The columns a roster may have: their Vietnamese labels and header aliases, value words, limits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from core.text import fold

from ..choices import Gender, UnionRole

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".ods")
HEADER_SCAN_ROWS = 20
CHUNK = 1000


class RosterFileError(Exception):
    """The file cannot be read as a roster (wrong format, no header row, empty). Vietnamese message."""


@dataclass(frozen=True)
class RosterField:
    key: str
    label: str  # the header written in the template and the export
    aliases: tuple[str, ...]  # folded header texts that name this column
    required: bool = False


FIELDS: tuple[RosterField, ...] = (
    RosterField(
        "full_name",
        "Họ và tên",
        ("ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien", "ten doan vien"),
        True,
    ),
    RosterField("gender", "Giới tính", ("gioi tinh", "gioi", "nam nu", "nam/nu", "phai"), True),
    RosterField(
        "birth_date",
        "Ngày sinh",
        ("ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh", "ngay/thang/nam sinh", "nam sinh"),
    ),
    RosterField(
        "citizen_id",
        "Số CCCD",
        (
            "so cccd",
            "cccd",
            "so can cuoc",
            "can cuoc",
            "so can cuoc cong dan",
            "can cuoc cong dan",
            "so cccd/cmnd",
            "cccd/cmnd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "so cmnd/cccd",
            "cmnd/cccd",
            "so cmnd",
            "cmnd",
        ),
    ),
    RosterField(
        "group",
        "Tổ công đoàn",
        (
            "to cong doan",
            "to cd",
            "to",
            "cong doan bo phan",
            "cd bo phan",
            "khoi cong tac",  # "Khối (Tổ) công tác"
            "to cong tac",
            "bo phan cong tac",
        ),
    ),
    RosterField(
        "job_title",
        "Chức vụ",
        ("chuc vu", "chuc vu chuyen mon", "chuc vu chinh quyen", "chuc danh", "chuc vu, chuc danh"),
    ),
    RosterField(
        "union_role", "Chức vụ công đoàn", ("chuc vu cong doan", "chuc vu cd", "chuc danh cong doan")
    ),
    RosterField(
        "union_joined_on",
        "Ngày vào công đoàn",
        (
            "ngay vao cong doan",
            "ngay vao cd",
            "ngay ket nap",
            "ngay ket nap cong doan",
            "ngay gia nhap cong doan",
            "ngay ket nap cd",
            "ngay vao cd",
        ),
    ),
    RosterField("card_number", "Số thẻ đoàn viên", ("so the doan vien", "so the", "so the dv", "ma the")),
    RosterField(
        "phone",
        "Điện thoại",
        ("dien thoai", "so dien thoai", "dien thoai lien he", "so dien thoai lien he", "sdt", "dt", "so dt"),
    ),
    RosterField("email", "Email", ("email", "e-mail", "thu dien tu", "dia chi email")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
_ALIAS = {alias: f.key for f in FIELDS for alias in f.aliases}
_PUNCT = re.compile(r"[\s.:;*()\[\]_-]+")
# what offices write after a header: "(1)" column numbers, "(*)" required marks, "(12 số)",
# "(dd/mm/yyyy)", "(Tổ)" — removed before the header is matched
_PARENTHESES = re.compile(r"\([^)]*\)")

GENDER_WORDS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "trai": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "gai": Gender.FEMALE,
}
UNION_ROLE_WORDS = {fold(label): value for value, label in UnionRole.choices} | {
    "uv bch": UnionRole.UV_BCH,
    "uy vien bch": UnionRole.UV_BCH,
    "to truong cong doan": UnionRole.TO_TRUONG,
    "to pho cong doan": UnionRole.TO_PHO,
    "chu tich cong doan": UnionRole.CHU_TICH,
    "pho chu tich cong doan": UnionRole.PHO_CHU_TICH,
}
EXCEL_EPOCH = dt.date(1899, 12, 30)
# a birth column headed so holds years only: 1 January of the year is stored, and the preview says so
YEAR_ONLY_HEADERS = frozenset({"nam sinh"})


def _header_key(text: Any) -> str:
    """Folded header text without punctuation: "Số CCCD (*)" → "so cccd"."""
    if text is None:
        return ""
    return " ".join(_PUNCT.sub(" ", _PARENTHESES.sub(" ", fold(str(text)))).split())


def field_for_header(text: Any) -> str | None:
    key = _header_key(text)
    if not key:
        return None
    if key in _ALIAS:
        return _ALIAS[key]
    compact = key.replace(" ", "")
    for alias, field_key in _ALIAS.items():
        if alias.replace(" ", "") == compact:
            return field_key
    return None


def mapping_choices() -> list[tuple[str, str]]:
    return [(f.key, f.label) for f in FIELDS]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
