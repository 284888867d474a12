"""Direct tests of the engine: rule sets, formatting, and awards not covered by the case files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from commendations.engine import (
    DEFAULT_CALENDAR,
    Batch,
    Candidate,
    CollectiveHistory,
    Dossier,
    EngineInputError,
    PersonHistory,
    RuleSetError,
    Vote,
    apply_override,
    evaluate,
    evaluate_batch,
    evaluate_vote,
    select_rule_set,
)
from commendations.engine.criteria import years_between
from commendations.engine.types import (
    AwardRecord,
    Initiative,
    Issuer,
    ResearchTopic,
    ServicePeriod,
    UnionOffice,
)
from commendations.engine.vietnamese import fmt_number, fmt_percent

OLD, NEW = DEFAULT_CALENDAR


def ldtt_person(**changes) -> PersonHistory:
    base = PersonHistory(
        ratings={2025: "HTT"},
        registered_years=frozenset({2025}),
        months_worked={2025: 12},
        absent_days={2025: 8},
        maternity_days={2025: 0},
    )
    return replace(base, **changes)


# --- rule sets ------------------------------------------------------------------------------------------

BRIEF_PARAMS = {
    "ldtt_min_months": 10,
    "ldtt_max_absent_days": 40,
    "cstdcs_quota": 0.15,
    "csbo_years": 3,
    "cstq_years": 2,
    "tttt_ldtt_share": 0.5,
    "ttxs_ldtt_share": 0.7,
    "cocp_ratio": 0.2,
    "bk_tld_years": 2,
    "bk_tld_initiatives": 2,
    "bkttg_years": 5,
    "bkcd_per_federation": 4,
    "bkcd_national": 300,
    "ldst_college_min_vnd": 80_000_000,
    "ldst_college_cumulative_min_vnd": 120_000_000,
    "ldst_university_min_vnd": 150_000_000,
    "ldst_leader_min_vnd": 200_000_000,
    "knc_years": 20,
    "knc_part_time_weight": 1.5,
    "knc_non_state_weight": 2,
    "knc_public_service_years": 25,
    "knc_outside_years": 5,
    "knc_recent_years": 3,
    "inherit_on_consolidation": False,
}


@pytest.mark.parametrize("spec", DEFAULT_CALENDAR, ids=lambda s: s.code)
def test_every_parameter_is_named_data(spec):
    for key, value in BRIEF_PARAMS.items():
        assert spec.params[key] == value, key
    assert spec.legal_basis


def test_vote_thresholds_differ_between_rule_sets():
    assert (OLD.params["vote_threshold"], NEW.params["vote_threshold"]) == (0.9, 0.8)
    assert any("98/2023" in b for b in OLD.legal_basis)
    assert any("152/2025" in b for b in NEW.legal_basis)


@pytest.mark.parametrize(
    ("received", "code"),
    [(date(2024, 1, 1), OLD.code), (date(2025, 6, 30), OLD.code), (date(2025, 7, 1), NEW.code)],
)
def test_select_rule_set_by_reception_date(received, code):
    assert select_rule_set(received_on=received).code == code


def test_select_rule_set_without_cover_is_a_clear_error():
    with pytest.raises(RuleSetError, match="31/12/2023"):
        select_rule_set(received_on=date(2023, 12, 31))
    with pytest.raises(RuleSetError, match="chồng chéo"):
        select_rule_set(received_on=date(2025, 1, 1), calendar=(OLD, replace(OLD, code="X")))


def test_apply_override():
    spec = apply_override(spec=NEW, overrides={"vote_threshold": 0.9})
    assert spec.params["vote_threshold"] == 0.9 and NEW.params["vote_threshold"] == 0.8
    assert spec.ref == "TLD-2025-ND152 [ghi đè: vote_threshold=0,9]"
    assert apply_override(spec=NEW, overrides={}) is NEW
    with pytest.raises(RuleSetError, match="không có tham số"):
        apply_override(spec=NEW, overrides={"nope": 1})
    with pytest.raises(RuleSetError, match="true/false"):
        apply_override(spec=NEW, overrides={"inherit_on_consolidation": 1})
    with pytest.raises(RuleSetError, match="số không âm"):
        apply_override(spec=NEW, overrides={"knc_years": "20"})
    with pytest.raises(RuleSetError, match="mức xếp loại"):
        apply_override(spec=NEW, overrides={"ldtt_min_rating": "GIOI"})


def test_engine_uses_the_spec_it_is_given():
    strict = apply_override(spec=NEW, overrides={"ldtt_min_months": 13})
    assert evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=NEW).eligible
    verdict = evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=strict)
    assert not verdict.eligible and verdict.deciding == ("R-LDTT-02",)


# --- Vietnamese formatting ------------------------------------------------------------------------------


def test_vietnamese_numbers():
    assert fmt_percent(Fraction(13, 16)) == "81,25 %"
    assert fmt_percent(0.9) == "90 %"
    assert fmt_number(1234.5) == "1.234,5"
    assert fmt_number(Fraction(2, 3)) == "0,67"
    assert fmt_number(90_000_000) == "90.000.000"


def test_explanations_in_vietnamese():
    verdict = evaluate(award="LDTT", year=2025, subject=ldtt_person(absent_days={2025: 45}), rule_set=NEW)
    assert "Nghỉ 45 ngày làm việc (không tính nghỉ thai sản) — vượt mức 40 ngày" in verdict.explanation
    ok = evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=NEW)
    assert "Xếp loại năm 2025: Hoàn thành tốt nhiệm vụ (HTT) — đạt yêu cầu tối thiểu HTT" in ok.explanation
    assert ok.explanation.startswith("Lao động tiên tiến năm 2025: Đủ điều kiện")
    vote = evaluate_vote(vote=Vote(council_size=16, present=14, yes=13, no=1), rule_set=OLD)
    assert "13/16 thành viên Hội đồng đồng ý = 81,25 % — chưa đạt ngưỡng 90 %" in vote.explanation


def test_maternity_leave_is_not_counted():
    recorded_inside = ldtt_person(absent_days={2025: 135}, maternity_days={2025: 130})
    recorded_apart = ldtt_person(absent_days={2025: 5}, maternity_days={2025: 130})
    sick_and_maternity = ldtt_person(absent_days={2025: 175}, maternity_days={2025: 130})
    for subject, eligible in ((recorded_inside, True), (recorded_apart, True), (sick_and_maternity, False)):
        assert evaluate(award="LDTT", year=2025, subject=subject, rule_set=NEW).eligible is eligible


def test_ldtt_boundaries():
    assert not evaluate(
        award="LDTT", year=2025, subject=ldtt_person(absent_days={2025: 40}), rule_set=NEW
    ).eligible
    assert evaluate(
        award="LDTT", year=2025, subject=ldtt_person(absent_days={2025: 39}), rule_set=NEW
    ).eligible
    assert evaluate(
        award="LDTT", year=2025, subject=ldtt_person(months_worked={2025: 10}), rule_set=NEW
    ).eligible
    missing = evaluate(award="LDTT", year=2025, subject=ldtt_person(months_worked={}), rule_set=NEW)
    assert not missing.eligible and "Không có dữ liệu số tháng" in missing.explanation
    both = evaluate(
        award="LDTT",
        year=2025,
        subject=ldtt_person(ratings={2025: "HT"}, months_worked={2025: 6}),
        rule_set=NEW,
    )
    assert both.deciding == ("R-LDTT-01", "R-LDTT-02")


def test_an_ldtt_verdict_rests_on_both_ldtt_rules():
    eligible = evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=NEW)
    assert eligible.eligible and eligible.rules == ("R-LDTT-01", "R-LDTT-02")
    assert eligible.deciding == ("R-LDTT-01",)
    assert "(căn cứ R-LDTT-01, R-LDTT-02)" in eligible.explanation
    excluded = evaluate(award="LDTT", year=2025, subject=ldtt_person(months_worked={2025: 6}), rule_set=NEW)
    assert excluded.rules == ("R-LDTT-01", "R-LDTT-02") and excluded.deciding == ("R-LDTT-02",)
    # the achievement check rests on something only when the nomination cites an achievement
    cited = evaluate(award="LDTT", year=2025, subject=ldtt_person(achievement_id="A1"), rule_set=NEW)
    assert cited.rules == ("R-GEN-01", "R-LDTT-01", "R-LDTT-02")
    # CSTĐ cơ sở rests on the LĐTT conditions it includes
    topic = ldtt_person(research_topics=(ResearchTopic(date(2025, 12, 1)),))
    cstdcs = evaluate(award="CSTDCS", year=2025, subject=topic, rule_set=NEW)
    assert cstdcs.rules == ("R-LDTT-01", "R-LDTT-02", "R-CSCS-01")


def test_cstdcs_accepts_an_accepted_research_topic_and_reports_ldtt_failures():
    topic = ldtt_person(research_topics=(ResearchTopic(date(2025, 12, 1)),))
    assert evaluate(award="CSTDCS", year=2025, subject=topic, rule_set=NEW).deciding == ("R-CSCS-01",)
    no_ldtt = replace(topic, registered_years=frozenset())
    assert evaluate(award="CSTDCS", year=2025, subject=no_ldtt, rule_set=NEW).deciding == ("R-LDTT-01",)


# --- multi-year individual titles -----------------------------------------------------------------------


def cstdcs_awards(*years: int, used: tuple[int, ...] = ()) -> tuple[AwardRecord, ...]:
    return tuple(AwardRecord("CSTDCS", y, used=y in used) for y in years)


def test_cstd_bo():
    initiative = (Initiative(date(2024, 5, 2), "TINH_BO"),)
    good = PersonHistory(awards=cstdcs_awards(2023, 2024, 2025), initiatives=initiative)
    verdict = evaluate(award="CSTD_BO", year=2025, subject=good, rule_set=NEW)
    assert verdict.eligible and "Đạt CSTĐ cơ sở 3 năm liên tục: 2023, 2024, 2025" in verdict.explanation
    gap = replace(good, awards=cstdcs_awards(2022, 2023, 2025))
    assert evaluate(award="CSTD_BO", year=2025, subject=gap, rule_set=NEW).deciding == ("R-CSBO-01",)
    used = replace(good, awards=cstdcs_awards(2023, 2024, 2025, used=(2023,)))
    reused = evaluate(award="CSTD_BO", year=2025, subject=used, rule_set=NEW)
    assert reused.deciding == ("R-GEN-01",) and "đã được dùng làm căn cứ" in reused.explanation
    # a prerequisite refused because it was already used names both the award's own rule and R-GEN-01
    assert reused.rules == ("R-GEN-01", "R-CSBO-01")
    assert reused.criteria[0].rule_ids == ("R-GEN-01", "R-CSBO-01")
    grassroots_only = replace(good, initiatives=(Initiative(date(2024, 5, 2), "CO_SO"),))
    assert evaluate(award="CSTD_BO", year=2025, subject=grassroots_only, rule_set=NEW).deciding == (
        "R-CSBO-01",
    )


def test_cstd_toan_quoc_needs_consecutive_cycles_and_a_national_initiative():
    """Considered in the cycle right after the second CSTĐ cấp bộ (2022, 2025 → considered for 2026)."""
    national = (Initiative(date(2023, 3, 1), "TOAN_QUOC"),)
    good = PersonHistory(
        awards=(AwardRecord("CSTD_BO", 2022), AwardRecord("CSTD_BO", 2025)), initiatives=national
    )
    verdict = evaluate(award="CSTD_TQ", year=2026, subject=good, rule_set=NEW)
    assert verdict.eligible and verdict.deciding == ("R-CSTQ-01",) and verdict.rules == ("R-CSTQ-01",)
    assert "2022, 2025" in verdict.explanation
    # the second award's year is not the year under consideration (issue 11: the engine used to accept it)
    same_year = evaluate(award="CSTD_TQ", year=2025, subject=good, rule_set=NEW)
    assert not same_year.eligible and same_year.deciding == ("R-CSTQ-01",)
    gap = replace(good, awards=(AwardRecord("CSTD_BO", 2021), AwardRecord("CSTD_BO", 2025)))
    assert evaluate(award="CSTD_TQ", year=2026, subject=gap, rule_set=NEW).deciding == ("R-CSTQ-01",)
    provincial = replace(good, initiatives=(Initiative(date(2023, 3, 1), "TINH_BO"),))
    assert not evaluate(award="CSTD_TQ", year=2026, subject=provincial, rule_set=NEW).eligible
    used = replace(good, awards=(AwardRecord("CSTD_BO", 2022, used=True), AwardRecord("CSTD_BO", 2025)))
    refused = evaluate(award="CSTD_TQ", year=2026, subject=used, rule_set=NEW)
    assert refused.deciding == ("R-GEN-01",) and refused.rules == ("R-GEN-01", "R-CSTQ-01")


def test_bk_tld_achievement_route():
    two = (Initiative(date(2024, 4, 1), "CO_SO"), Initiative(date(2025, 4, 1), "CO_SO"))
    good = PersonHistory(ratings={2024: "HTXS", 2025: "HTXS"}, initiatives=two)
    assert evaluate(award="BK_TLD", year=2025, subject=good, rule_set=NEW).deciding == ("R-BK-01",)
    one = replace(good, initiatives=two[:1])
    assert evaluate(award="BK_TLD", year=2025, subject=one, rule_set=NEW).deciding == ("R-BK-01",)
    assert not evaluate(award="BK_TLD", year=2025, subject=one, rule_set=NEW).eligible
    broken = replace(good, ratings={2024: "HTT", 2025: "HTXS"})
    assert not evaluate(award="BK_TLD", year=2025, subject=broken, rule_set=NEW).eligible


def test_bk_ttg_prior_award_then_five_htxs_years():
    htxs = dict.fromkeys(range(2020, 2025), "HTXS")
    good = PersonHistory(ratings=htxs, awards=(AwardRecord("BK_TLD", 2019),))
    verdict = evaluate(award="BK_TTG", year=2024, subject=good, rule_set=NEW)
    assert verdict.eligible and verdict.deciding == ("R-BKTTG-01",)
    too_recent = replace(good, awards=(AwardRecord("BK_TLD", 2020),))
    assert evaluate(award="BK_TTG", year=2024, subject=too_recent, rule_set=NEW).deciding == ("R-BKTTG-01",)
    broken = replace(good, ratings={**htxs, 2022: "HTT"})
    assert (
        "gián đoạn năm 2022" in evaluate(award="BK_TTG", year=2024, subject=broken, rule_set=NEW).explanation
    )
    used = replace(good, awards=(AwardRecord("BK_TLD", 2019, used=True),))
    refused = evaluate(award="BK_TTG", year=2024, subject=used, rule_set=NEW)
    assert refused.deciding == ("R-GEN-01",) and refused.rules == ("R-GEN-01", "R-BKTTG-01")
    assert "căn cứ R-GEN-01, R-BKTTG-01; không đạt: R-GEN-01" in refused.explanation
    none = replace(good, awards=(AwardRecord("BK_LDLD", 2019),))
    assert evaluate(award="BK_TTG", year=2024, subject=none, rule_set=NEW).deciding == ("R-BKTTG-01",)


# --- Kỷ niệm chương ------------------------------------------------------------------------------------

OK_RATINGS = {2023: "HT", 2024: "HTT", 2025: "HT"}


def knc(subject: PersonHistory):
    return evaluate(
        award="KNC_CD", year=2026, subject=subject, rule_set=NEW, dossier=Dossier(date(2026, 1, 15))
    )


def test_years_between_counts_calendar_months():
    assert years_between(start=date(2016, 1, 1), end_exclusive=date(2026, 1, 1)) == 10
    assert years_between(start=date(2017, 1, 1), end_exclusive=date(2027, 1, 1)) == 10
    assert years_between(start=date(2020, 1, 31), end_exclusive=date(2020, 3, 1)) == Fraction(
        1, 12
    ) + Fraction(1, 365)


def test_knc_alternative_routes():
    short = (ServicePeriod(date(2015, 1, 1), date(2020, 12, 31), "FULL_TIME"),)
    base = PersonHistory(ratings=OK_RATINGS, union_service=short)
    assert knc(base).deciding == ("R-KNC-01",)
    council = (
        UnionOffice("BCH_TLD", date(2013, 9, 1), date(2018, 9, 20)),
        UnionOffice("UBKT_TLD", date(2018, 9, 25), date(2023, 12, 1)),
    )
    assert knc(replace(base, union_offices=council)).eligible
    far_apart = (council[0], UnionOffice("BCH_TLD", date(2023, 12, 3), None))  # 2013–2018, then 2023–
    assert knc(replace(base, union_offices=far_apart)).deciding == ("R-KNC-01",)
    presidium = (UnionOffice("DOAN_CHU_TICH_TLD", date(2018, 9, 25), date(2023, 12, 1), full_term=False),)
    assert not knc(replace(base, union_offices=presidium)).eligible
    full = (replace(presidium[0], full_term=True),)
    assert knc(replace(base, union_offices=full)).eligible
    public = (
        ServicePeriod(date(2000, 1, 1), date(2024, 12, 31), "UNION_PUBLIC_SERVICE"),
    )  # exactly 25 years
    assert knc(replace(base, union_service=public)).eligible
    one_day_short = (replace(public[0], start=date(2000, 1, 2)),)
    assert not knc(replace(base, union_service=one_day_short)).eligible
    outside = (ServicePeriod(date(2020, 1, 1), None, "OUTSIDE_UNION"),)
    assert knc(replace(base, union_service=outside)).eligible


def test_knc_overlapping_periods_count_once_at_the_best_weight():
    overlapping = (
        ServicePeriod(date(2006, 1, 1), date(2025, 12, 31), "PART_TIME"),
        ServicePeriod(date(2006, 1, 1), date(2025, 12, 31), "FULL_TIME"),
    )
    verdict = knc(PersonHistory(ratings=OK_RATINGS, union_service=overlapping))
    assert verdict.eligible
    assert "tổng 30 năm" in verdict.explanation  # 20 years × 1.5, not 20 + 30
    open_ended = (ServicePeriod(date(2006, 1, 15), None, "FULL_TIME"),)
    assert knc(PersonHistory(ratings=OK_RATINGS, union_service=open_ended)).eligible  # counted to 15/01/2026


# --- LĐST, collectives, general rules -------------------------------------------------------------------


def ldst(**changes):
    base = PersonHistory(
        education="COLLEGE_OR_BELOW", initiatives=(Initiative(date(2025, 3, 1), "CO_SO", 70_000_000),)
    )
    return evaluate(award="LDST", year=2025, subject=replace(base, **changes), rule_set=NEW)


def test_ldst_groups():
    assert not ldst().eligible
    three_years = (
        Initiative(date(2023, 3, 1), "CO_SO", 30_000_000),
        Initiative(date(2024, 3, 1), "CO_SO", 30_000_000),
        Initiative(date(2025, 3, 1), "CO_SO", 70_000_000),
    )
    assert ldst(initiatives=three_years).eligible
    assert not ldst(initiatives=three_years, education="UNIVERSITY_OR_ABOVE").eligible
    assert ldst(is_leader=True, management_improvement_recognized=True).eligible
    big = (Initiative(date(2025, 3, 1), "CO_SO", 160_000_000),)
    assert ldst(initiatives=big, education=None).eligible
    assert not ldst(initiatives=big, is_leader=True).eligible
    last_year = (Initiative(date(2024, 3, 1), "CO_SO", 500_000_000),)
    assert not ldst(initiatives=last_year).eligible


def test_collectives():
    group = CollectiveHistory(size=20, completed_duties=20, ldtt_count=14, cstdcs_count=1)
    assert evaluate(award="TTLDXS", year=2025, subject=group, rule_set=NEW).eligible  # 70 % is enough
    assert not evaluate(
        award="TTLDXS", year=2025, subject=replace(group, cstdcs_count=0), rule_set=NEW
    ).eligible
    assert not evaluate(
        award="TTLDTT", year=2025, subject=replace(group, completed_duties=19), rule_set=NEW
    ).eligible
    from commendations.engine.types import Discipline

    mild = replace(group, discipline=(Discipline("KHIEN_TRACH", date(2025, 2, 1)),))
    assert evaluate(award="TTLDTT", year=2025, subject=mild, rule_set=NEW).eligible
    last_year = replace(group, discipline=(Discipline("CANH_CAO", date(2024, 2, 1)),))
    assert evaluate(award="TTLDTT", year=2025, subject=last_year, rule_set=NEW).eligible
    assert evaluate(
        award="CO_TD_CP", year=2025, subject=replace(group, led_cluster=True), rule_set=NEW
    ).eligible
    assert evaluate(award="CO_TD_CP", year=2025, subject=group, rule_set=NEW).deciding == ("R-COCP-01",)


def test_subject_kind_must_match_the_award():
    with pytest.raises(EngineInputError, match="chỉ xét cho cá nhân"):
        evaluate(
            award="LDTT",
            year=2025,
            subject=CollectiveHistory(size=1, completed_duties=1, ldtt_count=1),
            rule_set=NEW,
        )
    with pytest.raises(EngineInputError, match="Mã khen thưởng không hợp lệ"):
        evaluate(award="XYZ", year=2025, subject=ldtt_person(), rule_set=NEW)


@pytest.mark.parametrize("award", ["GK", "BK_LDLD", "BK_CD_TLD"])
def test_awards_without_specific_rules_say_so(award):
    verdict = evaluate(award=award, year=2025, subject=PersonHistory(), rule_set=NEW)
    assert verdict.eligible and verdict.deciding == ("R-GEN-01",)
    assert "chưa quy định tiêu chuẩn riêng" in verdict.explanation


def test_issuer_validity_and_authority():
    issuer = Issuer("LĐLĐ huyện A", date(2000, 1, 1), date(2025, 6, 30), frozenset({"GK"}))
    before = Dossier(date(2025, 6, 1), date(2025, 6, 20), issuer)
    ok = evaluate(award="GK", year=2025, subject=PersonHistory(), rule_set=OLD, dossier=before)
    assert ok.eligible and ok.deciding == ("R-GEN-01", "R-ORG-02") and not ok.flags
    after = replace(before, decision_date=date(2025, 8, 15))
    late = evaluate(award="GK", year=2025, subject=PersonHistory(), rule_set=NEW, dossier=after)
    assert late.deciding == ("R-ORG-02",) and late.flags == ("ISSUER_INVALID",)
    assert "không được ghi vào sổ khen thưởng" in late.explanation
    no_authority = evaluate(award="BK_LDLD", year=2025, subject=PersonHistory(), rule_set=OLD, dossier=before)
    assert no_authority.deciding == ("R-ORG-02",) and "không có thẩm quyền" in no_authority.explanation


def test_achievement_reuse():
    reused = ldtt_person(achievement_id="A1", awards=(AwardRecord("GK", 2025, achievement_id="A1"),))
    verdict = evaluate(award="LDTT", year=2025, subject=reused, rule_set=NEW)
    assert verdict.deciding == ("R-GEN-01",)
    other = replace(reused, achievement_id="A2")
    assert evaluate(award="LDTT", year=2025, subject=other, rule_set=NEW).eligible


# --- batches and votes ----------------------------------------------------------------------------------


def test_cstdcs_quota_skips_individually_ineligible_candidates():
    batch = Batch(
        unit="U", candidates=tuple(Candidate(f"p{i}") for i in range(1, 6)), ldtt_count=20
    )  # 3 places
    bad = evaluate(award="CSTDCS", year=2025, subject=ldtt_person(), rule_set=NEW)  # no initiative
    result = evaluate_batch(
        award="CSTDCS", year=2025, batch=batch, rule_set=NEW, candidate_verdicts={"p2": bad}
    )
    assert result.accepted == ("p1", "p3", "p4")
    assert result.refused == ("p2", "p5")
    assert result.rules == ("R-CSCS-01", "R-CSCS-02")
    assert "⌊0,15 × 20⌋ = 3" in result.explanation


def test_cluster_flag_quota():
    batch = Batch(unit="Cụm 1", candidates=tuple(Candidate(f"u{i}") for i in range(4)), cluster_leaders=12)
    result = evaluate_batch(award="CO_TD_CP", year=2025, batch=batch, rule_set=NEW)
    assert result.accepted == ("u0", "u1") and result.rules == ("R-COCP-01",)


def test_thematic_quota_per_federation_and_national():
    candidates = tuple(Candidate(f"a{i}", "HN") for i in range(6)) + (
        Candidate("b0", "NB"),
        Candidate("b1", "NB"),
    )
    result = evaluate_batch(award="BK_CD_TLD", year=2025, batch=Batch("TLĐ", candidates), rule_set=NEW)
    assert result.accepted == ("a0", "a1", "a2", "a3", "b0", "b1")
    nearly_full = Batch("TLĐ", candidates, national_accepted_before=299)
    assert evaluate_batch(award="BK_CD_TLD", year=2025, batch=nearly_full, rule_set=NEW).accepted == ("a0",)


def test_batch_errors():
    with pytest.raises(EngineInputError, match="ldtt_count"):
        evaluate_batch(award="CSTDCS", year=2025, batch=Batch("U", (Candidate("p"),)), rule_set=NEW)
    with pytest.raises(EngineInputError, match="không có hạn mức"):
        evaluate_batch(award="LDTT", year=2025, batch=Batch("U", (Candidate("p"),)), rule_set=NEW)


def test_vote_validation_and_combination_with_a_subject():
    with pytest.raises(EngineInputError):
        evaluate_vote(vote=Vote(council_size=10, present=5, yes=4, no=2), rule_set=NEW)
    with pytest.raises(EngineInputError):
        evaluate_vote(vote=Vote(council_size=10, present=11, yes=4, no=2), rule_set=NEW)
    low = Vote(council_size=10, present=10, yes=7, no=3)
    verdict = evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=NEW, vote=low)
    assert verdict.deciding == ("R-VOTE-01",)
    high = replace(low, yes=8, no=2)
    assert evaluate(award="LDTT", year=2025, subject=ldtt_person(), rule_set=NEW, vote=high).deciding == (
        "R-LDTT-01",
        "R-VOTE-01",
    )
