"""Writing .xlsx files: the template, the error file (the sheet with a "Lỗi" column), the export — all
through `core.xlsx` (the one writer: names, codes and whatever the uploaded sheet held go out as text,
never as formulas)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from core.xlsx import Workbook

from .fields import FIELDS
from .records import RowError


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


def template_workbook() -> bytes:
    workbook, fmt = _workbook()
    sheet = workbook.sheet("Danh sách đoàn viên")
    for col, f in enumerate(FIELDS):
        sheet.text(0, col, f.label + (" (*)" if f.required else ""), fmt["header"])
        sheet.set_column(
            col, col, 22, fmt["text"] if f.key in ("citizen_id", "card_number", "phone") else None
        )
    sample = [
        "Nguyễn Thị Thu Hà",
        "Nữ",
        dt.date(1990, 3, 15),
        "001190012345",
        "Tổ công đoàn Phòng Nội vụ",
        "Chuyên viên",
        "Đoàn viên",
        dt.date(2015, 6, 1),
        "0100000123",
        "0912345678",
        "ha.ntt@example.vn",
    ]
    for col, value in enumerate(sample):
        sheet.cell(1, col, value)
    notes = workbook.sheet("Hướng dẫn")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(
        [
            "Điền mỗi đoàn viên một dòng, bắt đầu từ dòng 2 (xóa dòng ví dụ). Cột có (*) là bắt buộc.",
            "Ngày ghi theo dạng ngày/tháng/năm (15/03/1990) hoặc định dạng ô kiểu Ngày.",
            "Số CCCD gồm đúng 12 chữ số; định dạng cột là Văn bản để không mất số 0 ở đầu.",
            "Giới tính: Nam hoặc Nữ. Tổ công đoàn: ghi đúng tên tổ như trên hệ thống (có thể không dấu).",
            "Chức vụ công đoàn: Chủ tịch, Phó Chủ tịch, Ủy viên Ban Chấp hành, Tổ trưởng, Tổ phó, Đoàn viên.",
            "Nhập lại cùng một tệp sẽ cập nhật đoàn viên đã có (khớp theo số CCCD, rồi số thẻ), "
            "không tạo trùng.",
        ]
    ):
        notes.text(row, 0, line)
    return workbook.close()


def _write_cell(sheet, row: int, col: int, value: Any, fmt) -> None:
    # dates as dates, numbers as numbers, everything else (timedelta, time, text) as text
    sheet.cell(row, col, value)


def error_workbook(*, rows: list[list[Any]], header_row: int, errors: list[RowError]) -> bytes:
    """The uploaded sheet back, row for row, with a "Lỗi" column after the last one."""
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    width = max((len(r) for r in rows), default=0)
    workbook, fmt = _workbook()
    sheet = workbook.sheet("Danh sách")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, fmt)
        if r == header_row:
            sheet.text(r, width, "Lỗi", fmt["header"])
        elif r + 1 in by_row:
            sheet.text(r, width, "; ".join(by_row[r + 1]), fmt["error"])
    sheet.set_column(width, width, 60)
    sheet.freeze_panes(header_row + 1, 0)
    return workbook.close()


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
