"""Giấy khen / Bằng khen printed on a pre-printed blank: only the variable fields, at positions in millimetres.

Unions buy blanks with the border, the emblem, the national motto and the title already printed. A
`CertificateLayout` says where each variable field goes on the unit's blank (x, y of the first line's
baseline measured from the top-left corner of the sheet, width of the box the text wraps in, font size,
bold / italic, alignment). This module holds the field catalogue and the default positions, builds the
texts of a certificate from an award record, and draws the PDF with ReportLab (exact millimetres, no
LibreOffice). Two outputs: the print (fields only, for the real blank) and the trial print ("in thử": the
fields plus a drawn outline of a generic blank, a millimetre ruler and grid, and the box of each field,
to print on plain paper and hold against the blank).

Fonts: Liberation Serif (metric-compatible with Times New Roman, SIL Open Font License), vendored in
`documents/fonts/` and embedded as TrueType subsets, so every Vietnamese diacritic prints.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from commendations.choices import AwardKind

from .models import PAPER_MM, PaperSize
from .numbering import nd30_date, place_name

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    (False, False): ("ThiduaSerif", "LiberationSerif-Regular.ttf"),
    (True, False): ("ThiduaSerif-Bold", "LiberationSerif-Bold.ttf"),
    (False, True): ("ThiduaSerif-Italic", "LiberationSerif-Italic.ttf"),
    (True, True): ("ThiduaSerif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
}
LINE_HEIGHT = 1.2  # leading, in multiples of the font size

ALIGNMENTS = {"L": "trái", "C": "giữa", "R": "phải"}
SIZE_RANGE = (6.0, 72.0)  # font size, points
MIN_WIDTH = 5.0  # millimetres


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    help: str


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("issuer", "Cơ quan tặng", "“CHỦ TỊCH LIÊN ĐOÀN LAO ĐỘNG HUYỆN …”"),
    FieldSpec("presents", "Chữ “Tặng”", "Bỏ chọn “In” nếu phôi đã in sẵn chữ này."),
    FieldSpec("recipient", "Họ và tên", "“Ông/Bà …” hoặc tên tập thể"),
    FieldSpec("unit_line", "Đơn vị, chức vụ", "Chức vụ và đơn vị của cá nhân; đơn vị cấp trên của tập thể"),
    FieldSpec("achievement", "Thành tích", "Tự xuống dòng trong độ rộng đã đặt"),
    FieldSpec("award_year", "Danh hiệu, năm", "“Đạt danh hiệu … năm …” hoặc “Năm …”"),
    FieldSpec("decision", "Số, ngày quyết định", "“Quyết định số …, ngày …”"),
    FieldSpec("place_date", "Địa danh, ngày tháng", "“Mỹ Đức, ngày … tháng … năm …”"),
    FieldSpec("signer_title", "Chức vụ người ký", "“CHỦ TỊCH”"),
    FieldSpec("signer_name", "Họ tên người ký", ""),
    FieldSpec("register", "Số sổ", "“Số sổ: …”"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
FIELD_LABELS = {f.key: f.label for f in FIELDS}


def _pos(x, y, w, size, *, bold=False, italic=False, align="C", show=True) -> dict:
    return {
        "x": x,
        "y": y,
        "w": w,
        "size": size,
        "bold": bold,
        "italic": italic,
        "align": align,
        "show": show,
    }


# Positions on a standard A4-landscape blank (297 × 210 mm): motto and title pre-printed in the top third,
# the body centred, the decision and register number bottom left, the signature bottom right.
BASE_FIELDS: dict[str, dict] = {
    "issuer": _pos(30, 70, 237, 15, bold=True),
    "presents": _pos(30, 80, 237, 14, italic=True),
    "recipient": _pos(30, 94, 237, 22, bold=True),
    "unit_line": _pos(30, 104, 237, 14),
    "achievement": _pos(40, 115, 217, 14, italic=True),
    "award_year": _pos(40, 134, 217, 14, bold=True),
    "decision": _pos(22, 168, 115, 12, italic=True, align="L"),
    "place_date": _pos(160, 148, 115, 13, italic=True),
    "signer_title": _pos(160, 156, 115, 13, bold=True),
    "signer_name": _pos(160, 188, 115, 14, bold=True),
    "register": _pos(22, 175, 115, 12, align="L"),
}
BASE_PAGE = PAPER_MM[PaperSize.A4_LANDSCAPE]


def _scales(paper: str) -> tuple[float, float, float]:
    return _scales_for(*PAPER_MM.get(paper, BASE_PAGE))


def _half(value: float) -> float:
    return round(value * 2) / 2


def default_fields(paper: str = PaperSize.A4_LANDSCAPE) -> dict[str, dict]:
    """The default positions for a paper size (the A4-landscape ones scaled to the sheet)."""
    sx, sy, sf = _scales(paper)
    return {
        key: {
            **pos,
            "x": _half(pos["x"] * sx),
            "y": _half(pos["y"] * sy),
            "w": _half(pos["w"] * sx),
            "size": _half(pos["size"] * sf),
        }
        for key, pos in BASE_FIELDS.items()
    }


# --- texts ---------------------------------------------------------------------------------------------


@dataclass
class CertificatePage:
    """What one page prints: the title of the blank (trial print only) and the text of each field."""

    title: str
    texts: dict[str, str]


def blank_title(award_type) -> str:
    name = (award_type.name if award_type else "").lower()
    return "BẰNG KHEN" if name.startswith("bằng khen") else "GIẤY KHEN"


def issuer_line(layout) -> str:
    return layout.issuer_text.strip() or f"CHỦ TỊCH {layout.issuer.name.upper()}"


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".;, ")
    return text[:1].upper() + text[1:]


def _achievement(summary: str, year: int) -> str:
    text = _sentence(summary)
    if not text:
        return f"Đã có thành tích xuất sắc trong phong trào thi đua và hoạt động Công đoàn năm {year}"
    if text.lower().endswith(" năm"):
        text = f"{text} {year}"
    return text


def _award_year(award_type, year: int, achievement: str) -> str:
    if award_type.kind == AwardKind.TITLE:
        return f"Đạt danh hiệu “{award_type.name}” năm {year}"
    return "" if str(year) in achievement else f"Năm {year}"


def _unit_line_person(record, membership, ancestors: dict) -> str:
    from members.selectors import grassroots_of

    parts = []
    if membership is not None and membership.job_title:
        parts.append(membership.job_title.strip())
    unit = record.scope_unit
    parts.append(unit.name)
    grassroots = grassroots_of(unit, ancestors)
    if grassroots is not None and grassroots.pk != unit.pk:
        parts.append(grassroots.name)
    return ", ".join(parts)


def _unit_line_collective(unit, ancestors: dict) -> str:
    paths = unit.ancestor_paths()
    parent = ancestors.get(paths[-1]) if paths else None
    return parent.name if parent else ""


def record_page(record, *, layout, decision=None, membership=None, ancestors: dict) -> CertificatePage:
    """The texts of the certificate of one award record.

    `ancestors` maps paths to units (`organizations.selectors.orgunit_ancestors`) for the issuer, the
    record's unit; `membership` is the person's current membership (for the job title)."""
    issuer = record.issuing_unit
    issuer_ancestors = [ancestors[p] for p in issuer.ancestor_paths() if p in ancestors]
    achievement = _achievement(record.achievement_summary, record.year)
    if record.person_id:
        person = record.person
        recipient = f"{'Ông' if person.gender == 'M' else 'Bà'} {person.full_name}"
        unit_line = _unit_line_person(record, membership, ancestors)
    else:
        recipient = record.unit.name
        unit_line = _unit_line_collective(record.unit, ancestors)
    signer_title = (decision.signer_title if decision else "") or layout.signer_title or "CHỦ TỊCH"
    signer_name = (decision.signer_name if decision else "") or layout.signer_name
    texts = {
        "issuer": issuer_line(layout),
        "presents": "Tặng",
        "recipient": recipient,
        "unit_line": unit_line,
        "achievement": achievement,
        "award_year": _award_year(record.award_type, record.year, achievement),
        "decision": f"Quyết định số {record.decision_number}, ngày {record.decision_date:%d/%m/%Y}",
        "place_date": f"{place_name(issuer, issuer_ancestors)}, {nd30_date(record.decision_date)}",
        "signer_title": signer_title.upper(),
        "signer_name": signer_name,
        "register": f"Số sổ: {record.pk}",
    }
    return CertificatePage(title=blank_title(record.award_type), texts=texts)


def sample_page(layout, *, ancestors: dict, today: dt.date) -> CertificatePage:
    """Texts of the trial print of a layout: made-up recipient, the real issuer (long, realistic lines)."""
    issuer = layout.issuer
    issuer_ancestors = [ancestors[p] for p in issuer.ancestor_paths() if p in ancestors]
    year = today.year - 1
    achievement = (
        f"Đã có thành tích xuất sắc trong phong trào thi đua “Lao động giỏi, Lao động sáng tạo” "
        f"và xây dựng tổ chức Công đoàn vững mạnh năm {year}"
    )
    award = layout.award_type
    texts = {
        "issuer": issuer_line(layout),
        "presents": "Tặng",
        "recipient": "Bà Nguyễn Thị Hương",
        "unit_line": f"Chuyên viên Phòng Nội vụ, Công đoàn cơ quan {issuer.short_name or issuer.name}",
        "achievement": achievement,
        "award_year": _award_year(award, year, achievement) if award else "",
        "decision": f"Quyết định số 125/QĐ-LĐLĐ, ngày {today:%d/%m/%Y}",
        "place_date": f"{place_name(issuer, issuer_ancestors)}, {nd30_date(today)}",
        "signer_title": (layout.signer_title or "CHỦ TỊCH").upper(),
        "signer_name": layout.signer_name or "Nguyễn Văn Thành",
        "register": "Số sổ: 0125",
    }
    return CertificatePage(title=blank_title(award), texts=texts)


# --- drawing -------------------------------------------------------------------------------------------

_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    for name, filename in FONT_FILES.values():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    registerFontFamily(
        "ThiduaSerif",
        normal="ThiduaSerif",
        bold="ThiduaSerif-Bold",
        italic="ThiduaSerif-Italic",
        boldItalic="ThiduaSerif-BoldItalic",
    )
    _registered = True


def font_name(bold: bool, italic: bool) -> str:
    return FONT_FILES[(bool(bold), bool(italic))][0]


def field_lines(text: str, pos: dict) -> list[str]:
    """The text wrapped in the field's width (explicit line breaks kept)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            simpleSplit(paragraph, font_name(pos["bold"], pos["italic"]), pos["size"], pos["w"] * mm) or [""]
        )
    return lines


