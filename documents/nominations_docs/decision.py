"""The quyết định khen thưởng of a decision, with its annex list on a new page."""

from __future__ import annotations

from nominations.choices import SessionState
from nominations.models import (
    Decision,
)

from ..models import DocumentKind
from ..nd30 import Nd30Document
from ..numbering import nd30_date
from ..plans import on_behalf_of
from ..selectors import document_number
from .common import (
    ACHIEVEMENT_PHRASES,
    COUNCIL,
    KIND_PHRASES,
    _counts_text,
    _grouped,
    _heading,
    _rows,
    _short,
    collective_body,
    dossier_basis_date,
    legal_basis_lines,
)

# --- quyết định ------------------------------------------------------------------------------------


def decision_docx(decision: Decision) -> bytes:
    """The commendation decision, signed on behalf of the issuing unit's committee, with the annex list
    of the collectives and individuals awarded on a new page."""
    issuer = decision.issuing_unit
    dossier = decision.dossier
    heading = _heading(issuer)
    records = list(decision.award_records.select_related("award_type", "person", "unit").order_by("pk"))
    rows = _rows(items=records, proposing=dossier.proposing_unit, conferring=issuer)
    body = collective_body(issuer)
    issued = nd30_date(decision.issued_on)
    awards = list(dict.fromkeys(r.award for r in rows))
    doc = Nd30Document(
        governing_body=heading.governing,
        issuer=issuer.name,
        number=f"Số: {decision.number}",
        place_date=f"{heading.place}, {issued}",
        kind="Quyết định",
        summary=f"Về việc {KIND_PHRASES.get(dossier.kind, 'khen thưởng năm')} {dossier.year}",
    )
    doc.centered(f"{body} {issuer.name}".upper(), bold=True, after=12)
    doc.paragraph("Căn cứ Điều lệ Công đoàn Việt Nam;", italic=True)
    for line in legal_basis_lines(dossier_basis_date(dossier, fallback=decision.issued_on)):
        doc.paragraph(line, italic=True)
    session = (
        dossier.council_sessions.filter(state=SessionState.CLOSED, unit=issuer).order_by("-held_on").first()
    )
    if session is not None:
        doc.paragraph(
            f"Căn cứ kết quả họp {COUNCIL} {_short(issuer)} {nd30_date(session.held_on)};", italic=True
        )
    to_trinh = document_number(kind=DocumentKind.TO_TRINH, subject=dossier)
    doc.paragraph(
        f"Xét đề nghị của {dossier.proposing_unit.name}"
        + (f" tại Tờ trình số {to_trinh.notation} {nd30_date(to_trinh.issued_on)}" if to_trinh else "")
        + ".",
        italic=True,
    )
    doc.centered("QUYẾT ĐỊNH:", bold=True, before=6)
    achievement = ACHIEVEMENT_PHRASES.get(dossier.kind, "năm {year}").format(year=dossier.year)
    grants = []
    for award in awards:
        same = [r for r in rows if r.award == award]
        collectives = sum(1 for r in same if r.collective)
        grants.append(f"{award} cho {_counts_text(collectives, len(same) - collectives)}")
    doc.paragraph(
        f"Tặng {'; tặng '.join(grants)} (có danh sách kèm theo) đã có thành tích xuất sắc {achievement}.",
        lead="Điều 1.",
    )
    doc.paragraph(
        "Tiền thưởng kèm theo thực hiện theo quy định hiện hành của Nhà nước và của Tổng Liên đoàn Lao "
        "động Việt Nam.",
        lead="Điều 2.",
    )
    doc.paragraph(
        f"Quyết định có hiệu lực kể từ ngày ký. Văn phòng, các ban của {_short(issuer)}, "
        f"{dossier.proposing_unit.name} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
        "hành Quyết định này./.",
        lead="Điều 3.",
        keep_with_next=True,
    )
    recipients = ["Như Điều 3;"]
    if heading.parent is not None:
        recipients.append(f"{_short(heading.parent)} (để báo cáo);")
    recipients.append("Lưu: VT, TĐKT.")
    doc.closing(
        recipients=recipients,
        on_behalf=on_behalf_of(issuer),
        position=decision.signer_title,
        signer=decision.signer_name,
        keep_together=True,
    )

    doc.page_break()
    title = (
        f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {awards[0].upper()}"
        if len(awards) == 1
        else "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    )
    doc.centered(title, bold=True, after=0)
    doc.centered(
        f"(Kèm theo Quyết định số {decision.number} {issued} của {body} {issuer.name})",
        italic=True,
        after=4,
    )
    doc.rule()
    if len(awards) == 1:
        doc.table(
            ["STT", "Họ và tên (tập thể)", "Chức vụ, đơn vị"],
            _grouped(rows, lambda n, r: [n, r.name, r.place]),
            [13, 62, 90],
            left_columns=(1, 2),
            repeat_header=True,
        )
    else:
        doc.table(
            ["STT", "Họ và tên (tập thể)", "Chức vụ, đơn vị", "Hình thức khen thưởng"],
            _grouped(rows, lambda n, r: [n, r.name, r.place, r.award]),
            [13, 50, 62, 40],
            left_columns=(1, 2, 3),
            repeat_header=True,
        )
    collectives = sum(1 for r in rows if r.collective)
    doc.paragraph(f"Danh sách có {_counts_text(collectives, len(rows) - collectives)}./.", italic=True)
    return doc.to_bytes()
