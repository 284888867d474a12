"""Official documents generated from nominations data, in the layout of Nghị định 30/2020/NĐ-CP.

- Tờ trình of a dossier: the proposing unit asks its parent to propose / confer the awards.
- Danh sách đề nghị of a dossier: the ruled list of nominees (A4 landscape), grouped by collectives and
  individuals, attached to the tờ trình.
- Biên bản of a closed council session: attendance and the vote per nominee, counted by
  `nominations.services.tally` — only counts: a ballot is never related to a voter.
- Quyết định of a decision with its annex list on a new page.

The builders are pure: they take model objects, read what they need in a fixed number of queries (the
vote count is `tally`, two small queries per nominee) and return the .docx bytes. The only write here
is `dossier_number_allocate` (the tờ trình's number, through `documents.services.number_allocate`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from commendations.engine.declarations import declaration as award_declaration
from commendations.selectors import ruleset_for
from core.access import Action, require
from core.exceptions import ServiceError
from members.choices import UnionRole
from members.models import Membership
from nominations.choices import CouncilRole, DossierKind, SessionState
from nominations.eligibility import vote_threshold
from nominations.models import (
    BallotReceipt,
    CouncilMember,
    CouncilSession,
    Decision,
    Dossier,
    NominationItem,
)
from nominations.services import tally
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

from .models import DocumentKind, DocumentNumber
from .nd30 import Nd30Document, TableGroup
from .numbering import issuer_abbreviation, nd30_date, place_name
from .plans import on_behalf_of, unit_chair
from .selectors import document_number

COUNCIL = "Hội đồng Thi đua - Khen thưởng"

# "đề nghị khen thưởng tổng kết năm 2024" — the kind of dossier as a phrase, before the year
KIND_PHRASES = {
    DossierKind.YEARLY: "khen thưởng tổng kết năm",
    DossierKind.THEMATIC: "khen thưởng chuyên đề năm",
    DossierKind.SUDDEN: "khen thưởng đột xuất năm",
    DossierKind.LONG_SERVICE: "khen thưởng quá trình cống hiến năm",
}
# the achievement the decision rewards ("đã có thành tích xuất sắc …")
ACHIEVEMENT_PHRASES = {
    DossierKind.YEARLY: "trong thực hiện nhiệm vụ và phong trào thi đua năm {year}",
    DossierKind.THEMATIC: "trong phong trào thi đua chuyên đề năm {year}",
    DossierKind.SUDDEN: "đột xuất năm {year}",
    DossierKind.LONG_SERVICE: "trong quá trình cống hiến cho tổ chức Công đoàn",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI")


# --- shared pieces ---------------------------------------------------------------------------------


@dataclass
class Heading:
    """The unit's parent (the governing body of the heading), its ancestors (root first) and place."""

    unit: OrgUnit
    parent: OrgUnit | None
    ancestors: list[OrgUnit]

    @property
    def governing(self) -> str:
        return self.parent.name if self.parent else ""

    @property
    def place(self) -> str:
        return place_name(self.unit, self.ancestors)

    @property
    def abbreviation(self) -> str:
        return issuer_abbreviation(self.unit)


def _heading(unit: OrgUnit) -> Heading:
    by_path = orgunit_ancestors(units=[unit])  # one query
    ancestors = [by_path[p] for p in unit.ancestor_paths() if p in by_path]
    return Heading(unit=unit, parent=ancestors[-1] if ancestors else None, ancestors=ancestors)


def _short(unit: OrgUnit | None) -> str:
    return (unit.short_name or unit.name) if unit else ""


def collective_body(unit: OrgUnit) -> str:
    """ "Ban Thường vụ" above grassroots, "Ban Chấp hành" of a grassroots union (who signs, who decides)."""
    return "Ban Chấp hành" if unit.unit_type.rank >= 40 else "Ban Thường vụ"


def _number_text(number: DocumentNumber | None, kind: str, unit: OrgUnit) -> str:
    """ "Số: 01/TTr-CĐCS", or the blank "Số:      /TTr-CĐCS" of a draft."""
    return f"Số: {number.notation}" if number else f"Số:      /{kind}-{issuer_abbreviation(unit)}"


