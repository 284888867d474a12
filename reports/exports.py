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
