"""Word documents in the layout of Nghị định 30/2020/NĐ-CP (python-docx).

A4, Times New Roman; margins top/bottom 20 mm, left 30 mm, right 15 mm. The heading is a borderless
two-column table: on the left the governing body (upper case) over the issuing unit (bold, upper case,
a short rule beneath) and "Số: …"; on the right the national title and motto (bold, the motto ruled
beneath) and the place and date in italics. Then the kind of document, the summary, the body, and at the
foot "Nơi nhận:" on the left, the signature block on the right.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = 14
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_MM, RIGHT_MM = 72, TEXT_WIDTH_MM - 72
# A4 landscape (tables, annexes): the portrait margins turned with the page — the binding edge (30 mm)
# is at the top, 15 mm at the bottom, 20 mm at either side.
LANDSCAPE_TEXT_WIDTH_MM = 297 - 20 - 20
LANDSCAPE_LEFT_MM = 100
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _font(run, *, size: float | None = None, bold=None, italic=None, underline=None) -> None:
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _tight(paragraph, *, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=0) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _rule(cell_or_doc, *, width_mm: float, container_mm: float) -> None:
    """A centred horizontal rule `width_mm` long: an empty paragraph with a bottom border and indents."""
    p = cell_or_doc.add_paragraph()
    _tight(p)
    side = max((container_mm - width_mm) / 2, 0)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(3)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _cell_text(cell, text: str, *, size: float, bold=False, italic=False, underline=False, first=False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    _tight(p)
    _font(p.add_run(text), size=size, bold=bold, italic=italic, underline=underline)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


class TableGroup(str):
    """A group heading inside a ruled table ("I. TẬP THỂ"): one bold row across every column."""


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _keep_row_together(row) -> None:
    """The row is never split across two pages (a signature block stays whole)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(30), Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(20)


def _widths(table, widths_mm: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads tblGrid) and in every cell (Word reads tcW)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


