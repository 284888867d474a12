"""The files of the framework: a template per kind, and the uploaded sheet back with each row's outcome
(the "error file") — written by `core.xlsx` (cells as text, never formulas)."""

from __future__ import annotations

from core.xlsx import Workbook

from . import reading
from .kinds import OUTCOME_LABELS, Outcome


def _formats(workbook):
    return {
        "header": workbook.format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "hint": workbook.format({"italic": True, "font_color": "#555555", "text_wrap": True}),
        "text": workbook.format({"num_format": "@"}),
        "error": workbook.format({"font_color": "#C00000", "text_wrap": True}),
    }


def template_workbook(kind) -> bytes:
    """Headers (required ones marked "(*)"), a hint row, one example row and a sheet of instructions."""
    workbook = Workbook()
    fmt = _formats(workbook)
    sheet = workbook.sheet(kind.title)
    for col, column in enumerate(kind.columns):
        sheet.text(0, col, column.label + (" (*)" if column.required else ""), fmt["header"])
        sheet.text(1, col, column.hint, fmt["hint"])
        sheet.set_column(col, col, 24, fmt["text"] if column.type in ("id", "text", "name") else None)
    for col, value in enumerate(kind.sample):
        sheet.cell(2, col, value)
    notes = workbook.sheet("Hướng dẫn")
    notes.set_column(0, 0, 110)
    lines = [
        "Mỗi dòng một bản ghi, bắt đầu ngay dưới dòng tiêu đề (xoá dòng ví dụ). Cột có (*) là bắt buộc.",
        "Có thể giữ dòng tiêu đề, dòng số thứ tự cột, dòng mục (I. …, II. …) và phần ký tên: hệ thống tự bỏ qua.",
        "Ngày ghi theo dạng ngày/tháng/năm (15/03/1990) hoặc định dạng ô kiểu Ngày.",
        *kind.notes,
        "Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có được bỏ qua hoặc cập nhật.",
    ]
    for row, line in enumerate(lines):
        notes.text(row, 0, line)
    return workbook.close()


def error_workbook(batch) -> bytes:
    """The uploaded sheet, row for row, with two columns added: "Kết quả kiểm tra" and "Lỗi, lý do"."""
    rows = reading.stored_rows(batch)
    plans = {p["number"]: p for p in reading.stored_plans(batch)}
    workbook = Workbook()
    fmt = _formats(workbook)
    sheet = workbook.sheet("Kết quả kiểm tra")
    width = max((len(r) for r in rows), default=0)
    header_last = batch.header_row + batch.header_rows - 1
    for index, row in enumerate(rows):
        for col, value in enumerate(row):
            if index <= header_last:
                sheet.cell(
                    index, col, reading.display(value), fmt["header"] if index >= batch.header_row else None
                )
            else:
                sheet.cell(index, col, value)
        if index == batch.header_row:
            sheet.text(index, width, "Kết quả kiểm tra", fmt["header"])
            sheet.text(index, width + 1, "Lỗi, lý do", fmt["header"])
            continue
        plan = plans.get(index + 1)
        if plan is None:
            continue
        outcome = Outcome(plan["outcome"])
        sheet.text(index, width, OUTCOME_LABELS[outcome])
        detail = [f"{e['column']}: {e['message']}" for e in plan.get("errors", [])]
        if plan.get("reason"):
            detail.append(plan["reason"])
        detail += plan.get("notices", [])
        if detail:
            sheet.text(
                index, width + 1, "; ".join(detail), fmt["error"] if outcome == Outcome.ERROR else None
            )
    sheet.set_column(width, width + 1, 40)
    return workbook.close()
