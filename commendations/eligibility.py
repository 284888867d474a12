"""What may be proposed: verdicts of the engine for a person and for a collective and its members, under the
rule set in force on the (assumed) reception date. Reads only; bounded queries (see selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from .engine import evaluate
from .engine.criteria import fmt_quota
from .engine.declarations import DECLARATIONS as AWARDS
from .engine.types import Verdict
from .models import AwardType, RuleSet
from .selectors import (
    assess_collectives,
    default_received_on,
    person_histories,
    ruleset_for,
    seats_in_year,
)


def member_titles() -> tuple[str, ...]:
    """Individual titles listed with their eligible members on the unit page (declared per award)."""
    listed = [decl for decl in AWARDS.values() if decl.unit_page_order is not None]
    return tuple(decl.code for decl in sorted(listed, key=lambda d: d.unit_page_order))


@dataclass
class Row:
    award_type: AwardType
    verdict: Verdict
    specific: bool  # the rule set has criteria of its own for this award (else only R-GEN-01 is checked)


def _award_types(*, kind: str) -> list[AwardType]:
    """Active award types the engine can judge for this kind of subject ("person"/"collective")."""
    rows = AwardType.objects.filter(active=True).order_by("position", "code")
    return [
        a
        for a in rows
        if a.code in AWARDS
        and kind in AWARDS[a.code].subject_kinds
        and (a.for_individuals if kind == "person" else a.for_collectives)
    ]


def _rows(*, types, subject, year, spec) -> list[Row]:
    return [
        Row(
            award_type=a,
            verdict=evaluate(award=a.code, year=year, subject=subject, rule_set=spec),
            specific=AWARDS[a.code].build is not None,
        )
        for a in types
    ]


@dataclass
class PersonReport:
    year: int
    received_on: dt.date
    ruleset: RuleSet
    rows: list[Row]


def person_report(*, person, year: int, received_on: dt.date | None = None) -> PersonReport:
    received_on = received_on or default_received_on(year)
    ruleset = ruleset_for(received_on=received_on)
    spec = ruleset.to_spec()
    history = person_histories(persons=[person], year=year)[person.pk]
    rows = _rows(types=_award_types(kind="person"), subject=history, year=year, spec=spec)
    return PersonReport(year=year, received_on=received_on, ruleset=ruleset, rows=rows)


def _quota_note(*, batch, ldtt: int, eligible: int, spec) -> str:
    """R-CSCS-02 in words, without the candidates' internal ids."""
    _limit, formula = fmt_quota(ratio=spec.param("cstdcs_quota"), count=ldtt)
    refused = len(batch.refused)
    return (
        f"Hạn mức {formula} theo số LĐTT của đơn vị ({ldtt}); {eligible} người đủ điều kiện cá "
        f"nhân, xét theo thứ tự tên: chấp thuận {len(batch.accepted)}"
        + (f", vượt hạn mức {refused}." if refused else ".")
    )


FULL_ON_SCREEN = 500  # default of settings.THIDUA_ELIGIBILITY_FULL_MAX


def full_on_screen() -> int:
    """Up to this many members the unit page also judges the collective (every member's history); above,
    that is the background "Đánh giá toàn đơn vị" (`commendations.builders`)."""
    return int(getattr(settings, "THIDUA_ELIGIBILITY_FULL_MAX", FULL_ON_SCREEN))


def member_verdicts(*, histories: dict, types: list[AwardType], year: int, spec) -> dict[int, list[Verdict]]:
    """{person_id: [the engine's verdict for each award type, in the order of `types`]}."""
    return {
        pid: [evaluate(award=a.code, year=year, subject=h, rule_set=spec) for a in types]
        for pid, h in histories.items()
    }


@dataclass
class MemberRow:
    person: object  # members.Person
    seat: object  # OrgUnit where the person takes part in union life that year
    verdicts: list[Verdict]  # one per column
    beyond_quota: bool = False  # CSTĐCS eligible individually, refused by R-CSCS-02 (known when `full`)


@dataclass
class UnitReport:
    year: int
    received_on: dt.date
    ruleset: RuleSet
    columns: list[AwardType]  # the individual titles listed on the page (declared per award)
    members: list[MemberRow]  # the people of the page only
    full: bool  # the unit is small enough: the collective is judged on the page too
    history: object | None = None  # CollectiveHistory (when full)
    rows: list[Row] = field(default_factory=list)  # the collective's verdicts (when full)
    quota_note: str = ""


def unit_report(*, unit, year: int, persons: list, size: int | None, received_on: dt.date | None = None):
    """The verdicts of the people shown (`persons`: one page of `unit_persons_in_year`) for the listed
    individual titles; their histories only are read (five queries, whatever the unit's size). When the
    unit's member count `size` is known and at most `full_on_screen()`, the collective is judged as well
    (every member's history, the CSTĐCS quota R-CSCS-02, the collective awards)."""
    received_on = received_on or default_received_on(year)
    ruleset = ruleset_for(received_on=received_on)
    spec = ruleset.to_spec()
    listed = member_titles()
    found = {a.code: a for a in _award_types(kind="person") if a.code in listed}
    columns = [found[c] for c in listed if c in found]
    ids = [p.pk for p in persons]
    full = size is not None and size <= full_on_screen()
    report = UnitReport(
        year=year, received_on=received_on, ruleset=ruleset, columns=columns, members=[], full=full
    )
    beyond: set[int] = set()
    if full:
        assessment = assess_collectives(units=[unit], year=year, rule_set=spec)[unit.pk]
        histories = {pid: assessment.histories[pid] for pid in ids if pid in assessment.histories}
        seats = {m.person.pk: m.seat for m in assessment.members}
        report.history = assessment.history
        if assessment.members:
            report.rows = _rows(
                types=_award_types(kind="collective"), subject=assessment.history, year=year, spec=spec
            )
        batch = assessment.cstdcs_batch
        beyond = {int(pid) for pid in batch.refused}
        eligible = sum(1 for v in assessment.cstdcs.values() if v.eligible)
        report.quota_note = _quota_note(
            batch=batch, ldtt=assessment.history.ldtt_count, eligible=eligible, spec=spec
        )
    else:
        histories = person_histories(persons=ids, year=year)
        seats = seats_in_year(unit=unit, year=year, persons=ids)
    verdicts = member_verdicts(histories=histories, types=columns, year=year, spec=spec)
    report.members = [
        MemberRow(person=p, seat=seats.get(p.pk), verdicts=verdicts[p.pk], beyond_quota=p.pk in beyond)
        for p in persons
        if p.pk in verdicts
    ]
    return report
