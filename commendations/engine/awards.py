"""The award types of the catalogue: one declaration each (declarations.py), beside its criteria.

Each criterion is checked with a *role*:
- QUALIFYING: the award's own conditions; they are the deciding rules of an eligible verdict;
- PREREQUISITE: conditions inherited from a lower title (CSTĐ cơ sở includes the LĐTT criteria);
- EXCLUSION: grounds that rule a candidate out (R-LDTT-02, "once in a lifetime");
- SAFEGUARD: general rules checked for every award (R-GEN-01, R-ORG-02).
An ineligible verdict is decided by every failed criterion, whatever its role; every verdict rests on
each rule whose criterion was evaluated (engine.rests_on).

Adding an award type: one ``AwardDeclaration`` below (with its criteria builder and its parameters), then a
data migration calling ``commendations.reference.backfill_params`` so that existing rule sets get the new
parameters with their declared defaults (``test_declarations`` fails until every rule set has them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from . import criteria as c
from .declarations import (
    ACHIEVEMENT_REPORT,
    ANY,
    COLLECTIVE,
    COUNCIL_MINUTES,
    DECLARATIONS,
    FORM,
    FROM_ABOVE_GRASSROOTS,
    FROM_GRASSROOTS,
    PERSON,
    PROVINCE,
    PROVINCE_ALL,
    TITLE,
    TOP,
    AwardDeclaration,
    Param,
    Prerequisite,
    register,
)
from .types import CriterionResult, Subject

if TYPE_CHECKING:  # rulesets reads the declared parameters: no import at run time
    from .rulesets import RuleSetSpec

QUALIFYING = "QUALIFYING"
PREREQUISITE = "PREREQUISITE"
EXCLUSION = "EXCLUSION"
SAFEGUARD = "SAFEGUARD"


@dataclass(frozen=True, slots=True)
class Check:
    role: str
    result: CriterionResult
    vacuous: bool = False  # evaluated on nothing (e.g. no achievement cited): the verdict does not rest on it


CheckBuilder = Callable[..., list[Check]]
AwardDefinition = AwardDeclaration  # the engine's name for a declaration
AWARDS = DECLARATIONS  # live: a declaration registered later is evaluated too


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
    # Considered in the cycle right after the second CSTĐ cấp bộ: that award's year precedes `year`.
    last = year - 1
    return [
        Check(
            QUALIFYING,
            c.consecutive_unused_awards(
                subject=subject, code="CSTD_BO", count=n, end_year=last, step=cycle, rule_id="R-CSTQ-01"
            ),
        ),
        Check(
            QUALIFYING,
            c.initiative_recognized(
                subject=subject,
                first_year=last - n * cycle + 1,
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


# --- parameters (rules.md, column "Parameters") ---------------------------------------------------------
# Several thresholds could not be checked against the full official texts: they are data, shown with their
# legal basis and editable by an administrator, never constants in code.

LDTT_PARAMS = (
    Param("ldtt_min_rating", "HTT", "R-LDTT-01", "Xếp loại tối thiểu để xét Lao động tiên tiến"),
    Param(  # excluded when months worked < this
        "ldtt_min_months",
        10,
        "R-LDTT-02",
        "Số tháng công tác tối thiểu trong năm (dưới mức này không xét LĐTT)",
        "tháng",
    ),
    Param(  # excluded when absent working days (maternity not counted) >= this
        "ldtt_max_absent_days",
        40,
        "R-LDTT-02",
        "Số ngày nghỉ làm việc bị loại khi xét LĐTT (từ mức này trở lên, không tính nghỉ thai sản)",
        "ngày",
    ),
)
CSBO_YEARS = Param(
    "csbo_years", 3, "R-CSBO-01", "Số năm liên tục đạt CSTĐ cơ sở để xét CSTĐ cấp bộ, ngành, tỉnh", "năm"
)

# --- the catalogue: one declaration per award type, in catalogue order ----------------------------------

_EXTRA = (ACHIEVEMENT_REPORT, COUNCIL_MINUTES)

for _declaration in (
    AwardDeclaration(
        "LDTT",
        "Lao động tiên tiến",
        "LĐTT",
        TITLE,
        PERSON,
        FROM_GRASSROOTS,
        build=_build_ldtt,
        rules=("R-LDTT-01", "R-LDTT-02"),
        params=LDTT_PARAMS,
        registration_title="Lao động tiên tiến",
        unit_page_order=1,
        council_vote=False,  # decided on the recorded ratings and registration alone (R-LDTT-01, -02)
    ),
    AwardDeclaration(
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐ cơ sở",
        TITLE,
        PERSON,
        FROM_ABOVE_GRASSROOTS,
        build=_build_cstdcs,
        rules=("R-LDTT-01", "R-LDTT-02", "R-CSCS-01", "R-CSCS-02"),
        params=(
            *LDTT_PARAMS,
            Param("cstdcs_quota", 0.15, "R-CSCS-02", "Tỷ lệ CSTĐ cơ sở tối đa so với số LĐTT của đơn vị"),
        ),
        quota_rule="R-CSCS-02",
        registration_title="Chiến sĩ thi đua cơ sở",
        unit_page_order=2,
    ),
    AwardDeclaration(
        "CSTD_BO",
        "Chiến sĩ thi đua cấp bộ, ngành, tỉnh, Tổng Liên đoàn",
        "CSTĐ cấp bộ, ngành, tỉnh, Tổng LĐ",
        TITLE,
        PERSON,
        (*PROVINCE, *TOP),
        build=_build_cstd_bo,
        rules=("R-CSBO-01",),
        params=(CSBO_YEARS,),
        requires_public_posting=True,
        documents=_EXTRA,
        prerequisite=Prerequisite("CSTDCS", 3),
        registration_title="Chiến sĩ thi đua cấp bộ, ngành, tỉnh, Tổng LĐ",
        unit_page_order=3,
    ),
    AwardDeclaration(
        "CSTD_TQ",
        "Chiến sĩ thi đua toàn quốc",
        "CSTĐ toàn quốc",
        TITLE,
        PERSON,
        TOP,
        build=_build_cstd_tq,
        rules=("R-CSTQ-01",),
        params=(
            CSBO_YEARS,
            Param(
                "cstq_years", 2, "R-CSTQ-01", "Số lần liên tiếp đạt CSTĐ cấp bộ để xét CSTĐ toàn quốc", "lần"
            ),
        ),
        conferred_by_state=True,
        requires_public_posting=True,
        documents=_EXTRA,
        prerequisite=Prerequisite("CSTD_BO", 2),
    ),
    AwardDeclaration(
        "TTLDTT",
        "Tập thể lao động tiên tiến",
        "Tập thể LĐTT",
        TITLE,
        COLLECTIVE,
        FROM_ABOVE_GRASSROOTS,
        build=_build_ttldtt,
        rules=("R-TTTT-01",),
        params=(  # strictly more than
            Param(
                "tttt_ldtt_share", 0.5, "R-TTTT-01", "Tỷ lệ LĐTT phải vượt (lớn hơn hẳn) để xét Tập thể LĐTT"
            ),
        ),
        registration_title="Tập thể lao động tiên tiến",
        council_vote=False,  # decided on the members' recorded ratings and discipline alone (R-TTTT-01)
    ),
    AwardDeclaration(
        "TTLDXS",
        "Tập thể lao động xuất sắc",
        "Tập thể LĐXS",
        TITLE,
        COLLECTIVE,
        (*PROVINCE_ALL, *TOP),
        build=_build_ttldxs,
        rules=("R-TTXS-01",),
        params=(
            Param("ttxs_ldtt_share", 0.7, "R-TTXS-01", "Tỷ lệ LĐTT tối thiểu để xét Tập thể LĐXS"),
            Param("ttxs_min_cstdcs", 1, "R-TTXS-01", "Số CSTĐ cơ sở tối thiểu của Tập thể LĐXS", "người"),
        ),
        registration_title="Tập thể lao động xuất sắc",
    ),
    AwardDeclaration(
        "CO_TD_CP",
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua Chính phủ",
        TITLE,
        COLLECTIVE,
        TOP,
        build=_build_co_td_cp,
        rules=("R-COCP-01",),
        params=(
            Param(
                "cocp_ratio",
                0.2,
                "R-COCP-01",
                "Tỷ lệ đề nghị Cờ thi đua Chính phủ so với số đơn vị dẫn đầu cụm",
            ),
        ),
        quota_rule="R-COCP-01",
        conferred_by_state=True,
        requires_public_posting=True,
        documents=_EXTRA,
    ),
    AwardDeclaration(
        "CO_TD_TLD",
        "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam",
        "Cờ thi đua Tổng LĐ",
        TITLE,
        COLLECTIVE,
        TOP,
        requires_public_posting=True,
        documents=_EXTRA,
        registration_title="Cờ thi đua của Tổng Liên đoàn",
    ),
    # conferred in the unit's own name by its head, at grassroots or district level: no council ballot
    AwardDeclaration(
        "GK", "Giấy khen", "Giấy khen", FORM, ANY, FROM_GRASSROOTS, own_form="Giấy khen", council_vote=False
    ),
    AwardDeclaration(
        "BK_LDLD",
        "Bằng khen của Liên đoàn Lao động tỉnh, thành phố, công đoàn ngành",
        "Bằng khen LĐLĐ/CĐ ngành",
        FORM,
        ANY,
        PROVINCE,
        own_form="Bằng khen",
    ),
    AwardDeclaration(
        "BK_TLD",
        "Bằng khen của Tổng Liên đoàn Lao động Việt Nam",
        "Bằng khen Tổng LĐ",
        FORM,
        ANY,
        TOP,
        build=_build_bk_tld,
        rules=("R-BK-01",),
        params=(
            Param("bk_tld_years", 2, "R-BK-01", "Số năm liên tục HTXS để xét Bằng khen Tổng LĐ", "năm"),
            Param(
                "bk_tld_initiatives",
                2,
                "R-BK-01",
                "Số sáng kiến được công nhận trong thời gian đó",
                "sáng kiến",
            ),
        ),
        criteria_subjects=PERSON,  # rules.md: the individual route only
        documents=_EXTRA,
        unit_page_order=4,
    ),
    AwardDeclaration(
        "BK_CD_TLD",
        "Bằng khen chuyên đề của Tổng Liên đoàn Lao động Việt Nam",
        "Bằng khen chuyên đề Tổng LĐ",
        FORM,
        ANY,
        TOP,
        rules=("R-BKCD-01",),
        params=(
            Param(
                "bkcd_per_federation",
                4,
                "R-BKCD-01",
                "Số đề nghị tối đa mỗi LĐLĐ tỉnh, CĐ ngành cho một chuyên đề",
                "đề nghị",
            ),
            Param(
                "bkcd_national",
                300,
                "R-BKCD-01",
                "Số đề nghị tối đa toàn quốc mỗi chuyên đề mỗi năm",
                "đề nghị",
            ),
        ),
        quota_rule="R-BKCD-01",
    ),
    AwardDeclaration(
        "BK_TTG",
        "Bằng khen của Thủ tướng Chính phủ",
        "Bằng khen Thủ tướng",
        FORM,
        ANY,
        TOP,
        build=_build_bk_ttg,
        rules=("R-BKTTG-01",),
        params=(
            Param(
                "bkttg_years",
                5,
                "R-BKTTG-01",
                "Số năm liên tục HTXS sau Bằng khen cấp bộ để xét Bằng khen Thủ tướng",
                "năm",
            ),
            Param(  # "Bằng khen cấp bộ/Tổng LĐ" in the award catalogue
                "bkttg_prior_awards",
                ("BK_TLD",),
                "R-BKTTG-01",
                "Các Bằng khen được tính là Bằng khen cấp bộ, Tổng LĐ",
            ),
        ),
        conferred_by_state=True,
        requires_public_posting=True,
        criteria_subjects=PERSON,  # rules.md: the individual route only
        documents=_EXTRA,
        prerequisite=Prerequisite("BK_TLD", 1),
    ),
    AwardDeclaration(
        "LDST",
        "Bằng Lao động sáng tạo",
        "Bằng LĐST",
        FORM,
        PERSON,
        TOP,
        build=_build_ldst,
        rules=("R-LDST-01",),
        params=(  # VND
            Param(
                "ldst_college_min_vnd",
                80_000_000,
                "R-LDST-01",
                "Giá trị làm lợi tối thiểu — trình độ cao đẳng trở xuống",
                "đồng",
            ),
            Param(
                "ldst_college_cumulative_min_vnd",
                120_000_000,
                "R-LDST-01",
                "Giá trị làm lợi cộng dồn tối thiểu — trình độ cao đẳng trở xuống",
                "đồng",
            ),
            Param(
                "ldst_cumulative_years",
                3,
                "R-LDST-01",
                "Số năm liên tục được cộng dồn giá trị làm lợi",
                "năm",
            ),
            Param(
                "ldst_university_min_vnd",
                150_000_000,
                "R-LDST-01",
                "Giá trị làm lợi tối thiểu — trình độ đại học trở lên",
                "đồng",
            ),
            Param(
                "ldst_leader_min_vnd",
                200_000_000,
                "R-LDST-01",
                "Giá trị làm lợi tối thiểu — người giữ chức vụ lãnh đạo",
                "đồng",
            ),
        ),
        documents=_EXTRA,
        unit_page_order=6,
    ),
    AwardDeclaration(
        "KNC_CD",
        "Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”",
        "Kỷ niệm chương",
        FORM,
        PERSON,
        TOP,
        build=_build_knc,
        rules=("R-KNC-01", "R-KNC-02"),
        params=(
            Param(
                "knc_years",
                20,
                "R-KNC-01",
                "Số năm công tác công đoàn tối thiểu để xét Kỷ niệm chương",
                "năm",
            ),
            Param(
                "knc_part_time_weight",
                1.5,
                "R-KNC-01",
                "Hệ số quy đổi năm công tác công đoàn không chuyên trách",
            ),
            Param(
                "knc_non_state_weight",
                2,
                "R-KNC-01",
                "Hệ số quy đổi năm không chuyên trách tại công đoàn doanh nghiệp ngoài nhà nước",
            ),
            Param(
                "knc_public_service_years",
                25,
                "R-KNC-01",
                "Số năm công tác tại đơn vị sự nghiệp của Công đoàn",
                "năm",
            ),
            Param(
                "knc_outside_years",
                5,
                "R-KNC-01",
                "Số năm giữ chức vụ đối với người ngoài tổ chức Công đoàn",
                "năm",
            ),
            Param(  # consecutive terms on BCH/UBKT Tổng LĐ
                "knc_council_terms",
                2,
                "R-KNC-01",
                "Số nhiệm kỳ liên tiếp Ủy viên BCH, UBKT Tổng LĐ",
                "nhiệm kỳ",
            ),
            Param(  # full terms on Đoàn Chủ tịch Tổng LĐ
                "knc_presidium_terms",
                1,
                "R-KNC-01",
                "Số nhiệm kỳ trọn vẹn Ủy viên Đoàn Chủ tịch Tổng LĐ",
                "nhiệm kỳ",
            ),
            Param(
                "knc_recent_years",
                3,
                "R-KNC-02",
                "Số năm liền trước năm đề nghị phải hoàn thành nhiệm vụ",
                "năm",
            ),
            Param("knc_min_rating", "HT", "R-KNC-02", "Xếp loại tối thiểu của các năm đó"),
        ),
        unit_page_order=5,
    ),
):
    register(_declaration)
