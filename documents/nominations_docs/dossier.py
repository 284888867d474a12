"""The tờ trình of a dossier and its danh sách đề nghị (A4 landscape, I. Tập thể / II. Cá nhân)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from nominations.models import (
    Dossier,
)
from organizations.abbreviations import issuer_abbreviation

from ..models import DocumentKind, DocumentNumber
from ..nd30 import Nd30Document
from ..numbering import nd30_date
from ..plans import on_behalf_of, unit_chair
from .common import (
    KIND_PHRASES,
    _counts_text,
    _dossier_items,
    _grouped,
    _heading,
    _number_text,
    _proposed_to,
    _rows,
    _short,
    award_phrase,
    collective_body,
    dossier_basis_date,
    legal_basis_lines,
)

# --- tờ trình --------------------------------------------------------------------------------------


def to_trinh_summary(dossier: Dossier) -> str:
    return f"V/v đề nghị {KIND_PHRASES.get(dossier.kind, 'khen thưởng năm')} {dossier.year}"


def _draft_date(dossier: Dossier) -> dt.date:
    return timezone.localtime(dossier.submitted_at).date() if dossier.submitted_at else timezone.localdate()


def dossier_to_trinh_docx(dossier: Dossier, *, number: DocumentNumber | None = None) -> bytes:
    """The cover letter of a dossier, from the proposing unit to its parent, signed by the unit's chair."""
    unit = dossier.proposing_unit
    heading = _heading(unit)
    items = _dossier_items(dossier)
    to = _proposed_to(dossier, heading)
    conferring = dossier.authority
    issued_on = number.issued_on if number else _draft_date(dossier)
    doc = Nd30Document(
        governing_body=heading.governing,
        issuer=unit.name,
        number=_number_text(number, DocumentKind.TO_TRINH.value, unit),
        place_date=f"{heading.place}, {nd30_date(issued_on)}",
        kind="Tờ trình",
        summary=to_trinh_summary(dossier),
    )
    if to is not None:
        doc.centered(f"Kính gửi: {collective_body(to)} {to.name}", before=0, after=12)
    for line in legal_basis_lines(dossier_basis_date(dossier, fallback=issued_on)):
        doc.paragraph(line)
    doc.paragraph(f"Căn cứ kết quả bình xét thi đua, khen thưởng năm {dossier.year} của {unit.name},")
    by_award: dict[str, Counter] = {}
    for item in items:
        key = award_phrase(item.award_type, conferring)
        by_award.setdefault(key, Counter())["collective" if item.unit_id else "person"] += 1
    collectives = sum(c["collective"] for c in by_award.values())
    individuals = sum(c["person"] for c in by_award.values())
    asked = f"{collective_body(to)} {to.name}" if to is not None else "cấp có thẩm quyền"
    doc.paragraph(
        f"{unit.name} kính đề nghị {asked} xem xét, "
        + (
            f"đề nghị {conferring.name} khen thưởng"
            if conferring is not None and to is not None and conferring.pk != to.pk
            else "khen thưởng"
        )
        + f" cho {_counts_text(collectives, individuals)} đã có thành tích xuất sắc năm {dossier.year}, "
        "cụ thể như sau:"
    )
    for n, (award, counts) in enumerate(by_award.items(), start=1):
        doc.paragraph(f"{n}. {award}: {_counts_text(counts['collective'], counts['person'])}.")
    doc.paragraph(
        "(Có danh sách trích ngang và báo cáo tóm tắt thành tích của các tập thể, cá nhân kèm theo)",
        italic=True,
    )
    doc.paragraph(f"Kính đề nghị {asked} xem xét, quyết định./.", keep_with_next=True)
    recipients = ["Như trên;"]
    if conferring is not None and to is not None and conferring.pk != to.pk:
        recipients.append(f"{_short(conferring)} (để báo cáo);")
    recipients.append("Lưu: VT.")
    doc.closing(
        recipients=recipients,
        on_behalf=on_behalf_of(unit),
        position="CHỦ TỊCH",
        signer=unit_chair(unit),
        keep_together=True,
    )
    return doc.to_bytes()


# --- danh sách -------------------------------------------------------------------------------------


def dossier_danh_sach_docx(dossier: Dossier, *, number: DocumentNumber | None = None) -> bytes:
    """The list of nominees (A4 landscape), attached to the tờ trình numbered `number`."""
    unit = dossier.proposing_unit
    heading = _heading(unit)
    items = _dossier_items(dossier)
    doc = Nd30Document(
        governing_body=heading.governing,
        issuer=unit.name,
        number="",
        place_date="",
        kind="Danh sách",
        summary=f"Đề nghị {KIND_PHRASES.get(dossier.kind, 'khen thưởng năm')} {dossier.year}",
        landscape=True,
    )
    if number:
        reference = f"Tờ trình số {number.notation} {nd30_date(number.issued_on)}"
    else:
        reference = (
            f"Tờ trình số      /{DocumentKind.TO_TRINH.value}-{issuer_abbreviation(unit)} "
            f"ngày      tháng      năm {_draft_date(dossier).year}"
        )
    doc.centered(f"(Kèm theo {reference} của {unit.name})", italic=True, after=12)
    rows = _rows(items=items, proposing=unit, conferring=dossier.authority)
    doc.table(
        ["STT", "Họ và tên (tập thể)", "Chức vụ, đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"],
        _grouped(rows, lambda n, r: [n, r.name, r.place, r.award, r.summary]),
        [13, 50, 66, 50, 78],
        left_columns=(1, 2, 3, 4),
        size=12,
        repeat_header=True,
    )
    collectives = sum(1 for r in rows if r.collective)
    doc.paragraph(
        f"Danh sách có {_counts_text(collectives, len(rows) - collectives)} được đề nghị khen thưởng./.",
        italic=True,
        keep_with_next=True,
    )
    doc.closing(
        recipients=[],
        on_behalf=on_behalf_of(unit),
        position="CHỦ TỊCH",
        signer=unit_chair(unit),
        keep_together=True,
    )
    return doc.to_bytes()
