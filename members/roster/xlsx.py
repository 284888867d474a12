"""Writing the roster export (.xlsx) through `core.xlsx` (the one writer: names, codes and units go out as
text, never as formulas). The import's template and error file are the framework's (`imports.xlsx`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.xlsx import Workbook


def _workbook(*, constant_memory: bool = False):
    workbook = Workbook(constant_memory=constant_memory)
    formats = {
        "header": workbook.format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "date": workbook.date_format,
        "text": workbook.format({"num_format": "@"}),
        "error": workbook.format({"font_color": "#C00000", "text_wrap": True}),
        "title": workbook.format({"bold": True, "font_size": 13}),
    }
    return workbook, formats


def _write_cell(sheet, row: int, col: int, value: Any, fmt) -> None:
    # dates as dates, numbers as numbers, everything else (timedelta, time, text) as text
    sheet.cell(row, col, value)


EXPORT_COLUMNS = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Giới tính", 9),
    ("Ngày sinh", 12),
    ("Số CCCD", 16),
    ("Tổ công đoàn", 30),
    ("Chức vụ", 20),
    ("Chức vụ công đoàn", 20),
    ("Ngày vào công đoàn", 14),
    ("Số thẻ đoàn viên", 16),
    ("Điện thoại", 14),
    ("Email", 26),
)


def export_workbook(*, title: str, rows: Iterable[list[Any]]) -> bytes:
    workbook, fmt = _workbook()
    sheet = workbook.sheet("Danh sách đoàn viên")
    sheet.text(0, 0, title, fmt["title"])
    for col, (label, width) in enumerate(EXPORT_COLUMNS):
        sheet.text(2, col, label, fmt["header"])
        sheet.set_column(col, col, width)
    r = 2
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, fmt)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(r, 3), len(EXPORT_COLUMNS) - 1)
    return workbook.close()