def award_phrase(award_type, conferring: OrgUnit | None) -> str:
    """ "Bằng khen của Liên đoàn Lao động thành phố Hà Nội" for a form the unit confers in its own name,
    otherwise the catalogue name ("Chiến sĩ thi đua cơ sở")."""
    decl = award_declaration(award_type.code)
    own = decl.own_form if decl else None
    if own and conferring is not None:
        return f"{own} của {conferring.name}"
    return award_type.name


def legal_basis_lines(on: dt.date) -> list[str]:
    """The "Căn cứ …;" lines of the rule set in force on `on` (R-GEN-02): a document cites the decree of
    its dossier's rule set, never a fixed one."""
    return [f"Căn cứ {text};" for text in ruleset_for(received_on=on).citations]


def dossier_basis_date(dossier: Dossier, *, fallback: dt.date) -> dt.date:
    """The date that selects the dossier's rule set: its reception date, else the document's date."""
    return dossier.received_on or fallback


def _counts_text(collectives: int, individuals: int) -> str:
    """ "2 tập thể và 3 cá nhân", "3 cá nhân" (a zero part is left out)."""
    parts = []
    if collectives:
        parts.append(f"{collectives:02d} tập thể" if collectives < 10 else f"{collectives} tập thể")
    if individuals:
        parts.append(f"{individuals:02d} cá nhân" if individuals < 10 else f"{individuals} cá nhân")
    return " và ".join(parts) or "0 cá nhân"


def _positions(*, persons: list, within: OrgUnit | None) -> dict[int, str]:
    """{person id: "Chủ tịch Công đoàn …" / "Chuyên viên, Tổ công đoàn …, Công đoàn …"} from the open
    memberships, one query for all persons."""
    if not persons:
        return {}
    memberships = Membership.objects.filter(
        person_id__in=[p.pk for p in persons], ended_on__isnull=True
    ).select_related("unit")
    result = {}
    for m in memberships:
        if m.union_role != UnionRole.DOAN_VIEN:
            text = f"{m.get_union_role_display()} {m.unit.name}"
        else:
            text = ", ".join(x for x in (m.job_title, m.unit.name) if x)
        if within is not None and m.unit_id != within.pk and m.unit.path.startswith(within.path):
            text += f", {within.name}"
        result[m.person_id] = text
    return result


def _collective_places(units: list[OrgUnit]) -> dict[int, str]:
    """{unit id: the name of the unit it belongs to}, one query for all collectives."""
    if not units:
        return {}
    ancestors = orgunit_ancestors(units=units)
    result = {}
    for unit in units:
        paths = unit.ancestor_paths()
        parent = ancestors.get(paths[-1]) if paths else None
        result[unit.pk] = f"Trực thuộc {parent.name}" if parent else ""
    return result


@dataclass
class Row:
    name: str
    place: str
    award: str
    summary: str
    collective: bool


def _rows(*, items, proposing: OrgUnit | None, conferring: OrgUnit | None) -> list[Row]:
    """Display rows for nomination items or award records (both have person / unit / award_type)."""
    persons = [i.person for i in items if i.person_id]
    units = [i.unit for i in items if i.unit_id]
    positions = _positions(persons=persons, within=proposing)
    places = _collective_places(units)
    rows = []
    for i in items:
        collective = bool(i.unit_id)
        rows.append(
            Row(
                name=i.unit.name if collective else i.person.full_name,
                place=places.get(i.unit_id, "") if collective else positions.get(i.person_id, ""),
                award=award_phrase(i.award_type, conferring),
                summary=i.achievement_summary,
                collective=collective,
            )
        )
    return rows


def _grouped(rows: list[Row], cells) -> list:
    """Table rows under "I. TẬP THỂ" and "II. CÁ NHÂN" (an empty group is left out), numbered within
    each group; `cells(n, row)` gives a row's cells."""
    result, numeral = [], 0
    for title, members in (
        ("TẬP THỂ", [r for r in rows if r.collective]),
        ("CÁ NHÂN", [r for r in rows if not r.collective]),
    ):
        if not members:
            continue
        result.append(TableGroup(f"{ROMAN[numeral]}. {title}"))
        numeral += 1
        result += [cells(n, row) for n, row in enumerate(members, start=1)]
    return result


