"""Tables of the dashboard as .xlsx (xlsxwriter): Vietnamese headers, a title row, numbers as numbers."""

from __future__ import annotations

import io

import xlsxwriter

from .dashboard import Table


def table_xlsx(table: Table, *, title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(table.title[:31].replace("/", "-"))
    bold = book.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
    head = book.add_format(
        {
            "bold": True,
            "font_name": "Times New Roman",
            "border": 1,
            "bg_color": "#DDEBF7",
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
        }
    )
    text = book.add_format({"font_name": "Times New Roman", "border": 1})
    integer = book.add_format({"font_name": "Times New Roman", "border": 1, "num_format": "#,##0"})
    decimal = book.add_format({"font_name": "Times New Roman", "border": 1, "num_format": "0.0"})
    total_text = book.add_format({"font_name": "Times New Roman", "border": 1, "bold": True})
    total_int = book.add_format(
        {"font_name": "Times New Roman", "border": 1, "bold": True, "num_format": "#,##0"}
    )
    total_dec = book.add_format(
        {"font_name": "Times New Roman", "border": 1, "bold": True, "num_format": "0.0"}
    )
    sheet.write(0, 0, title, bold)
    sheet.write(1, 0, table.title, bold)
    sheet.write_row(3, 0, table.headers, head)
    sheet.set_row(3, 32)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(table.headers) - 1, 14)

    def write(r, row, formats):
        for c, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, c, None, formats[0])
            elif isinstance(value, float):
                sheet.write_number(r, c, value, formats[2])
            elif isinstance(value, int):
                sheet.write_number(r, c, value, formats[1])
            else:
                sheet.write_string(r, c, str(value), formats[0])

    r = 4
    for row in table.rows:
        write(r, row, (text, integer, decimal))
        r += 1
    if table.footer:
        write(r, table.footer, (total_text, total_int, total_dec))
    sheet.freeze_panes(4, 1)
    book.close()
    return buffer.getvalue()


FORM_TITLE = "Biểu số 02/TĐKT"
FORM_NAME = "SỐ LƯỢNG KHEN THƯỞNG"
FORM_HEADERS = ("STT", "Hình thức khen thưởng", "Tổng số", "Tập thể", "Cá nhân", "Trong đó: nữ", "Ghi chú")


def award_form_xlsx(form: dict) -> bytes:
    """Biểu số 02/TĐKT — Số lượng khen thưởng (the layout of the statistical forms on emulation and
    commendation): reporting and receiving unit, period, lines grouped by level with subtotals, columns
    Tổng số / Tập thể / Cá nhân / Trong đó: nữ / Ghi chú, place, date and signature lines at the foot."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Biểu 02-TĐKT")
    base = {"font_name": "Times New Roman", "font_size": 12}

    def fmt(**extra):
        return book.add_format({**base, **extra})

    plain = fmt(text_wrap=True, valign="top")
    bold = fmt(bold=True, text_wrap=True, valign="top")
    title = fmt(bold=True, font_size=14, align="center")
    center_italic = fmt(italic=True, align="center")
    right_italic = fmt(italic=True, align="right")
    head = fmt(bold=True, border=1, align="center", valign="vcenter", text_wrap=True, bg_color="#F2F2F2")
    index = fmt(italic=True, border=1, align="center")
    cells = {
        "total": (
            fmt(bold=True, border=1, align="center", valign="vcenter"),
            fmt(bold=True, border=1, valign="vcenter", text_wrap=True),
            fmt(bold=True, border=1, num_format="#,##0", align="right", valign="vcenter"),
        ),
        "group": (
            fmt(bold=True, border=1, align="center", valign="vcenter"),
            fmt(bold=True, border=1, valign="vcenter", text_wrap=True),
            fmt(bold=True, border=1, num_format="#,##0", align="right", valign="vcenter"),
        ),
        "item": (
            fmt(border=1, align="center", valign="vcenter"),
            fmt(border=1, valign="vcenter", text_wrap=True, indent=1),
            fmt(border=1, num_format="#,##0", align="right", valign="vcenter"),
        ),
    }
    note = fmt(border=1, text_wrap=True, valign="vcenter", font_size=11)
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    for col, width in enumerate((6, 50, 10, 10, 10, 11, 22)):
        sheet.set_column(col, col, width)

    sheet.merge_range(0, 0, 0, 2, FORM_TITLE, bold)
    sheet.merge_range(0, 3, 0, 6, f"Đơn vị báo cáo: {form['reporting_unit']}", bold)
    sheet.merge_range(1, 0, 1, 2, f"Kỳ báo cáo: năm {form['year']}", plain)
    sheet.merge_range(1, 3, 1, 6, f"Đơn vị nhận báo cáo: {form['receiving_unit']}", plain)
    sheet.set_row(0, 32)
    sheet.set_row(1, 32)
    sheet.merge_range(3, 0, 3, 6, FORM_NAME, title)
    year = form["year"]
    sheet.merge_range(4, 0, 4, 6, f"Năm {year} (từ ngày 01/01/{year} đến ngày 31/12/{year})", center_italic)
    sheet.merge_range(5, 0, 5, 6, "Đơn vị tính: tập thể, người", right_italic)

    sheet.merge_range(6, 0, 7, 0, FORM_HEADERS[0], head)
    sheet.merge_range(6, 1, 7, 1, FORM_HEADERS[1], head)
    sheet.merge_range(6, 2, 7, 2, FORM_HEADERS[2], head)
    sheet.merge_range(6, 3, 6, 4, "Chia ra", head)
    sheet.write(7, 3, FORM_HEADERS[3], head)
    sheet.write(7, 4, FORM_HEADERS[4], head)
    sheet.merge_range(6, 5, 7, 5, FORM_HEADERS[5], head)
    sheet.merge_range(6, 6, 7, 6, FORM_HEADERS[6], head)
    sheet.write_row(8, 0, ["A", "B", "1 = 2 + 3", "2", "3", "4", "C"], index)

    r = 9
    for line in form["lines"]:
        number_f, label_f, value_f = cells[line.kind]
        sheet.write_string(r, 0, line.number, number_f)
        sheet.write_string(r, 1, line.label, label_f)
        for c, value in enumerate((line.total, line.collective, line.individual, line.women), start=2):
            if isinstance(value, int):
                sheet.write_number(r, c, value, value_f)
            else:
                sheet.write_string(r, c, value, number_f)
        sheet.write_string(r, 6, line.note, note)
        r += 1

    r += 1
    sheet.merge_range(
        r,
        0,
        r,
        6,
        "Số liệu tổng hợp từ sổ khen thưởng của đơn vị và các đơn vị trực thuộc; khen thưởng đã thu hồi "
        "không tính. Tập thể, cá nhân được tính tại đơn vị của mình khi được khen thưởng.",
        fmt(italic=True, font_size=11, text_wrap=True, valign="top"),
    )
    sheet.set_row(r, 32)
    r += 2
    sheet.merge_range(r, 3, r, 6, form["place_date"], center_italic)
    r += 1
    signature = fmt(bold=True, align="center")
    sheet.merge_range(r, 0, r, 1, "Người lập biểu", signature)
    sheet.merge_range(r, 3, r, 6, "Thủ trưởng đơn vị", signature)
    r += 1
    sheet.merge_range(r, 0, r, 1, "(Ký, ghi rõ họ tên)", center_italic)
    sheet.merge_range(r, 3, r, 6, "(Ký, đóng dấu, ghi rõ họ tên)", center_italic)
    sheet.freeze_panes(9, 0)
    book.close()
    return buffer.getvalue()
