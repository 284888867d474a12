"""Tables of the dashboard as .xlsx (through `core.xlsx`, the one writer: text always as text, so a unit
name such as "=HYPERLINK(…)" stays text): Vietnamese headers, a title row, numbers as numbers."""

from __future__ import annotations

from core.xlsx import Workbook

from .dashboard import Table


def table_xlsx(table: Table, *, title: str) -> bytes:
    book = Workbook()
    sheet = book.sheet(table.title)
    bold = book.format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
    head = book.format(
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
    text = book.format({"font_name": "Times New Roman", "border": 1})
    integer = book.format({"font_name": "Times New Roman", "border": 1, "num_format": "#,##0"})
    decimal = book.format({"font_name": "Times New Roman", "border": 1, "num_format": "0.0"})
    total_text = book.format({"font_name": "Times New Roman", "border": 1, "bold": True})
    total_int = book.format(
        {"font_name": "Times New Roman", "border": 1, "bold": True, "num_format": "#,##0"}
    )
    total_dec = book.format({"font_name": "Times New Roman", "border": 1, "bold": True, "num_format": "0.0"})
    sheet.text(0, 0, title, bold)
    sheet.text(1, 0, table.title, bold)
    for c, header in enumerate(table.headers):
        sheet.text(3, c, header, head)
    sheet.set_row(3, 32)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(table.headers) - 1, 14)

    def write(r, row, formats):
        for c, value in enumerate(row):
            if isinstance(value, float):
                sheet.cell(r, c, value, formats[2])
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.cell(r, c, value, formats[1])
            else:  # text (a unit's or a person's name) or an empty cell
                sheet.cell(r, c, "" if value is None else str(value), formats[0])

    r = 4
    for row in table.rows:
        write(r, row, (text, integer, decimal))
        r += 1
    if table.footer:
        write(r, table.footer, (total_text, total_int, total_dec))
    sheet.freeze_panes(4, 1)
    return book.close()


FORM_TITLE = "Biểu số 02/TĐKT"
FORM_NAME = "SỐ LƯỢNG KHEN THƯỞNG"
FORM_HEADERS = ("STT", "Hình thức khen thưởng", "Tổng số", "Tập thể", "Cá nhân", "Trong đó: nữ", "Ghi chú")


def award_form_xlsx(form: dict) -> bytes:
    """Biểu số 02/TĐKT — Số lượng khen thưởng (the layout of the statistical forms on emulation and
    commendation): reporting and receiving unit, period, lines grouped by level with subtotals, columns
    Tổng số / Tập thể / Cá nhân / Trong đó: nữ / Ghi chú, place, date and signature lines at the foot."""
    book = Workbook()
    sheet = book.sheet("Biểu 02-TĐKT")
    base = {"font_name": "Times New Roman", "font_size": 12}

    def fmt(**extra):
        return book.format(base, **extra)

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
    sheet.page_setup(
        paper=9, portrait=True, fit_width=1, margins={"left": 0.5, "right": 0.4, "top": 0.6, "bottom": 0.6}
    )
    for col, width in enumerate((6, 50, 10, 10, 10, 11, 22)):
        sheet.set_column(col, col, width)

    sheet.merge(0, 0, 0, 2, FORM_TITLE, bold)
    sheet.merge(0, 3, 0, 6, f"Đơn vị báo cáo: {form['reporting_unit']}", bold)
    sheet.merge(1, 0, 1, 2, f"Kỳ báo cáo: năm {form['year']}", plain)
    sheet.merge(1, 3, 1, 6, f"Đơn vị nhận báo cáo: {form['receiving_unit']}", plain)
    sheet.set_row(0, 32)
    sheet.set_row(1, 32)
    sheet.merge(3, 0, 3, 6, FORM_NAME, title)
    year = form["year"]
    sheet.merge(4, 0, 4, 6, f"Năm {year} (từ ngày 01/01/{year} đến ngày 31/12/{year})", center_italic)
    sheet.merge(5, 0, 5, 6, "Đơn vị tính: tập thể, người", right_italic)

    sheet.merge(6, 0, 7, 0, FORM_HEADERS[0], head)
    sheet.merge(6, 1, 7, 1, FORM_HEADERS[1], head)
    sheet.merge(6, 2, 7, 2, FORM_HEADERS[2], head)
    sheet.merge(6, 3, 6, 4, "Chia ra", head)
    sheet.text(7, 3, FORM_HEADERS[3], head)
    sheet.text(7, 4, FORM_HEADERS[4], head)
    sheet.merge(6, 5, 7, 5, FORM_HEADERS[5], head)
    sheet.merge(6, 6, 7, 6, FORM_HEADERS[6], head)
    for c, label in enumerate(["A", "B", "1 = 2 + 3", "2", "3", "4", "C"]):
        sheet.text(8, c, label, index)

    r = 9
    for line in form["lines"]:
        number_f, label_f, value_f = cells[line.kind]
        sheet.text(r, 0, line.number, number_f)
        sheet.text(r, 1, line.label, label_f)
        for c, value in enumerate((line.total, line.collective, line.individual, line.women), start=2):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.cell(r, c, value, value_f)
            else:
                sheet.text(r, c, value, number_f)
        sheet.text(r, 6, line.note, note)
        r += 1

    r += 1
    sheet.merge(
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
    sheet.merge(r, 3, r, 6, form["place_date"], center_italic)
    r += 1
    signature = fmt(bold=True, align="center")
    sheet.merge(r, 0, r, 1, "Người lập biểu", signature)
    sheet.merge(r, 3, r, 6, "Thủ trưởng đơn vị", signature)
    r += 1
    sheet.merge(r, 0, r, 1, "(Ký, ghi rõ họ tên)", center_italic)
    sheet.merge(r, 3, r, 6, "(Ký, đóng dấu, ghi rõ họ tên)", center_italic)
    sheet.freeze_panes(9, 0)
    return book.close()
