"""Reading a spreadsheet (python-calamine: .xlsx, .xls, .ods) and finding its header row and columns."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from .fields import ALLOWED_EXTENSIONS, HEADER_SCAN_ROWS, RosterFileError, _text, field_for_header


def read_rows(source, filename: str) -> list[list[Any]]:
    """All rows of the first non-empty sheet, as Python values, row 0 = spreadsheet row 1."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods).")
    try:
        if isinstance(source, str):
            workbook = CalamineWorkbook.from_path(source)
        else:
            data = source if isinstance(source, bytes) else source.read()
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(any(_present(c) for c in row) for row in rows):
                return rows
    except CalamineError as exc:
        raise RosterFileError("Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính.") from exc
    except Exception as exc:  # calamine raises plain errors for some malformed files
        raise RosterFileError(f"Không đọc được tệp: {exc}") from exc
    raise RosterFileError("Tệp không có dữ liệu.")


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
