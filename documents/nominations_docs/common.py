"""Shared pieces of the nominations documents: headings, award phrases, legal basis, nominee rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commendations.engine.declarations import declaration as award_declaration
from commendations.selectors import ruleset_for
from members.choices import UnionRole
from members.models import Membership
from nominations.choices import DossierKind
from nominations.models import (
    Dossier,
    NominationItem,
)
from organizations.abbreviations import issuer_abbreviation
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

from ..models import DocumentNumber
from ..nd30 import TableGroup
from ..numbering import place_name

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
