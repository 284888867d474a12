"""Which criteria apply to which award code.

Each criterion is checked with a *role*:
- QUALIFYING: the award's own conditions; they are the deciding rules of an eligible verdict;
- PREREQUISITE: conditions inherited from a lower title (CSTĐ cơ sở includes the LĐTT criteria);
- EXCLUSION: grounds that rule a candidate out (R-LDTT-02, "once in a lifetime");
- SAFEGUARD: general rules checked for every award (R-GEN-01, R-ORG-02).
An ineligible verdict is decided by every failed criterion, whatever its role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import criteria as c
from .rulesets import RuleSetSpec
from .types import CriterionResult, Subject

QUALIFYING = "QUALIFYING"
PREREQUISITE = "PREREQUISITE"
EXCLUSION = "EXCLUSION"
SAFEGUARD = "SAFEGUARD"


@dataclass(frozen=True, slots=True)
class Check:
    role: str
    result: CriterionResult


CheckBuilder = Callable[..., list[Check]]


@dataclass(frozen=True, slots=True)
class AwardDefinition:
    code: str
    subject_kinds: frozenset[str]
    build: CheckBuilder | None  # None: rules.md gives no specific criterion for this award
    quota_rule: str | None = None


def _ldtt(subject: Subject, year: int, spec: RuleSetSpec, *, inherited: bool) -> list[Check]:
    main, excl = (PREREQUISITE, PREREQUISITE) if inherited else (QUALIFYING, EXCLUSION)
    p = spec.param
    return [
        Check(
            main,
            c.rating_at_least(subject=subject, year=year, minimum=p("ldtt_min_rating"), rule_id="R-LDTT-01"),
        ),
        Check(main, c.registered_in_year(subject=subject, year=year, rule_id="R-LDTT-01")),
        Check(
            excl,
            c.months_worked_at_least(
                subject=subject, year=year, minimum=p("ldtt_min_months"), rule_id="R-LDTT-02"
            ),
        ),
        Check(
            excl,
            c.absence_below(subject=subject, year=year, limit=p("ldtt_max_absent_days"), rule_id="R-LDTT-02"),
        ),
        Check(excl, c.no_discipline_in_year(subject=subject, year=year, rule_id="R-LDTT-02")),
    ]


def _build_ldtt(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    return _ldtt(subject, year, spec, inherited=False)


def _build_cstdcs(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    initiative = c.initiative_recognized(
        subject=subject,
        first_year=year,
        last_year=year,
        min_scope="CO_SO",
        rule_id="R-CSCS-01",
        accept_research_topics=True,
    )
    return [*_ldtt(subject, year, spec, inherited=True), Check(QUALIFYING, initiative)]


def _build_cstd_bo(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    n = spec.param("csbo_years")
    return [
        Check(
            QUALIFYING,
            c.consecutive_unused_awards(
                subject=subject, code="CSTDCS", count=n, end_year=year, rule_id="R-CSBO-01"
            ),
        ),
        Check(
            QUALIFYING,
            c.initiative_recognized(
                subject=subject,
                first_year=year - n + 1,
                last_year=year,
                min_scope="TINH_BO",
                rule_id="R-CSBO-01",
            ),
        ),
    ]


def _build_cstd_tq(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    n, cycle = spec.param("cstq_years"), spec.param("csbo_years")
    return [
        Check(
            QUALIFYING,
            c.consecutive_unused_awards(
                subject=subject, code="CSTD_BO", count=n, end_year=year, step=cycle, rule_id="R-CSTQ-01"
            ),
        ),
        Check(
            QUALIFYING,
            c.initiative_recognized(
                subject=subject,
                first_year=year - n * cycle + 1,
                last_year=year,
                min_scope="TOAN_QUOC",
                rule_id="R-CSTQ-01",
            ),
        ),
    ]


def _build_ttldtt(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    share = spec.param("tttt_ldtt_share")
    return [
        Check(QUALIFYING, c.collective_all_completed(subject=subject, rule_id="R-TTTT-01")),
        Check(
            QUALIFYING,
            c.collective_ldtt_share(subject=subject, share=share, strict=True, rule_id="R-TTTT-01"),
        ),
        Check(EXCLUSION, c.collective_no_heavy_discipline(subject=subject, year=year, rule_id="R-TTTT-01")),
    ]


def _build_ttldxs(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    share, minimum = spec.param("ttxs_ldtt_share"), spec.param("ttxs_min_cstdcs")
    return [
        Check(QUALIFYING, c.collective_all_completed(subject=subject, rule_id="R-TTXS-01")),
        Check(
            QUALIFYING,
            c.collective_ldtt_share(subject=subject, share=share, strict=False, rule_id="R-TTXS-01"),
        ),
        Check(QUALIFYING, c.collective_has_cstdcs(subject=subject, minimum=minimum, rule_id="R-TTXS-01")),
        Check(EXCLUSION, c.collective_no_heavy_discipline(subject=subject, year=year, rule_id="R-TTXS-01")),
    ]


def _build_co_td_cp(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    return [Check(QUALIFYING, c.led_cluster(subject=subject, year=year, rule_id="R-COCP-01"))]


def _build_bk_tld(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    result = c.htxs_run_with_initiatives(
        subject=subject,
        end_year=year,
        years=spec.param("bk_tld_years"),
        initiatives=spec.param("bk_tld_initiatives"),
        rule_id="R-BK-01",
    )
    return [Check(QUALIFYING, result)]


def _build_bk_ttg(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    result = c.prior_award_then_htxs(
        subject=subject,
        prior_codes=spec.param("bkttg_prior_awards"),
        years=spec.param("bkttg_years"),
        end_year=year,
        rule_id="R-BKTTG-01",
    )
    return [Check(QUALIFYING, result)]


def _build_ldst(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    p = spec.param
    result = c.ldst_benefit(
        subject=subject,
        year=year,
        college_min=p("ldst_college_min_vnd"),
        college_cumulative_min=p("ldst_college_cumulative_min_vnd"),
        cumulative_years=p("ldst_cumulative_years"),
        university_min=p("ldst_university_min_vnd"),
        leader_min=p("ldst_leader_min_vnd"),
        rule_id="R-LDST-01",
    )
    return [Check(QUALIFYING, result)]


def _build_knc(*, subject: Subject, year: int, spec: RuleSetSpec, as_of: date) -> list[Check]:
    p = spec.param
    service = c.union_service_qualifies(
        subject=subject,
        as_of=as_of,
        min_years=p("knc_years"),
        part_time_weight=p("knc_part_time_weight"),
        non_state_weight=p("knc_non_state_weight"),
        public_service_years=p("knc_public_service_years"),
        outside_years=p("knc_outside_years"),
        council_terms=p("knc_council_terms"),
        presidium_terms=p("knc_presidium_terms"),
        rule_id="R-KNC-01",
    )
    recent = c.recent_years_rated_at_least(
        subject=subject,
        proposal_year=year,
        years=p("knc_recent_years"),
        minimum=p("knc_min_rating"),
        rule_id="R-KNC-02",
    )
    once = c.not_awarded_before(subject=subject, code="KNC_CD", rule_id="R-KNC-02")
    return [Check(QUALIFYING, service), Check(QUALIFYING, recent), Check(EXCLUSION, once)]


PERSON = frozenset({"person"})
COLLECTIVE = frozenset({"collective"})
ANY = PERSON | COLLECTIVE

AWARDS: dict[str, AwardDefinition] = {
    d.code: d
    for d in (
        AwardDefinition("LDTT", PERSON, _build_ldtt),
        AwardDefinition("CSTDCS", PERSON, _build_cstdcs, quota_rule="R-CSCS-02"),
        AwardDefinition("CSTD_BO", PERSON, _build_cstd_bo),
        AwardDefinition("CSTD_TQ", PERSON, _build_cstd_tq),
        AwardDefinition("TTLDTT", COLLECTIVE, _build_ttldtt),
        AwardDefinition("TTLDXS", COLLECTIVE, _build_ttldxs),
        AwardDefinition("CO_TD_CP", COLLECTIVE, _build_co_td_cp, quota_rule="R-COCP-01"),
        AwardDefinition("CO_TD_TLD", COLLECTIVE, None),
        AwardDefinition("GK", ANY, None),
        AwardDefinition("BK_LDLD", ANY, None),
        AwardDefinition("BK_TLD", PERSON, _build_bk_tld),
        AwardDefinition("BK_CD_TLD", ANY, None, quota_rule="R-BKCD-01"),
        AwardDefinition("BK_TTG", PERSON, _build_bk_ttg),
        AwardDefinition("LDST", PERSON, _build_ldst),
        AwardDefinition("KNC_CD", PERSON, _build_knc),
    )
}
