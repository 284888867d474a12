"""Reading a spreadsheet (python-calamine: .xlsx, .xls, .ods) and finding its header row and columns —
for the command line, the tests and the benchmarks. The screens and the `import_members` command read
through the import framework (`imports.reading`: one read in the worker, the layout by `core.tabular`).

Every read goes through `core.uploads`: the guard (size, archive, declared sheet range) before any
parser, then calamine in a child process bounded in memory and time."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from typing import Any

from core import tabular, uploads

from .fields import ALLOWED_EXTENSIONS, HEADER_SCAN_ROWS, RosterFileError, _text, field_for_header

WRONG_KIND = "Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods)."


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
