"""Reading a spreadsheet (python-calamine: .xlsx, .xls, .ods) and finding its header row and columns.

Every read goes through `core.uploads`: the guard (size, archive, declared sheet range) before any
parser, then calamine in a child process bounded in memory and time. The rows read are stored once
(gzip JSON lines, `RosterImport.rows_file`) and read back by `stored_rows`; the spreadsheet is never
parsed again."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from typing import Any

from django.core.files.base import ContentFile

from core import uploads

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


def read_upload(path, filename: str, dest) -> int:
    """Guard `path`, read its first non-empty sheet in the sandbox into the file `dest`; the row count."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError(WRONG_KIND)
    try:
        return uploads.read_sheet(path, dest, filename=filename)["rows"]
    except uploads.UploadRefused as refused:
        raise RosterFileError(refused.message) from refused


def read_rows(source, filename: str) -> list[list[Any]]:
    """All rows of the first non-empty sheet, as Python values, row 0 = spreadsheet row 1 — through the
    guard and the sandbox (`source`: a path, bytes or a binary file). For the command line, tests and
    benchmarks; the screens read stored rows."""
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
        read_upload(path, filename, dest)
        with open(dest, "rb") as handle:
            return uploads.load_rows(handle)


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


def detect_header(rows: list[list[Any]]) -> int:
    """Index of the header row: the first of the top rows naming the most known columns (≥ 2).
    Title rows and merged banner cells name at most one, so they are skipped."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len({k for k in (field_for_header(c) for c in row) if k})
        if score > best_score:
            best, best_score = index, score
    if best is None:
        raise RosterFileError(
            "Không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Ngày sinh”, “Giới tính”) "
            f"trong {HEADER_SCAN_ROWS} dòng đầu của tệp."
        )
    return best


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
