"""The biên bản of a closed council session: attendance and the vote counts per nominee (`tally` only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nominations.choices import CouncilRole, SessionState
from nominations.eligibility import vote_threshold
from nominations.models import (
    BallotReceipt,
    CouncilMember,
    CouncilSession,
    Dossier,
    NominationItem,
)
from nominations.services import tally

from ..models import DocumentKind, DocumentNumber
from ..nd30 import Nd30Document
from ..numbering import nd30_date
from .common import (
    COUNCIL,
    _heading,
    _short,
    award_phrase,
)

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