GRID = Color(0.6, 0.75, 0.92, alpha=0.45)
GRID_MAJOR = Color(0.35, 0.55, 0.85, alpha=0.7)
BLANK = Color(0.6, 0.6, 0.6)
BOX = Color(0.85, 0.3, 0.2)


def _draw_field(canvas: Canvas, page_h: float, text: str, pos: dict) -> int:
    if not text:
        return 0
    lines = field_lines(text, pos)
    canvas.setFont(font_name(pos["bold"], pos["italic"]), pos["size"])
    leading = pos["size"] * LINE_HEIGHT
    x, w = pos["x"] * mm, pos["w"] * mm
    for index, line in enumerate(lines):
        baseline = (page_h - pos["y"]) * mm - index * leading
        if pos["align"] == "L":
            canvas.drawString(x, baseline, line)
        elif pos["align"] == "R":
            canvas.drawRightString(x + w, baseline, line)
        else:
            canvas.drawCentredString(x + w / 2, baseline, line)
    return len(lines)


def _draw_box(canvas: Canvas, page_h: float, label: str, pos: dict, lines: int) -> None:
    """Trial print: the field's box (dashed) from the cap height of its first line to the descent of the
    last, its label above, and a tick at the baseline origin."""
    size = pos["size"]
    top = (page_h - pos["y"]) * mm + size * 0.75
    bottom = (page_h - pos["y"]) * mm - (max(lines, 1) - 1) * size * LINE_HEIGHT - size * 0.25
    canvas.saveState()
    canvas.setStrokeColor(BOX)
    canvas.setFillColor(BOX)
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 2)
    canvas.rect(pos["x"] * mm, bottom, pos["w"] * mm, top - bottom)
    canvas.setDash()
    canvas.setFont("ThiduaSerif-Italic", 6)
    canvas.drawString(pos["x"] * mm + 1, top + 1.2, f"{label} (X {pos['x']:g}, Y {pos['y']:g})")
    canvas.restoreState()


