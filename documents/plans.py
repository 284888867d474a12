"""The movement launch plan (kế hoạch phát động phong trào thi đua) as a Word document (ND30 layout)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from commendations.selectors import RuleSetNotFound, ruleset_for
from core import numbers
from members.choices import UnionRole
from members.models import Membership
from movements.choices import Audience, MilestoneKind
from movements.models import Movement
from organizations.abbreviations import issuer_abbreviation
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

from .models import DocumentKind, DocumentNumber
from .nd30 import Nd30Document
from .numbering import nd30_date, place_name

AUDIENCE_TEXT = {
    Audience.ALL: "toàn thể cán bộ, đoàn viên, công nhân, viên chức, lao động và các tập thể",
    Audience.WOMEN: "nữ cán bộ, đoàn viên, công nhân, viên chức, lao động",
    Audience.INDIVIDUALS: "cán bộ, đoàn viên, công nhân, viên chức, lao động",
    Audience.COLLECTIVES: "các công đoàn cơ sở và tập thể",
}


def on_behalf_of(unit: OrgUnit) -> str:
    """The collective body that signs: the standing committee above grassroots, the executive committee
    of a grassroots union."""
    return "TM. BAN CHẤP HÀNH" if unit.unit_type.rank >= 40 else "TM. BAN THƯỜNG VỤ"


def unit_chair(unit: OrgUnit) -> str:
    membership = (
        Membership.objects.filter(unit=unit, union_role=UnionRole.CHU_TICH, ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return membership.person.full_name if membership else ""


def plan_citations(on: dt.date) -> list[str]:
    """The legal basis a plan issued on `on` cites: that of the rule set in force (R-GEN-02); none when no
    rule set covers the date (a plan, unlike a dossier, may predate every rule set)."""
    try:
        return ruleset_for(received_on=on).citations
    except RuleSetNotFound:
        return []


def movement_subject(movement: Movement) -> str:
    name = movement.name.strip()
    return name[0].lower() + name[1:] if name[:1].isupper() and not name.startswith("“") else name


def fmt_number(value) -> str:
    return "" if value is None else numbers.fmt_number(value)


@dataclass
class Signature:
    on_behalf: str = ""
    position: str = "CHỦ TỊCH"
    signer: str = ""
    recipients: list[str] = field(default_factory=list)


def default_signature(unit: OrgUnit, parent: OrgUnit | None) -> Signature:
    recipients = []
    if parent is not None:
        recipients.append(f"{parent.short_name or parent.name} (để báo cáo);")
    recipients += [
        "Thường trực, các ban (để chỉ đạo);",
        "Các công đoàn cơ sở trực thuộc (để thực hiện);",
        "Lưu: VT, TĐKT.",
    ]
    return Signature(on_behalf_of(unit), "CHỦ TỊCH", unit_chair(unit), recipients)


def heading_parts(unit: OrgUnit) -> tuple[OrgUnit | None, str, list[OrgUnit]]:
    ancestors_by_path = orgunit_ancestors(units=[unit])
    ancestors = [ancestors_by_path[p] for p in unit.ancestor_paths() if p in ancestors_by_path]
    parent = ancestors[-1] if ancestors else None
    return parent, (parent.name if parent else ""), ancestors


def movement_plan_docx(
    movement: Movement, *, number: DocumentNumber | None = None, signature: Signature | None = None
) -> bytes:
    unit = movement.organiser
    parent, governing, ancestors = heading_parts(unit)
    signature = signature or default_signature(unit, parent)
    issued_on = (
        number.issued_on if number else (movement.launched_on or movement.start_date or timezone.localdate())
    )
    number_text = (
        f"Số: {number.notation}"
        if number
        else f"Số:      /{DocumentKind.KE_HOACH.value}-{issuer_abbreviation(unit)}"
    )
    subject = movement_subject(movement)
    doc = Nd30Document(
        governing_body=governing,
        issuer=unit.short_name or unit.name,
        number=number_text,
        place_date=f"{place_name(unit, ancestors)}, {nd30_date(issued_on)}",
        kind="Kế hoạch",
        summary=f"Phát động {subject}",
    )
    unit_name = unit.short_name or unit.name
    grounds = [f"căn cứ {text}" for text in plan_citations(issued_on)]
    grounds.append(
        f"căn cứ chương trình công tác năm {movement.year}"
        + (f" của {parent.short_name or parent.name}" if parent else "")
    )
    sentence = "; ".join(grounds)
    doc.paragraph(
        f"{sentence[0].upper()}{sentence[1:]}, {unit_name} xây dựng Kế hoạch phát động {subject} như sau:"
    )
    doc.heading("I. MỤC ĐÍCH, YÊU CẦU")
    for line in [part.strip() for part in (movement.description or "").splitlines() if part.strip()]:
        doc.paragraph(line)
    doc.paragraph(
        "Phong trào thi đua phải được triển khai sâu rộng, thiết thực, gắn với nhiệm vụ chính trị của từng "
        "cơ quan, đơn vị; việc đăng ký, đánh giá, khen thưởng bảo đảm công khai, dân chủ, đúng người, đúng "
        "thành tích."
    )
    doc.heading("II. ĐỐI TƯỢNG, THỜI GIAN THI ĐUA")
    doc.paragraph(f"1. Đối tượng: {AUDIENCE_TEXT.get(movement.audience, movement.get_audience_display())}.")
    doc.paragraph(
        f"2. Thời gian: từ ngày {movement.start_date:%d/%m/%Y} đến ngày {movement.end_date:%d/%m/%Y}."
    )
    targets = list(movement.targets.all())
    doc.heading("III. CHỈ TIÊU THI ĐUA")
    if targets:
        doc.table(
            ["STT", "Chỉ tiêu", "Đơn vị tính", "Mức phấn đấu"],
            [
                [i, t.name, t.unit_of_measure, fmt_number(t.target_value)]
                for i, t in enumerate(targets, start=1)
            ],
            [14, 96, 27, 28],
            left_columns=(1,),
        )
    else:
        doc.paragraph("Các đơn vị xây dựng chỉ tiêu cụ thể phù hợp với nhiệm vụ được giao.")
    doc.heading("IV. CÁC MỐC THỰC HIỆN")
    milestones = sorted(movement.milestones.all(), key=lambda m: m.due_on)
    stage_text = {
        MilestoneKind.LAUNCH: "Phát động phong trào, các đơn vị tổ chức cho đoàn viên và tập thể đăng ký thi đua",
        MilestoneKind.MIDYEAR: "Sơ kết, các đơn vị gửi báo cáo kết quả thực hiện các chỉ tiêu",
        MilestoneKind.FINAL: "Tổng kết, bình xét và đề nghị khen thưởng",
    }
    for m in milestones:
        doc.paragraph(f"- Ngày {m.due_on:%d/%m/%Y}: {stage_text.get(m.kind, m.get_kind_display())}.")
    doc.heading("V. TỔ CHỨC THỰC HIỆN")
    doc.paragraph(
        f"1. {unit_name} hướng dẫn, theo dõi, đôn đốc việc thực hiện; tổng hợp kết quả sơ kết, tổng kết "
        "và đề xuất khen thưởng các tập thể, cá nhân tiêu biểu."
    )
    doc.paragraph(
        "2. Các công đoàn cơ sở trực thuộc xây dựng kế hoạch cụ thể, tổ chức cho đoàn viên, người lao động "
        "đăng ký thi đua và gửi báo cáo đúng các mốc thời gian trên."
    )
    doc.paragraph(
        f"Trên đây là Kế hoạch phát động {subject} của {unit_name}; đề nghị các đơn vị nghiêm túc triển khai "
        "thực hiện."
    )
    doc.closing(
        recipients=signature.recipients,
        on_behalf=signature.on_behalf,
        position=signature.position,
        signer=signature.signer,
    )
    return doc.to_bytes()