def _dossier_items(dossier: Dossier) -> list[NominationItem]:
    return list(dossier.items.select_related("award_type", "person", "unit").order_by("position", "id"))


def _proposed_to(dossier: Dossier, heading: Heading) -> OrgUnit | None:
    """The unit the tờ trình goes to: the parent of the proposing unit (itself when it is the authority
    or has no parent)."""
    if dossier.authority_id == dossier.proposing_unit_id or heading.parent is None:
        return None
    return heading.parent


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


# --- biên bản họp Hội đồng -------------------------------------------------------------------------


@dataclass
class VoteRow:
    item: NominationItem
    yes: int
    size: int
    share: float
    passed: bool

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.2f}".replace(".", ",") + "%"


def session_votes(session: CouncilSession) -> tuple[list[Dossier], list[VoteRow], dict]:
    """The session's dossiers, one row per nominee counted by `tally` against the rule set's threshold
    over ALL council members (R-VOTE-01), and {"voters", "thresholds"} — counts only."""
    dossiers = list(session.dossiers.select_related("proposing_unit").order_by("pk"))
    items = list(
        NominationItem.objects.filter(dossier__in=[d.pk for d in dossiers])
        .select_related("award_type", "person", "unit")
        .order_by("dossier_id", "position", "id")
    )
    thresholds: dict[int, tuple[float, str]] = {}
    by_day: dict[dt.date | None, tuple[float, str]] = {}
    for d in dossiers:
        if d.received_on not in by_day:
            by_day[d.received_on] = vote_threshold(received_on=d.received_on)
        thresholds[d.pk] = by_day[d.received_on]
    rows = []
    for item in items:
        result = tally(session=session, item=item)
        rows.append(
            VoteRow(
                item=item,
                yes=result["yes"],
                size=result["size"],
                share=result["share"],
                passed=result["share"] >= thresholds[item.dossier_id][0],
            )
        )
    voters = BallotReceipt.objects.filter(session=session).values("voter").distinct().count()
    return dossiers, rows, {"voters": voters, "thresholds": sorted(set(thresholds.values()))}


def session_chair(session: CouncilSession) -> str:
    member = (
        CouncilMember.objects.filter(
            unit=session.unit, role=CouncilRole.CHAIR, valid_from__lte=session.held_on
        )
        .exclude(valid_to__lt=session.held_on)
        .select_related("user")
        .order_by("-valid_from")
        .first()
    )
    return (member.user.full_name or member.user.get_username()) if member else ""


def minutes_number_text(number: DocumentNumber | None) -> str:
    """ "Số: 03/BB-HĐTĐKT": the sequence from the unit's register, the council's own symbol."""
    if number is None:
        return f"Số:      /{DocumentKind.BIEN_BAN.value}-HĐTĐKT"
    return f"Số: {number.sequence:02d}/{DocumentKind.BIEN_BAN.value}-HĐTĐKT"


