"""Reading a table as offices lay it out: the header (title rows above it, merged banners, two-row merged
headers, the column-number row under it), the columns' meaning, and every row below classified as data or
as noise (row numbers only, section titles, totals, the signature block, zeros).

Pure: rows are lists of cells (row 0 = spreadsheet row 1), merged ranges are
[first_row, first_col, last_row, last_col] (0-based, as `core.uploads.read_sheet` gives them), and the
caller says what a header text means with `match_header(text) -> key | None`. The kernel module: it
imports no app.

- `detect(rows, merged, match_header)` → `Layout`: header rows, data start, and per column its parent
  text, child text, matched key and special role. Roles the caller composes itself:
  `NAME_PART` (family / family+middle / middle / given: join with spaces), `BIRTH_BY_GENDER` (a birth
  date — or year — written under a "Nam" or "Nữ" sub-column: the sub-column gives the gender),
  `GENDER_MARK` (an "x" under "Nam" / "Nữ"), `GENDER_TITLE` (an "Ông/Bà" column), `BIRTH_YEAR`
  ("Năm sinh": a year only).
- `fill_down(rows, merged, start)` copies a vertically merged data cell to every row of its range.
- `classify_rows(rows, layout, merged)` → (row index, `Data` or `Skip`) for every row under the header;
  a section row's text is carried to the data rows under it (`Data.section`) until the next one. Rows
  are judged by their shape (which columns hold values), words only confirm it: a person named "Lập"
  is not the signature block "NGƯỜI LẬP BIỂU".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.text import fold

SCAN_ROWS = 20  # the header is looked for in the top rows

NAME_PART = "name_part"
BIRTH_BY_GENDER = "birth_by_gender"
GENDER_MARK = "gender_mark"
GENDER_TITLE = "gender_title"
BIRTH_YEAR = "birth_year"
BIRTH_PART = "birth_part"  # "Ngày" | "Tháng" | "Năm" under a merged "Ngày, tháng, năm sinh"

_SINGLE_ROLES = ("", GENDER_TITLE, BIRTH_YEAR)
MALE, FEMALE = "Nam", "Nữ"

EMPTY = "dòng trống"
ONLY_NUMBER = "chỉ có số thứ tự"
ONLY_ZEROS = "chỉ có số 0"
TOTAL = "dòng tổng cộng"
SIGNATURE = "phần ký tên cuối bảng"
AFTER_SIGNATURE = "nằm sau phần ký tên cuối bảng"
REPEATED_HEADER = "dòng tiêu đề cột lặp lại"
COLUMN_NUMBERS = "dòng đánh số cột"

_PARENTHESES = re.compile(r"\([^)]*\)")
_PUNCT = re.compile(r"[\s.,:;*()\[\]_/\\\-–—'\"“”]+")
_NUMBERING = re.compile(
    r"^\s*(?:(?:phan|muc|khoi)\s+)?([IVXLCDM]{1,6}|\d{1,3}(?:\.\d{1,3})*|[A-Za-zĐđ])\s*[.)/:\-–]\s*(.+)$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^[IVXLCDM]{1,6}$")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3}|[A-Za-z]{1,2})\s*\)?$")
_NUMERIC = re.compile(r"^[+-]?\d[\d.,\s]*$")

# the sub-labels under a "Họ và tên" parent (folded, punctuation removed)
_NAME_PARTS = {
    "ho": "family",
    "ho dem": "family_middle",
    "ho va dem": "family_middle",
    "ho va ten dem": "family_middle",
    "ho ten dem": "family_middle",
    "ho va chu dem": "family_middle",
    "ho lot": "family_middle",
    "ho va ten lot": "family_middle",
    "ten dem": "middle",
    "dem": "middle",
    "chu dem": "middle",
    "ten lot": "middle",
    "ten": "given",
    "ten goi": "given",
}
_GENDER_SUBS = {"nam": MALE, "nu": FEMALE}
_DATE_PARTS = {"ngay": "day", "thang": "month", "nam": "year"}
_GENDER_PARENTS = {"gioi tinh", "gioi", "phai", "nam nu"}
_TITLE_HEADERS = {"ong ba", "danh xung"}
_YEAR_HEADERS = {"nam sinh"}
_STT_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
_TITLE_WORDS = {"ong": MALE, "ba": FEMALE}
_MARKS = {"x", "v", "1", "co", "yes"}

# the signature block, whole cells (folded, punctuation removed)
_SIGNATURE = re.compile(
    r"(?:nguoi lap(?: bieu| bang| danh sach| bao cao)?"
    r"|(?:thu truong|lanh dao|xac nhan(?: cua)?)(?: don vi| co quan| cong doan(?: co so)?)?"
    r"|(?:tm|t m|thay mat|kt|k t|ktm|tl|t l|tuq) .+"
    r"|(?:pho )?chu tich(?: cong doan| cong doan co so| cdcs)?"
    r"|(?:ke toan(?: truong)?|giam doc|pho giam doc|hieu truong|truong phong|truong ban|to truong"
    r"|noi nhan|nguoi duyet|duyet|can bo phu trach|nguoi kiem tra)"
    r"|(?:.+ )?ngay(?: .+)? thang(?: .+)? nam(?: .+)?"
    r")"
)
_TOTAL = re.compile(r"^(?:tong cong|tong so|cong|tong)(?: .*)?$")
_UNIT_WORDS = (
    "to ",
    "khoi ",
    "phong ",
    "ban ",
    "cong doan",
    "cd ",
    "bo phan",
    "don vi",
    "chi nhanh",
    "truong ",
    "khoa ",
    "xi nghiep",
    "doi ",
    "phan xuong",
    "trung tam",
    "van phong",
    "so ",
    "nha may",
    "co quan",
    "chi doan",
    "cong ty",
    "ubnd",
    "uy ban",
)


def words(text: Any) -> str:
    """A header or cell text folded, without anything in parentheses or punctuation:
    "Họ và tên (1)" → "ho va ten"; "Số CCCD\n(12 số)" → "so cccd"; "Ông/Bà" → "ong ba"."""
    if text is None:
        return ""
    return _words(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    # a sheet repeats its texts (groups, awards, units): fold each once
    return " ".join(_PUNCT.sub(" ", _PARENTHESES.sub(" ", fold(text))).split())


def _plain(text: Any) -> str:
    """Folded with punctuation gone but parentheses' text kept ("(Ký, ghi rõ họ tên)" → "ky ghi ro ho ten")."""
    if text is None:
        return ""
    return " ".join(_PUNCT.sub(" ", fold(str(text))).split())


