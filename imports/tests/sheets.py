"""Spreadsheets laid out as union offices lay them out (title rows, merged banners, a column-number row,
section rows, a totals row, the signature block), written with XlsxWriter, and converted to .xls / .ods by
LibreOffice where it is installed — for the import tests of every kind."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import xlsxwriter

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def office_sheet(
    path: Path,
    *,
    title: str,
    subtitle: str = "",
    header: list[str],
    rows: list[list[Any]],
    sections: dict[int, str] | None = None,
    numbered_columns: bool = True,
    total: bool = True,
    signature: bool = True,
    hidden_first_sheet: bool = False,
) -> Path:
    """One sheet: the issuing unit and the title merged over the width, an empty row, the header, the
    "(1) (2) …" row, the data rows (a section row "I. …" before the row indexes given in `sections`), a
    "Tổng cộng" row, then "NGƯỜI LẬP BIỂU" / "TM. BAN THƯỜNG VỤ" and "(Ký, ghi rõ họ tên)"."""
    book = xlsxwriter.Workbook(str(path))
    if hidden_first_sheet:
        old = book.add_worksheet("Cũ")
        old.write_row(0, 0, ["Họ và tên", "Ngày sinh", "Giới tính", "Số quyết định"])
        old.write_row(1, 0, ["Người Ở Trang Ẩn", "01/01/1970", "Nam", "1/QĐ"])
        old.hide()
    sheet = book.add_worksheet("Danh sách")
    if hidden_first_sheet:
        sheet.activate()
    bold = book.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1})
    width = len(header)
    sheet.merge_range(0, 0, 0, min(3, width - 1), "LIÊN ĐOÀN LAO ĐỘNG HUYỆN MỸ ĐỨC", bold)
    sheet.merge_range(1, 0, 1, width - 1, title, bold)
    r = 2
    if subtitle:
        sheet.merge_range(r, 0, r, width - 1, subtitle)
        r += 1
    r += 1  # an empty row
    sheet.write_row(r, 0, header, bold)
    r += 1
    if numbered_columns:
        sheet.write_row(r, 0, [f"({i + 1})" for i in range(width)])
        r += 1
    sections = sections or {}
    for index, values in enumerate(rows):
        if index in sections:
            sheet.write(r, 0, sections[index])
            r += 1
        for col, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    r,
                    col,
                    dt.datetime.combine(value, dt.time()),
                    book.add_format({"num_format": "dd/mm/yyyy"}),
                )
            elif isinstance(value, str):
                sheet.write_string(
                    r, col, value
                )  # as typed, even "=…" (a formula would be written otherwise)
            elif value is not None:
                sheet.write(r, col, value)
        r += 1
    if total:
        sheet.write(r, 0, "Tổng cộng")
        sheet.write(r, width - 1, len(rows))
        r += 1
    if signature:
        r += 1
        sheet.write(r, 1, "NGƯỜI LẬP BIỂU")
        sheet.write(r, width - 2, "TM. BAN THƯỜNG VỤ")
        sheet.write(r + 1, 1, "(Ký, ghi rõ họ tên)")
        sheet.write(r + 1, width - 2, "CHỦ TỊCH")
    book.close()
    return path


def converted(path: Path, extension: str) -> Path:
    """The same workbook saved by LibreOffice as .xls or .ods (next to it)."""
    out_dir = Path(tempfile.mkdtemp(prefix="thidua-convert-"))
    subprocess.run(  # noqa: S603 — LibreOffice on our own test file
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/profile",
            "--convert-to",
            extension,
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / (path.stem + "." + extension)