def council_minutes_docx(session: CouncilSession, *, number: DocumentNumber | None = None) -> bytes:
    """The minutes of a closed council session: attendance, content and the vote per nominee."""
    if session.state != SessionState.CLOSED:
        raise ValueError("Phiên họp chưa kết thúc bỏ phiếu: chưa lập được biên bản.")
    unit = session.unit
    heading = _heading(unit)
    dossiers, rows, figures = session_votes(session)
    chair = session_chair(session)
    doc = Nd30Document(
        governing_body=_short(unit),
        issuer=COUNCIL,
        number=minutes_number_text(number),
        place_date=f"{heading.place}, {nd30_date(session.held_on)}",
        kind="Biên bản",
        summary=f"Họp {COUNCIL} {_short(unit)}\nxét đề nghị khen thưởng",
    )
    doc.heading("I. THỜI GIAN, ĐỊA ĐIỂM")
    when = nd30_date(session.held_on)
    if session.starts_at is not None:
        when = f"{session.starts_at:%H} giờ {session.starts_at:%M}, {when}"
    doc.paragraph(f"Thời gian: {when}.")
    doc.paragraph(f"Địa điểm: {session.place or f'trụ sở {unit.name}'}.")
    doc.heading("II. THÀNH PHẦN")
    doc.paragraph(f"Tổng số thành viên {COUNCIL}: {session.council_size} người.")
    doc.paragraph(
        f"Số thành viên có mặt, tham gia bỏ phiếu: {figures['voters']}/{session.council_size} người."
    )
    doc.paragraph(f"Chủ trì: {chair or '…'}, Chủ tịch {COUNCIL}.")
    if session.secretary:
        doc.paragraph(f"Thư ký: {session.secretary}.")
    doc.heading("III. NỘI DUNG")
    proposals = "; ".join(f"“{d.title}” của {d.proposing_unit.name}" for d in dossiers)
    doc.paragraph(f"{COUNCIL} xem xét hồ sơ đề nghị khen thưởng: {proposals}.")
    rule = "; ".join(f"{t * 100:.0f}% theo {code}" for t, code in figures["thresholds"])
    doc.paragraph(
        "Hội đồng thảo luận, bỏ phiếu kín đối với từng trường hợp. Tỷ lệ phiếu tán thành được tính trên "
        f"tổng số thành viên Hội đồng (thành viên vắng mặt tính là không tán thành); tỷ lệ cần đạt: {rule}."
    )
    doc.paragraph("Kết quả bỏ phiếu như sau:")
    doc.table(
        ["STT", "Tập thể, cá nhân được đề nghị", "Hình thức đề nghị", "Tán thành", "Tỷ lệ", "Kết quả"],
        [
            [
                n,
                r.item.unit.name if r.item.unit_id else r.item.person.full_name,
                award_phrase(r.item.award_type, unit),
                f"{r.yes}/{r.size}",
                r.percent,
                "Đạt" if r.passed else "Không đạt",
            ]
            for n, r in enumerate(rows, start=1)
        ],
        [14, 45, 44, 20, 21, 21],
        left_columns=(1, 2),
        size=12,
        repeat_header=True,
    )
    passed = sum(1 for r in rows if r.passed)
    doc.paragraph(
        f"Tổng hợp: {passed}/{len(rows)} trường hợp đạt tỷ lệ phiếu tán thành theo quy định; "
        f"{len(rows) - passed} trường hợp không đạt."
    )
    doc.paragraph(
        "Cuộc họp kết thúc cùng ngày. Biên bản đã được đọc lại trước Hội đồng và các thành viên dự họp "
        "nhất trí thông qua./.",
        keep_with_next=True,
    )
    doc.signatures(left=("Thư ký", session.secretary), right=("Chủ tịch Hội đồng", chair))
    return doc.to_bytes()


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


# --- the tờ trình's number (the only write) --------------------------------------------------------


def minutes_number_allocate(*, acting_user, session: CouncilSession, issued_on: dt.date | None = None):
    """Give a closed session's minutes their number in the council's unit register (or return the one
    they have): a reviewer of the session's unit only."""
    from . import services

    require(acting_user, Action.NOMINATION_REVIEW, session.unit.path)
    if session.state != SessionState.CLOSED:
        raise ServiceError("Phiên họp chưa kết thúc bỏ phiếu: chưa cấp số biên bản được.")
    return services.number_allocate(
        acting_user=acting_user,
        issuer=session.unit,
        kind=DocumentKind.BIEN_BAN,
        title=f"Biên bản họp {COUNCIL} “{session.title}”",
        issued_on=issued_on or session.held_on,
        subject=session,
    )


def dossier_number_allocate(*, acting_user, dossier: Dossier, issued_on: dt.date | None = None):
    """Give the dossier's tờ trình its number in the proposing unit's register (or return the one it
    has): an officer of the proposing unit only."""
    from . import services

    require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
    return services.number_allocate(
        acting_user=acting_user,
        issuer=dossier.proposing_unit,
        kind=DocumentKind.TO_TRINH,
        title=f"Tờ trình {to_trinh_summary(dossier).replace('V/v', 'về việc', 1)}",
        issued_on=issued_on or timezone.localdate(),
        subject=dossier,
    )
