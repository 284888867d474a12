"""Reading a spreadsheet (python-calamine: .xlsx, .xls, .ods) and finding its header row and columns.

Every read goes through `core.uploads`: the guard (size, archive, declared sheet range) before any
parser, then calamine in a child process bounded in memory and time. The rows read are stored once
(gzip JSON lines, `RosterImport.rows_file`) and read back by `stored_rows`; the spreadsheet is never
parsed again.

The layout of the sheet (title rows, one- or two-row merged headers, the column-number row, section
rows, totals, the signature block) is read by `core.tabular`; `shape` turns the stored rows into the rows
`validate` reads: the same row numbers, noise rows emptied (and listed with their reason), and
composed columns appended after the sheet's own — the name parts joined, the gender given by the
"Nam"/"Nữ" sub-columns, "x" marks or "Ông/Bà", the birth date written under "Nam"/"Nữ", the union
group given by the section row above (when the file has no group column or the cell is empty)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from core import tabular, uploads

from .fields import ALLOWED_EXTENSIONS, HEADER_SCAN_ROWS, RosterFileError, _text, field_for_header

WRONG_KIND = "Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods)."
GONE = "Dữ liệu của lần nhập này không còn (đã xoá sau khi ghi hoặc quá hạn lưu): hãy tải tệp lên lại."


def check_upload(path, filename: str) -> None:
    """The guard alone (the upload request runs it before storing the file): `RosterFileError`."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError(WRONG_KIND)
    try:
        uploads.guard(path, filename)
    except uploads.UploadRefused as refused:
        raise RosterFileError(refused.message) from refused


def read_upload(path, filename: str, dest, *, sheet: str | None = None, full: bool = False):
    """Guard `path`, read one sheet (`sheet`, or the default one) in the sandbox into the file `dest`;
    the row count, or with `full` the whole answer of `core.uploads.read_sheet` (sheet, sheets, merged)."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError(WRONG_KIND)
    try:
        answer = uploads.read_sheet(path, dest, filename=filename, sheet=sheet or None)
    except uploads.UploadRefused as refused:
        raise RosterFileError(refused.message) from refused
    return answer if full else answer["rows"]


def read_table(source, filename: str, sheet: str | None = None) -> tuple[list[list[Any]], dict]:
    """All rows of one sheet (see `core.uploads.read_sheet`: the named one, else the one the file opens
    on, else the first visible non-empty one) and what the read tells about the workbook: {"sheet",
    "sheets", "merged"}. Through the guard and the sandbox; `source`: a path, bytes or a binary file."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError(WRONG_KIND)
    with tempfile.TemporaryDirectory(prefix="thidua-read-") as work:
        if isinstance(source, str | os.PathLike):
            path = os.fspath(source)
        else:
            path = os.path.join(work, "upload" + os.path.splitext(filename)[1].lower())
            with open(path, "wb") as out:
                out.write(source if isinstance(source, bytes) else source.read())
        dest = os.path.join(work, "rows.jsonl.gz")
        info = read_upload(path, filename, dest, sheet=sheet, full=True)
        with open(dest, "rb") as handle:
            return uploads.load_rows(handle), info


def read_rows(source, filename: str) -> list[list[Any]]:
    """All rows of the default sheet, as Python values, row 0 = spreadsheet row 1 — through the guard and
    the sandbox. For the command line, tests and benchmarks; the screens read stored rows."""
    return read_table(source, filename)[0]


def store_rows(record, rows) -> None:
    """Keep rows already read as the import's stored rows (`rows_file`; not saved to the database)."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        uploads.write_rows(rows, buffer)
        buffer.seek(0)
        record.rows_file.save("rows.jsonl.gz", ContentFile(buffer.read()), save=False)


def stored_rows(record, limit: int | None = None) -> list[list[Any]]:
    """The import's rows as read by the worker (only the first `limit` if given): no spreadsheet parser
    runs here. `RosterFileError` when they are gone (pruned) or were never read."""
    if not record.rows_file:
        raise RosterFileError(GONE)
    try:
        with record.rows_file.open("rb") as handle:
            return uploads.load_rows(handle, limit)
    except (OSError, EOFError, ValueError) as exc:
        raise RosterFileError(GONE) from exc


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


NO_HEADER = (
    "Không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Ngày sinh”, “Giới tính”) "
    f"trong {HEADER_SCAN_ROWS} dòng đầu của tệp."
)


def layout_of(
    rows: list[list[Any]], merged: list | None = None, header_row: int | None = None
) -> tabular.Layout:
    """The sheet's layout (`core.tabular`) with the roster's column names; at `header_row` when given."""
    layout = tabular.detect(rows, merged, field_for_header, header_row=header_row, scan=HEADER_SCAN_ROWS)
    if layout is None:
        raise RosterFileError(NO_HEADER)
    return layout


def detect_header(rows: list[list[Any]], merged: list | None = None) -> int:
    """Index of the header row (its first row for a two-row header): the top row naming the most known
    columns (≥ 2). Title rows and merged banner cells name at most one, so they are skipped."""
    return layout_of(rows, merged).header_first


@dataclass
class Shaped:
    """The rows `validate` reads (row numbers as in the sheet, the header at `header_row`), the noise
    rows left out with their reasons, and the mapping guessed from the layout."""

    rows: list[list[Any]]
    header_row: int
    layout: tabular.Layout
    mapping: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (spreadsheet row, reason)

    @property
    def header(self) -> list[Any]:
        return self.rows[self.header_row]

    @property
    def width(self) -> int:
        """The sheet's own columns; the composed ones come after."""
        return self.layout.width