def _draw_blank(canvas: Canvas, width: float, height: float, title: str) -> None:
    """Trial print: a generic blank — double border, emblem, motto and title — scaled to the sheet."""
    sx, sy, sf = _scales_for(width, height)
    canvas.saveState()
    canvas.setStrokeColor(BLANK)
    canvas.setFillColor(BLANK)
    canvas.setLineWidth(1.2)
    canvas.rect(8 * mm, 8 * mm, (width - 16) * mm, (height - 16) * mm)
    canvas.setLineWidth(0.4)
    canvas.rect(11 * mm, 11 * mm, (width - 22) * mm, (height - 22) * mm)
    centre = width / 2 * mm
    canvas.circle(centre, (height - 20 * sy) * mm, 7 * sf * mm)
    canvas.setFont("ThiduaSerif", 6 * sf)
    canvas.drawCentredString(centre, (height - 20.8 * sy) * mm, "biểu trưng")
    canvas.setFont("ThiduaSerif-Bold", 12 * sf)
    canvas.drawCentredString(centre, (height - 34 * sy) * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont("ThiduaSerif-Bold", 12.5 * sf)
    canvas.drawCentredString(centre, (height - 40 * sy) * mm, "Độc lập - Tự do - Hạnh phúc")
    canvas.setFont("ThiduaSerif-Bold", 32 * sf)
    canvas.drawCentredString(centre, (height - 56 * sy) * mm, title)
    canvas.restoreState()


def _scales_for(width: float, height: float) -> tuple[float, float, float]:
    """(x, y, font) factors from the A4-landscape sheet: fonts grow on A3, never shrink on a portrait
    sheet."""
    sx, sy = width / BASE_PAGE[0], height / BASE_PAGE[1]
    return sx, sy, max(1.0, min(sx, sy))


def _draw_grid(canvas: Canvas, width: float, height: float) -> None:
    """Trial print: a light grid every 10 mm and rulers with a tick every millimetre on the top and left
    edges, numbered every 10 mm (distances from the top-left corner, as in the layout)."""
    canvas.saveState()
    canvas.setLineWidth(0.2)
    canvas.setStrokeColor(GRID)
    for x in range(10, int(width) + 1, 10):
        canvas.line(x * mm, 0, x * mm, height * mm)
    for y in range(10, int(height) + 1, 10):
        canvas.line(0, (height - y) * mm, width * mm, (height - y) * mm)
    canvas.setStrokeColor(GRID_MAJOR)
    canvas.setFillColor(GRID_MAJOR)
    canvas.setFont("ThiduaSerif", 5.5)
    for x in range(0, int(width) + 1):
        tick = 4 if x % 10 == 0 else (2.5 if x % 5 == 0 else 1.2)
        canvas.line(x * mm, height * mm, x * mm, (height - tick) * mm)
        if x % 10 == 0 and 0 < x < width - 3:
            canvas.drawCentredString(x * mm, (height - 6.2) * mm, str(x))
    for y in range(0, int(height) + 1):
        tick = 4 if y % 10 == 0 else (2.5 if y % 5 == 0 else 1.2)
        canvas.line(0, (height - y) * mm, tick * mm, (height - y) * mm)
        if y % 10 == 0 and 0 < y < height - 3:
            canvas.drawString(4.6 * mm, (height - y) * mm - 2, str(y))
    canvas.restoreState()


def render_pdf(pages: list[tuple[object, CertificatePage]], *, trial: bool = False, title: str = "") -> bytes:
    """One PDF page per (layout, texts). `trial`: add the generic blank, the grid and the field boxes."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1, initialFontName="ThiduaSerif", initialFontSize=12)
    canvas.setTitle(title or ("In thử giấy khen" if trial else "Giấy khen"))
    canvas.setCreator("thidua")
    for layout, page in pages:
        width, height = layout.page_mm
        positions = layout_positions(layout)
        canvas.setPageSize((width * mm, height * mm))
        if trial:
            _draw_grid(canvas, width, height)
            _draw_blank(canvas, width, height, page.title)
            canvas.saveState()
            canvas.setFillColor(BOX)
            canvas.setFont("ThiduaSerif-Italic", 7)
            canvas.drawCentredString(
                width / 2 * mm,
                4 * mm,
                "IN THỬ trên giấy trắng: đặt lên phôi, soi trước ánh sáng rồi chỉnh tọa độ các trường "
                "(khung nét đứt) trong mẫu in.",
            )
            canvas.restoreState()
        for spec in FIELDS:
            pos = positions[spec.key]
            if not pos["show"]:
                continue
            lines = _draw_field(canvas, height, page.texts.get(spec.key, ""), pos)
            if trial:
                _draw_box(canvas, height, spec.label, pos, lines)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def layout_positions(layout) -> dict[str, dict]:
    """The layout's positions, completed with the defaults of its paper for any missing field."""
    defaults = default_fields(layout.paper)
    stored = layout.fields or {}
    return {key: {**defaults[key], **(stored.get(key) or {})} for key in FIELD_KEYS}
