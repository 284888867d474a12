"""What may be proposed: verdicts of the engine for a person and for a collective and its members, under the
rule set in force on the (assumed) reception date. Reads only; bounded queries (see selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .engine import evaluate
from .engine.criteria import fmt_quota
from .engine.declarations import DECLARATIONS as AWARDS
from .engine.types import Verdict
from .models import AwardType, RuleSet
from .selectors import assess_collectives, default_received_on, person_histories, ruleset_for


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


@dataclass
class TitleList:
    award_type: AwardType
    eligible: list  # [Member]
    refused_by_quota: list  # [Member] (CSTĐCS beyond R-CSCS-02)
    note: str = ""


@dataclass
class UnitReport:
    year: int
    received_on: dt.date
    ruleset: RuleSet
    size: int
    history: object
    rows: list[Row]
    titles: list[TitleList]


def unit_report(*, unit, year: int, received_on: dt.date | None = None) -> UnitReport:
    received_on = received_on or default_received_on(year)
    ruleset = ruleset_for(received_on=received_on)
    spec = ruleset.to_spec()
    assessment = assess_collectives(units=[unit], year=year, rule_set=spec)[unit.pk]
    members = assessment.members
    history = assessment.history
    rows = (
        _rows(types=_award_types(kind="collective"), subject=history, year=year, spec=spec) if members else []
    )
    listed = member_titles()
    types = {a.code: a for a in AwardType.objects.filter(code__in=listed)}
    others = [c for c in listed if c not in ("LDTT", "CSTDCS") and c in types]
    histories = assessment.histories
    titles: list[TitleList] = []
    if "LDTT" in types:
        titles.append(
            TitleList(types["LDTT"], [m for m in members if assessment.ldtt[m.person.pk].eligible], [])
        )
    if "CSTDCS" in types:
        batch = assessment.cstdcs_batch
        accepted = {int(pid) for pid in batch.accepted}
        eligible = [m for m in members if assessment.cstdcs[m.person.pk].eligible]
        titles.append(
            TitleList(
                types["CSTDCS"],
                [m for m in eligible if m.person.pk in accepted],
                [m for m in eligible if m.person.pk not in accepted],
                note=_quota_note(batch=batch, ldtt=history.ldtt_count, eligible=len(eligible), spec=spec),
            )
        )
    for code in others:
        eligible = [
            m
            for m in members
            if evaluate(award=code, year=year, subject=histories[m.person.pk], rule_set=spec).eligible
        ]
        titles.append(TitleList(types[code], eligible, []))
    return UnitReport(
        year=year,
        received_on=received_on,
        ruleset=ruleset,
        size=len(members),
        history=history,
        rows=rows,
        titles=titles,
    )