class Nd30Document:
    def __init__(
        self,
        *,
        governing_body: str,
        issuer: str,
        number: str,
        place_date: str,
        kind: str,
        summary: str,
        landscape: bool = False,
    ):
        """`number` and `place_date` may both be empty (a list attached to another document): the
        heading then has no second row. `landscape` turns the whole document to A4 landscape."""
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        self.text_width, self.left_width = TEXT_WIDTH_MM, LEFT_MM
        if landscape:
            _landscape(section)
            self.text_width, self.left_width = LANDSCAPE_TEXT_WIDTH_MM, LANDSCAPE_LEFT_MM
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_SIZE)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        self._heading(governing_body, issuer, number, place_date)
        title = self.doc.add_paragraph()
        _tight(title, before=18)
        _font(title.add_run(kind.upper()), size=14, bold=True)
        lines = summary.split("\n")
        for line in lines:
            p = self.doc.add_paragraph()
            _tight(p)
            _font(p.add_run(line), size=14, bold=True)
        _rule(self.doc, width_mm=45, container_mm=self.text_width)
        spacer = self.doc.add_paragraph()
        _tight(spacer, after=6)

    def _heading(self, governing_body: str, issuer: str, number: str, place_date: str) -> None:
        second_row = bool(number or place_date)
        table = self.doc.add_table(rows=2 if second_row else 1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, [self.left_width, self.text_width - self.left_width])
        left, right = table.rows[0].cells
        _cell_text(left, governing_body.upper(), size=12, first=True)
        _cell_text(left, issuer.upper(), size=13, bold=True)
        _rule(left, width_mm=25, container_mm=self.left_width)
        _cell_text(right, NATIONAL_TITLE, size=12, bold=True, first=True)
        _cell_text(right, MOTTO, size=14, bold=True, underline=True)
        if not second_row:
            return
        left2, right2 = table.rows[1].cells
        p = _cell_text(left2, number, size=13, first=True)
        p.paragraph_format.space_before = Pt(6)
        p = _cell_text(right2, place_date, size=14, italic=True, first=True)
        p.paragraph_format.space_before = Pt(6)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        _tight(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6, after=6)
        p.paragraph_format.first_line_indent = Mm(10)
        _font(p.add_run(text), size=BODY_SIZE, bold=True)

    def paragraph(
        self, text: str, *, italic: bool = False, lead: str = "", keep_with_next: bool = False
    ) -> None:
        """A justified body paragraph; `lead` is a bold opening ("Điều 1.") before the text;
        `keep_with_next` keeps the last paragraph on the page of the signature block that follows."""
        p = self.doc.add_paragraph()
        _tight(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
        if keep_with_next:
            p.paragraph_format.keep_with_next = True
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.line_spacing = 1.1
        if lead:
            _font(p.add_run(lead + " "), size=BODY_SIZE, bold=True, italic=italic)
        _font(p.add_run(text), size=BODY_SIZE, italic=italic)

    def centered(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = BODY_SIZE,
        before: float = 0,
        after: float = 6,
    ) -> None:
        """A centred line: "Kính gửi: …", "QUYẾT ĐỊNH:", an annex title or its "(Kèm theo …)" note."""
        p = self.doc.add_paragraph()
        _tight(p, before=before, after=after)
        _font(p.add_run(text), size=size, bold=bold, italic=italic)

    def rule(self, *, width_mm: float = 45) -> None:
        """The short centred rule under a title."""
        _rule(self.doc, width_mm=width_mm, container_mm=self.text_width)
        spacer = self.doc.add_paragraph()
        _tight(spacer, after=6)

    def page_break(self) -> None:
        p = self.doc.add_paragraph()
        _tight(p)
        p.add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        headers: list[str],
        rows: Iterable[Iterable],
        widths_mm: list[float],
        left_columns=(0,),
        *,
        size: float = 13,
        repeat_header: bool = False,
    ) -> None:
        """A ruled table: text columns (`left_columns`) aligned left, the others centred. A row given
        as a `TableGroup` is a bold group heading across the table; `repeat_header` repeats the
        heading row on every page of a long table."""
        rows = [r if isinstance(r, TableGroup) else list(r) for r in rows]
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, widths_mm)
        if repeat_header:
            _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell_text(cell, text, size=size, bold=True, first=True)
        for r, row in enumerate(rows, start=1):
            if isinstance(row, TableGroup):
                cells = table.rows[r].cells
                merged = cells[0].merge(cells[-1])
                p = _cell_text(merged, str(row), size=size, bold=True, first=True)
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
                continue
            for c, (cell, value) in enumerate(zip(table.rows[r].cells, row, strict=True)):
                p = _cell_text(cell, str(value), size=size, first=True)
                if c in left_columns:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        spacer = self.doc.add_paragraph()
        _tight(spacer, after=6)

    def signatures(self, *, left: tuple[str, str], right: tuple[str, str]) -> None:
        """Two signature blocks side by side (minutes: the secretary on the left, the chair on the
        right), each (position, name); no "Nơi nhận"."""
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _keep_row_together(table.rows[0])
        _widths(table, [self.text_width / 2, self.text_width / 2])
        for cell, (position, name) in zip(table.rows[0].cells, (left, right), strict=True):
            _cell_text(cell, position.upper(), size=14, bold=True, first=True)
            _cell_text(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True)
            for _ in range(4):
                _cell_text(cell, "", size=14)
            _cell_text(cell, name or "", size=14, bold=True)

    def closing(
        self,
        *,
        recipients: list[str],
        on_behalf: str,
        position: str,
        signer: str,
        keep_together: bool = False,
    ) -> None:
        """ "Nơi nhận" on the left, the signature block on the right; `keep_together` moves the whole
        block to the next page rather than splitting it."""
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        if keep_together:
            _keep_row_together(table.rows[0])
        _widths(table, [self.text_width / 2, self.text_width / 2])
        left, right = table.rows[0].cells
        if recipients:  # a list attached to another document has no "Nơi nhận"
            p = _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, first=True)
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for item in recipients:
            p = _cell_text(left, f"- {item}", size=11)
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if on_behalf:
            _cell_text(right, on_behalf.upper(), size=14, bold=True, first=True)
            _cell_text(right, position.upper(), size=14, bold=True)
        else:
            _cell_text(right, position.upper(), size=14, bold=True, first=True)
        for _ in range(4):
            _cell_text(right, "", size=14)
        _cell_text(right, signer or "", size=14, bold=True)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
