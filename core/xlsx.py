"""The one writer of .xlsx files (XlsxWriter). Every workbook the project creates is made here.

A cell is never "guessed": XlsxWriter's `write()` turns a text starting with "=" into a live formula and
recognises URLs and numbers, so a unit or person named `=HYPERLINK("http://…","x")`, `+1+2` or
`@SUM(A1)` would run in the reader's spreadsheet (formula injection). Here text is always written with
`write_string`, numbers with `write_number`, dates with `write_datetime`, and every workbook is opened
with `strings_to_formulas`, `strings_to_urls` and `strings_to_numbers` off as a second guard. No method
writes a formula or a hyperlink. `core/tests/test_xlsx.py` fails if `xlsxwriter.Workbook(` appears
anywhere else in the project.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import xlsxwriter

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
DATE_FORMAT = "dd/mm/yyyy"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str) -> str:
    """A valid worksheet name (at most 31 characters, none of []:*?/\\, not starting or ending with ')."""
    name = _SHEET_NAME_BAD.sub("-", str(text)).strip("'")[:31]
    return name or "Sheet1"


class Sheet:
    """A worksheet that writes cells by the Python type of the value, text always as text."""

    def __init__(self, book: Workbook, worksheet):
        self._book = book
        self._ws = worksheet

    def cell(self, row: int, col: int, value: Any, fmt=None) -> None:
        """None or "" → an empty cell (with `fmt`, if given); bool → boolean; int, float, Decimal →
        number; datetime/date → date (formatted dd/mm/yyyy unless `fmt` is given); anything else → its
        text, as a string cell."""
        ws = self._ws
        if value is None or value == "":
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float | Decimal):
            ws.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value.replace(tzinfo=None), fmt or self._book.date_format)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt or self._book.date_format)
        else:
            ws.write_string(row, col, str(value), fmt)

    def text(self, row: int, col: int, value: Any, fmt=None) -> None:
        """Always a string cell (a number-like code such as a card number keeps its leading zeros)."""
        self._ws.write_string(row, col, "" if value is None else str(value), fmt)

    def row(self, row: int, col: int, values: Iterable[Any], fmt=None) -> None:
        for offset, value in enumerate(values):
            self.cell(row, col + offset, value, fmt)

    def merge(
        self, first_row: int, first_col: int, last_row: int, last_col: int, value: Any, fmt=None
    ) -> None:
        """A merged range holding `value`, written by `cell` (merge_range would guess its type)."""
        self._ws.merge_range(first_row, first_col, last_row, last_col, "", fmt)
        self.cell(first_row, first_col, value, fmt)

    # layout only (no cell content): passed through to the worksheet
    def set_column(self, first_col: int, last_col: int, width: float | None = None, fmt=None) -> None:
        self._ws.set_column(first_col, last_col, width, fmt)

    def set_row(self, row: int, height: float | None = None, fmt=None) -> None:
        self._ws.set_row(row, height, fmt)

    def freeze_panes(self, row: int, col: int) -> None:
        self._ws.freeze_panes(row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self._ws.autofilter(first_row, first_col, last_row, last_col)

    def page_setup(
        self, *, paper: int = 9, portrait: bool = True, fit_width: int | None = None, margins=None
    ):
        self._ws.set_paper(paper)
        if portrait:
            self._ws.set_portrait()
        else:
            self._ws.set_landscape()
        if fit_width is not None:
            self._ws.fit_to_pages(fit_width, 0)
        if margins:
            self._ws.set_margins(**margins)


class Workbook:
    """`book = Workbook(); sheet = book.sheet("Tên"); sheet.cell(0, 0, value); data = book.close()`."""

    def __init__(self, *, constant_memory: bool = False):
        self._buffer = io.BytesIO()
        options = dict(OPTIONS)
        if constant_memory:  # rows written in order, each flushed: big exports in little memory
            options = {**options, "in_memory": False, "constant_memory": True}
        self._book = xlsxwriter.Workbook(self._buffer, options)
        self.date_format = self._book.add_format({"num_format": DATE_FORMAT})

    def format(self, props: dict | None = None, **extra):
        return self._book.add_format({**(props or {}), **extra})

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, self._book.add_worksheet(sheet_name(name)))

    def close(self) -> bytes:
        self._book.close()
        return self._buffer.getvalue()