def present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


# ---- merged ranges ---------------------------------------------------------------------------------------


class Merges:
    """Where the merged ranges are: the range covering a cell, in O(1)."""

    def __init__(self, merged: list | None, *, rows: range, width: int):
        """Only the cells inside `rows` and the first `width` columns are indexed (a range merged over a
        whole sheet costs no more than the rows read)."""
        self.cover: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for item in merged or ():
            first_row, first_col, last_row, last_col = (int(v) for v in item)
            if last_row < rows.start or first_row >= rows.stop or first_col >= width:
                continue
            span = (first_row, first_col, last_row, last_col)
            for r in range(max(first_row, rows.start), min(last_row + 1, rows.stop)):
                for c in range(first_col, min(last_col + 1, width)):
                    self.cover[(r, c)] = span

    def __bool__(self) -> bool:
        return bool(self.cover)

    def get(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        return self.cover.get((r, c))


def _cell(rows: list[list[Any]], r: int, c: int) -> Any:
    if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
        return rows[r][c]
    return None


def fill_down(rows: list[list[Any]], merged: list | None, start: int = 0) -> list[list[Any]]:
    """The rows with every vertically merged cell at or below row `start` copied down to each row of its
    range (its first column; the other cells of a range are empty in the file). The rows given are not
    changed; the rows touched are copies."""
    out = list(rows)
    for item in merged or ():
        first_row, first_col, last_row, _last_col = (int(v) for v in item)
        if last_row <= first_row or first_row < start or first_row >= len(rows):
            continue
        value = _cell(rows, first_row, first_col)
        if not present(value):
            continue
        for r in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
            if present(_cell(out, r, first_col)):
                continue
            row = list(out[r])
            if len(row) <= first_col:
                row += [""] * (first_col + 1 - len(row))
            row[first_col] = value
            out[r] = row
    return out


# ---- the layout ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    parent: str  # the header cell's text (a cell merged across columns gives its text to each)
    child: str = ""  # the text under it in a two-row header ("" when none)
    key: str | None = None  # what `match_header` made of it
    role: str = ""  # "" or NAME_PART, BIRTH_BY_GENDER, GENDER_MARK, GENDER_TITLE, BIRTH_YEAR
    part: str = ""  # NAME_PART: family, family_middle, middle, given; BIRTH_BY_GENDER: date or year
    gender: str = ""  # BIRTH_BY_GENDER, GENDER_MARK: "Nam" or "Nữ"

    @property
    def label(self) -> str:
        """The header as written: "Họ và tên – Tên" for a child under its parent."""
        if self.child and self.parent and self.child != self.parent:
            return f"{self.parent} – {self.child}"
        return self.parent or self.child


@dataclass
class Layout:
    header_first: int  # row index of the header's (first) row
    header_last: int  # its last row (= header_first for a one-row header)
    data_start: int  # the first row that may hold data (after the column-number row)
    columns: list[Column] = field(default_factory=list)
    number_row: int | None = None  # the "(1) (2) (3)…" row, skipped
    stt: int | None = None  # the column of row numbers ("STT")

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def folded_labels(self) -> list[str]:
        """Each column's header folded (`words`), computed once per layout (every row compares with it)."""
        cached = self.__dict__.get("_folded_labels")
        if cached is None or len(cached) != len(self.columns):
            cached = self.__dict__["_folded_labels"] = [words(c.label) for c in self.columns]
        return cached

    def of_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def column_of(self, key: str) -> int | None:
        """The first single column matched to `key` (not a name part or a sub-column)."""
        return self.keys.get(key)

    @property
    def keys(self) -> dict[str, int]:
        """{key: index of the first single column matched to it} (name parts and sub-columns are not
        single columns; an "Ông/Bà" or "Năm sinh" column is)."""
        found: dict[str, int] = {}
        for c in self.columns:
            if c.key and c.role in _SINGLE_ROLES and c.key not in found:
                found[c.key] = c.index
        return found

    @property
    def name_parts(self) -> list[Column]:
        return self.of_role(NAME_PART)

    def full_name(self, row: list[Any]) -> str:
        """The name parts of a row joined with spaces, in column order (nothing cut)."""
        return " ".join(t for t in (text_of(_at(row, c.index)) for c in self.name_parts) if t)

    def genders(self, row: list[Any]) -> list[str]:
        """The genders a row's sub-columns give ("Nam", "Nữ"; both when both are filled; none when none)."""
        found: list[str] = []
        for c in self.columns:
            value = _at(row, c.index)
            if not present(value):
                continue
            if c.role == BIRTH_BY_GENDER or (c.role == GENDER_MARK and words(value) in _MARKS):
                gender = c.gender
            elif c.role == GENDER_TITLE:
                gender = _TITLE_WORDS.get(words(value), "")
            else:
                continue
            if gender and gender not in found:
                found.append(gender)
        return found

    @property
    def birth_columns(self) -> list[Column]:
        """The sub-columns a birth date is read from (under "Nam"/"Nữ", or "Ngày"/"Tháng"/"Năm")."""
        return [c for c in self.columns if c.role in (BIRTH_BY_GENDER, BIRTH_PART)]

    def birth(self, row: list[Any]) -> Any:
        """The birth date (or year) written under the "Nam" / "Nữ" sub-columns, the first one filled; or
        composed from "Ngày" | "Tháng" | "Năm" sub-columns ("15/3/1990", or the year alone)."""
        parts = {c.part: _at(row, c.index) for c in self.of_role(BIRTH_PART)}
        if parts:
            day, month, year = (text_of(parts.get(k)) for k in ("day", "month", "year"))
            if not year:
                return None
            if not (day or month):
                return parts["year"]  # the year alone
            return f"{day}/{month}/{year}"
        for c in self.of_role(BIRTH_BY_GENDER):
            value = _at(row, c.index)
            if present(value):
                return value
        return None


def _at(row: list[Any], index: int) -> Any:
    return row[index] if 0 <= index < len(row) else None


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else ""
    return str(value).strip() if isinstance(value, str) else ""


def _is_column_number_row(row: list[Any], header_count: int) -> bool:
    cells = [c for c in row if present(c)]
    if len(cells) < max(2, header_count // 2):
        return False
    return all(_COLUMN_NUMBER.match(_number_text(c)) for c in cells)


def _header_texts(rows, merges: Merges, h: int, width: int) -> list[str]:
    """Row h's header texts: a cell merged across columns gives its text to every column it covers;
    a cell merged down from a row above it is no header of this row."""
    texts = []
    for c in range(width):
        span = merges.get(h, c)
        if span is not None:
            texts.append(text_of(_cell(rows, span[0], span[1])) if span[0] == h else "")
        else:
            texts.append(text_of(_cell(rows, h, c)))
    return texts


def _child_texts(rows, merges: Merges, h: int, width: int) -> list[str]:
    """Row h+1's texts as children of row h: empty where a cell of row h is merged down over it."""
    texts = []
    for c in range(width):
        span = merges.get(h + 1, c)
        if span is not None and span[0] <= h:
            texts.append("")
        elif span is not None:
            texts.append(text_of(_cell(rows, span[0], span[1])) if span[0] == h + 1 else "")
        else:
            texts.append(text_of(_cell(rows, h + 1, c)))
    return texts


def _looks_like_child_row(rows, merges: Merges, h: int, width: int) -> bool:
    """Is row h+1 the second row of a two-row header starting at row h?"""
    below = _cell_row(rows, h + 1)
    cells = [c for c in below[:width] if present(c)]
    if not cells or not all(isinstance(c, str) for c in cells):
        return False
    if _is_column_number_row(below, len(cells)):
        return False
    for c in range(width):
        span = merges.get(h, c)
        if span and span[0] == h and span[3] > span[1] and span[2] == h and present(_cell(rows, h + 1, c)):
            return True  # a parent merged across columns with labels under it
    known = sum(1 for c in cells if words(c) in _NAME_PARTS or words(c) in _GENDER_SUBS)
    if merges:
        down = any((span := merges.get(h, c)) and span[0] == h and span[2] >= h + 1 for c in range(width))
        return down and known > 0
    # no merged ranges known (a format that gives none): labels under a parent written once, to its left
    top = _cell_row(rows, h)
    return known > 0 and any(
        present(_cell(rows, h + 1, c)) and not present(_at(top, c)) for c in range(width)
    )


def _cell_row(rows, r: int) -> list[Any]:
    return rows[r] if 0 <= r < len(rows) else []


def _columns(
    rows, merges: Merges, h: int, two_rows: bool, width: int, match: Callable[[str], str | None]
) -> list[Column]:
    parents = _header_texts(rows, merges, h, width)
    children = _child_texts(rows, merges, h, width) if two_rows else [""] * width
    if two_rows and not merges:  # a parent written once over its labels: carry it right
        for c in range(1, width):
            if children[c] and not parents[c] and children[c - 1]:
                parents[c] = parents[c - 1]
    columns: list[Column] = []
    for c in range(width):
        parent, child = parents[c], children[c]
        folded_parent, folded_child = words(parent), words(child)
        starts = merges.get(h, c)
        first_of_span = starts is None or starts[1] == c
        if child and child != parent:
            if (
                _is_birth_parent(folded_parent)
                and folded_child in _DATE_PARTS
                and _date_parts_under(children, parents, c)
            ):
                columns.append(Column(c, parent, child, match(parent), BIRTH_PART, _DATE_PARTS[folded_child]))
            elif _is_name_parent(folded_parent) and folded_child in _NAME_PARTS:
                columns.append(Column(c, parent, child, match(parent), NAME_PART, _NAME_PARTS[folded_child]))
            elif folded_child in _GENDER_SUBS and _is_birth_parent(folded_parent):
                part = "year" if folded_parent in _YEAR_HEADERS else "date"
                key = match(parent)
                columns.append(
                    Column(c, parent, child, key, BIRTH_BY_GENDER, part, _GENDER_SUBS[folded_child])
                )
            elif folded_child in _GENDER_SUBS:
                columns.append(
                    Column(c, parent, child, match(parent), GENDER_MARK, gender=_GENDER_SUBS[folded_child])
                )
            else:
                key = match(f"{parent} {child}") if parent else None
                columns.append(Column(c, parent, child, key or match(child)))
            continue
        text = parent or child
        key = match(text) if (first_of_span and text) else None
        role = ""
        if first_of_span and words(text) in _TITLE_HEADERS:
            role = GENDER_TITLE
        elif first_of_span and words(text) in _YEAR_HEADERS:
            role = BIRTH_YEAR
        columns.append(Column(c, parent if parent else child, "", key, role))
    _name_parts_by_position(columns, merges, h)
    _name_parts_side_by_side(columns)
    return columns


def _date_parts_under(children: list[str], parents: list[str], c: int) -> bool:
    """Do the sub-columns under column c's parent read "Ngày", "Tháng" (and "Năm")? Then "Năm" there is
    the year of the date, not the male column "Nam"."""
    same = [i for i in range(len(parents)) if parents[i] == parents[c] and abs(i - c) <= 3]
    labels = {words(children[i]) for i in same}
    return {"ngay", "thang"} <= labels


def _is_name_parent(folded: str) -> bool:
    return folded.startswith("ho") and " ten" in f" {folded}" and folded not in _NAME_PARTS


def _is_birth_parent(folded: str) -> bool:
    return "sinh" in folded.split()


def _name_parts_by_position(columns: list[Column], merges: Merges, h: int) -> None:
    """ "Họ và tên" merged over two or three columns without labels under it: family(+middle) | given,
    or family | middle | given."""
    for column in list(columns):
        span = merges.get(h, column.index)
        if column.role or not span or span[1] != column.index or not _is_name_parent(words(column.parent)):
            continue
        count = span[3] - span[1] + 1
        if count not in (2, 3) or any(columns[i].child for i in range(span[1], span[3] + 1)):
            continue
        parts = ("family_middle", "given") if count == 2 else ("family", "middle", "given")
        for offset, part in enumerate(parts):
            i = span[1] + offset
            columns[i] = Column(i, column.parent, "", column.key, NAME_PART, part)


def _name_parts_side_by_side(columns: list[Column]) -> None:
    """One-row headers "Họ đệm" | "Tên" (or "Họ" | "Tên đệm" | "Tên") next to each other."""
    parts = {
        c.index: _NAME_PARTS[words(c.parent)]
        for c in columns
        if not c.role and words(c.parent) in _NAME_PARTS
    }
    if "given" not in parts.values() or not ({"family", "family_middle"} & set(parts.values())):
        return
    given = next(i for i, p in parts.items() if p == "given")
    run = [given]
    i = given - 1
    while i in parts and parts[i] != "given":
        run.insert(0, i)
        i -= 1
    if len(run) < 2:
        return
    for i in run:
        c = columns[i]
        columns[i] = Column(i, c.parent, "", c.key, NAME_PART, parts[i])


def _score(columns: list[Column]) -> int:
    keys = {c.key for c in columns if c.key and c.role in _SINGLE_ROLES}
    roles = {(c.role, c.key) for c in columns if c.role and not (c.key and c.role in _SINGLE_ROLES)}
    return len(keys) + len(roles)


def detect(
    rows: list[list[Any]],
    merged: list | None,
    match_header: Callable[[str], str | None],
    *,
    header_row: int | None = None,
    scan: int = SCAN_ROWS,
) -> Layout | None:
    """The header of the top `scan` rows naming the most known columns (at least two), or the header at
    `header_row` when the caller says where it is; None when no row names two columns."""
    top = rows[: max(scan, (header_row or 0) + 3)]
    width = max((len(r) for r in top), default=0)
    merges = Merges(merged, rows=range(0, len(top) + 1), width=width)
    candidates = [header_row] if header_row is not None else range(min(scan, len(rows)))
    best: tuple[int, int, bool, list[Column]] | None = None
    for h in candidates:
        if h >= len(rows):
            continue
        two = _looks_like_child_row(rows, merges, h, width)
        columns = _columns(rows, merges, h, two, width, match_header)
        score = _score(columns)
        if best is None or score > best[0]:
            best = (score, h, two, columns)
    if best is None or (header_row is None and best[0] < 2):
        return None
    _score_, h, two, columns = best
    last = h + 1 if two else h
    start = last + 1
    number_row = None
    header_count = sum(1 for c in columns if c.label)
    if start < len(rows) and _is_column_number_row(rows[start], header_count):
        number_row, start = start, start + 1
    stt = next((c.index for c in columns if words(c.label) in _STT_HEADERS), None)
    return Layout(
        header_first=h, header_last=last, data_start=start, columns=columns, number_row=number_row, stt=stt
    )


# ---- the rows under the header ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Data:
    section: str = ""  # the text of the section row above it, without its numbering


@dataclass(frozen=True, slots=True)
class Skip:
    reason: str  # Vietnamese: why the row is not data


@dataclass
class Reading:
    """What the rows read so far leave for the next one: the current section, the signature block."""

    section: str = ""
    ended: bool = False
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) of a merge → columns - 1


def _is_zero(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == 0
    return isinstance(value, str) and value.strip() in ("0", "0.0", "0,0", "-")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def _is_mark(value: Any) -> bool:
    """A row number as offices write it: 1, "1.", "I", "a)"."""
    if _is_number(value):
        return True
    if not isinstance(value, str):
        return False
    mark = value.strip().rstrip(".)").strip()
    return (
        bool(mark)
        and len(mark) <= 6
        and (bool(_ROMAN.match(mark.upper())) or (mark.isalpha() and len(mark) == 1))
    )


def _signature_cell(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    plain = _plain(text)
    if not plain:
        return text.strip(".… ") == ""
    if text.startswith("(") and plain.startswith("ky"):
        return True  # "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"
    return bool(_SIGNATURE.fullmatch(plain))


def _looks_like_unit(text: str) -> bool:
    folded = words(text)
    if any(folded.startswith(w) or folded == w.strip() for w in _UNIT_WORDS):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _section_text(text: str) -> tuple[str, bool]:
    """ "I. Tổ công đoàn Phòng Nội vụ" → ("Tổ công đoàn Phòng Nội vụ", True): the text without its
    numbering, and whether it had one."""
    match = _NUMBERING.match(text)
    if match and any(ch.isalpha() for ch in match.group(2)):
        return match.group(2).strip().rstrip(":").strip(), True
    return text.strip().rstrip(":").strip(), False


def classify(row: list[Any], layout: Layout, reading: Reading | None = None, *, index: int | None = None):
    """`Data` or `Skip(reason)` for one row under the header. `reading` carries the section and the
    signature block from row to row (`classify_rows` keeps one); `index` is the row's own index (for its
    merged ranges)."""
    reading = reading if reading is not None else Reading()
    cells = [(c, v) for c, v in enumerate(row) if present(v)]
    if not cells:
        return Skip(EMPTY)
    if reading.ended:
        return Skip(AFTER_SIGNATURE)
    stt = layout.stt if layout.stt is not None else 0
    numbered = [(c, v) for c, v in cells if c == stt and _is_mark(v)]
    rest = [(c, v) for c, v in cells if not (c == stt and _is_mark(v))]
    if not rest:
        return Skip(ONLY_ZEROS) if all(_is_zero(v) for _, v in cells) else Skip(ONLY_NUMBER)
    if all(_is_zero(v) for _, v in rest) and all(_is_number(v) for _, v in numbered):
        return Skip(ONLY_ZEROS)
    if all(_signature_cell(v) for _, v in cells):
        reading.ended = True
        return Skip(SIGNATURE)
    labels = layout.folded_labels
    same = sum(1 for c, v in cells if c < len(labels) and labels[c] and words(v) == labels[c])
    if same >= 2 and same * 2 >= len(cells):
        return Skip(REPEATED_HEADER)
    if _is_column_number_row(row, sum(1 for c in layout.columns if c.label)) and len(cells) >= 3:
        return Skip(COLUMN_NUMBERS)
    texts = [(c, v) for c, v in rest if isinstance(v, str) and not _is_number(v)]
    if texts:
        first_col, first = texts[0]
        if _TOTAL.match(words(first)) and all(_is_number(v) for c, v in rest if c != first_col):
            return Skip(TOTAL)
    section = _section(cells, rest, texts, stt, reading, index)
    if section is not None:
        reading.section = section
        return Skip(f"dòng mục “{section}”")
    return Data(section=reading.section)


def _section(cells, rest, texts, stt: int, reading: Reading, index: int | None) -> str | None:
    """The section's text when the row is a section title: one text in the first columns, nothing else
    but its numbering in the row-number column."""
    if len(rest) != 1 or len(texts) != 1:
        return None
    column, value = texts[0]
    if column > max(stt + 2, 2):
        return None
    text, numbered = _section_text(value)
    numbering = next((v for c, v in cells if c == stt and _is_mark(v)), None)
    mark = _number_text(numbering) if numbering is not None else ""
    if not mark and isinstance(numbering, str):
        mark = numbering.strip().rstrip(".")
    if mark and _ROMAN.match(mark.rstrip(".)").upper()) or (mark and mark.rstrip(".)").isalpha()):
        numbered = True
    elif mark and not numbered:
        # "1" | "Khối cơ quan": a section when the text names a unit; else a person whose row is short
        return text if _looks_like_unit(text) else None
    wide = index is not None and reading.spans.get((index, column), 0) >= 2
    if numbered or wide or _looks_like_unit(text) or value.strip().endswith(":"):
        return text
    return None


def classify_rows(
    rows: list[list[Any]], layout: Layout, merged: list | None = None
) -> Iterator[tuple[int, Data | Skip, list[Any]]]:
    """(row index, `Data` or `Skip`, the row with its vertically merged cells filled) for every row from
    the layout's data start."""
    filled = fill_down(rows, merged, layout.data_start)
    spans = {
        (int(m[0]), int(m[1])): int(m[3]) - int(m[1]) for m in merged or () if int(m[0]) >= layout.data_start
    }
    reading = Reading(spans=spans)
    for index in range(layout.data_start, len(filled)):
        row = filled[index]
        yield index, classify(row, layout, reading, index=index), row