def _composed(layout: tabular.Layout) -> list[tuple[str, str, Callable]]:
    """The composed columns of a layout: (field key, header, value of a row given its section)."""
    out: list[tuple[str, str, Callable]] = []
    parts = layout.name_parts
    if parts and layout.column_of("full_name") is None:
        names = " + ".join(c.child or PART_LABELS[c.part] for c in parts)
        out.append(("full_name", f"{parts[0].parent} ({names})", lambda row, section: layout.full_name(row)))
    births = layout.of_role(tabular.BIRTH_BY_GENDER)
    marks = layout.of_role(tabular.GENDER_MARK) + layout.of_role(tabular.GENDER_TITLE)
    if (births or marks) and layout.column_of("gender") is None:
        source = "cột Ông/Bà" if layout.of_role(tabular.GENDER_TITLE) and not births else "cột Nam/Nữ"
        out.append(
            ("gender", f"Giới tính (theo {source})", lambda row, section: " và ".join(layout.genders(row)))
        )
    if births and layout.column_of("birth_date") is None:
        out.append(
            ("birth_date", f"{births[0].parent} (theo cột Nam/Nữ)", lambda row, section: layout.birth(row))
        )
    if layout.column_of("group") is None:
        out.append(("group", "Tổ công đoàn (theo dòng mục)", lambda row, section: section))
    return out


PART_LABELS = {"family": "Họ", "family_middle": "Họ đệm", "middle": "Tên đệm", "given": "Tên"}


def shape(rows: list[list[Any]], merged: list | None = None, header_row: int | None = None) -> Shaped:
    """The rows as `validate` reads them (see the module text): a row keeps its index; the header row
    holds the columns' headers as written ("Họ và tên – Tên" under a merged parent) and the composed
    columns' after them; the header's second row, the column-number row and every noise row are empty;
    a data row holds its own cells (vertically merged cells filled down) and the composed values."""
    layout = layout_of(rows, merged, header_row)
    width = layout.width
    composed = _composed(layout)
    group = layout.column_of("group")
    out: list[list[Any]] = [list(r) for r in rows[: layout.header_first]]
    out.append([c.label for c in layout.columns] + [label for _, label, _ in composed])
    out.extend([] for _ in range(layout.header_first + 1, min(layout.data_start, len(rows))))
    skipped: list[tuple[int, str]] = []
    for index, verdict, row in tabular.classify_rows(rows, layout, merged):
        if isinstance(verdict, tabular.Skip):
            out.append([])
            if verdict.reason != tabular.EMPTY:
                skipped.append((index + 1, verdict.reason))
            continue
        cells = list(row[:width]) + [""] * (width - len(row)) if len(row) < width else list(row[:width])
        if group is not None and verdict.section and not _present(cells[group]):
            cells[group] = verdict.section
        out.append(cells + [value(row, verdict.section) for _, _, value in composed])
    mapping = dict(layout.keys)
    for offset, (key, _, _) in enumerate(composed):
        mapping[key] = width + offset
    return Shaped(rows=out, header_row=layout.header_first, layout=layout, mapping=mapping, skipped=skipped)


def guess_mapping(header: list[Any]) -> dict[str, int]:
    """{field key: column index}, first matching column wins."""
    mapping: dict[str, int] = {}
    for index, text in enumerate(header):
        key = field_for_header(text)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def column_name(index: int) -> str:
    """0 → "A", 27 → "AB"."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def display(value: Any) -> str:
    """A cell as the user typed it: dates dd/mm/yyyy, whole numbers without ",0"."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return _text(value)


def header_label(header: list[Any], index: int) -> str:
    text = header[index] if index < len(header) else None
    return str(text).strip() if _present(text) else f"Cột {column_name(index)}"
