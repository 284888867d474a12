"""Property-based tests of the engine (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from commendations.engine import (
    DEFAULT_CALENDAR,
    Batch,
    Candidate,
    CollectiveHistory,
    Dossier,
    PersonHistory,
    Vote,
    apply_override,
    evaluate,
    evaluate_batch,
    evaluate_vote,
)
from commendations.engine.awards import AWARDS
from commendations.engine.types import AwardRecord, Discipline, Initiative, ServicePeriod

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
YEARS = range(2014, 2027)
RATING_BASED = ("LDTT", "CSTDCS", "BK_TLD", "BK_TTG")
NEW = DEFAULT_CALENDAR[1]


def _day(year: int) -> st.SearchStrategy[date]:
    return st.builds(date, st.just(year), st.integers(1, 12), st.integers(1, 28))


@st.composite
def persons(draw, focus: int = 2025) -> PersonHistory:
    """Random histories, biased towards the `focus` year so that every title is often within reach."""
    years = draw(st.lists(st.sampled_from(YEARS), unique=True, min_size=1, max_size=len(YEARS)))
    rating = st.sampled_from(["HTXS", "HTXS", "HTXS", "HTT", "HTT", "HT", "KHT"])
    near_focus = st.sampled_from(range(focus - 2, focus + 1))
    initiative_year = st.one_of(st.sampled_from(YEARS), near_focus)
    initiatives = draw(
        st.lists(
            st.builds(
                Initiative,
                initiative_year.flatmap(_day),
                st.sampled_from(["CO_SO", "TINH_BO", "TOAN_QUOC"]),
                st.integers(0, 300_000_000),
            ),
            max_size=6,
        )
    )
    awards = draw(
        st.lists(
            st.builds(
                AwardRecord,
                st.sampled_from(["CSTDCS", "BK_TLD", "CSTD_BO", "KNC_CD", "GK"]),
                st.one_of(st.sampled_from(YEARS), near_focus),
                st.booleans(),
            ),
            max_size=6,
        )
    )
    discipline = draw(
        st.lists(
            st.builds(
                Discipline, st.sampled_from(["KHIEN_TRACH", "CANH_CAO"]), st.sampled_from(YEARS).flatmap(_day)
            ),
            max_size=1,
        )
    )
    ratings = {y: draw(rating) for y in years}
    # a run of HTXS years, often ending in the focus year, sometimes after a Bằng khen
    streak_length = draw(st.integers(0, 8))
    streak_end = draw(st.one_of(st.just(focus), st.sampled_from(YEARS)))
    streak_start = streak_end - streak_length + 1
    ratings.update(dict.fromkeys(range(streak_start, streak_end + 1), "HTXS"))
    if draw(st.booleans()):
        awards.append(AwardRecord("BK_TLD", streak_start - 1, draw(st.booleans())))
    return PersonHistory(
        ratings=ratings,
        registered_years=frozenset(y for y in ratings if draw(st.integers(0, 9)) > 0),
        months_worked={y: draw(st.sampled_from([12, 12, 12, 11, 10, 9, 6])) for y in ratings},
        absent_days={y: draw(st.sampled_from([0, 3, 8, 20, 39, 40, 60])) for y in ratings},
        maternity_days={y: draw(st.sampled_from([0, 0, 0, 0, 130])) for y in ratings},
        discipline=tuple(discipline),
        awards=tuple(awards),
        initiatives=tuple(initiatives),
        union_service=tuple(
            draw(
                st.lists(
                    st.builds(
                        ServicePeriod,
                        st.sampled_from(range(1990, 2020)).flatmap(_day),
                        st.none(),
                        st.sampled_from(["FULL_TIME", "PART_TIME", "PART_TIME_NON_STATE"]),
                    ),
                    max_size=2,
                )
            )
        ),
    )


def focused() -> st.SearchStrategy[tuple[int, PersonHistory]]:
    return st.sampled_from(range(2018, 2027)).flatmap(lambda y: st.tuples(st.just(y), persons(focus=y)))


@pytest.mark.parametrize("award", RATING_BASED)
def test_the_strategy_reaches_eligible_histories(award):
    """Guards property (a) against being vacuous: eligible examples do occur for every award."""
    example = find(
        persons(),
        lambda s: evaluate(award=award, year=2025, subject=s, rule_set=NEW).eligible,
        settings=settings(max_examples=2000, database=None, deadline=None, phases=[Phase.generate]),
    )
    assert evaluate(award=award, year=2025, subject=example, rule_set=NEW).eligible


# (a) an extra HTXS year never turns an eligible person ineligible for a rating-based title
@pytest.mark.parametrize("award", RATING_BASED)
@PROPERTY_SETTINGS
@given(case=focused())
def test_an_extra_htxs_year_never_hurts(award, case):
    year, subject = case
    before = evaluate(award=award, year=year, subject=subject, rule_set=NEW)
    if not before.eligible:
        return
    for extra in range(year - 9, year + 3):  # every year that could matter, and some that cannot
        better = replace(subject, ratings={**subject.ratings, extra: "HTXS"})
        after = evaluate(award=award, year=year, subject=better, rule_set=NEW)
        assert after.eligible, f"HTXS thêm năm {extra}: {after.explanation}"


# (b) the quota never accepts more than floor(q × n), and accepts in priority order
@PROPERTY_SETTINGS
@given(
    ldtt=st.integers(0, 400),
    percent=st.integers(0, 100),
    eligibility=st.lists(st.booleans(), min_size=1, max_size=80),
)
def test_quota_limit_and_priority_order(ldtt, percent, eligibility):
    q = percent / 100
    spec = apply_override(spec=NEW, overrides={"cstdcs_quota": q})
    ids = [f"c{i:02d}" for i in range(len(eligibility))]
    ineligible = evaluate(award="CSTDCS", year=2025, subject=PersonHistory(), rule_set=spec)
    verdicts = {cid: ineligible for cid, ok in zip(ids, eligibility, strict=True) if not ok}
    batch = Batch(unit="U", candidates=tuple(Candidate(cid) for cid in ids), ldtt_count=ldtt)
    result = evaluate_batch(
        award="CSTDCS", year=2025, batch=batch, rule_set=spec, candidate_verdicts=verdicts
    )

    limit = (Fraction(percent, 100) * ldtt).__floor__()
    eligible_in_order = [cid for cid in ids if cid not in verdicts]
    assert len(result.accepted) <= limit
    assert list(result.accepted) == eligible_in_order[:limit]
    assert sorted(result.accepted + result.refused) == ids
    assert "R-CSCS-02" in result.rules


@PROPERTY_SETTINGS
@given(
    federations=st.lists(st.sampled_from(["HN", "NB", "HCM"]), min_size=1, max_size=40),
    before=st.integers(0, 310),
)
def test_thematic_quota_caps(federations, before):
    candidates = tuple(Candidate(f"c{i}", f) for i, f in enumerate(federations))
    result = evaluate_batch(
        award="BK_CD_TLD",
        year=2025,
        batch=Batch("TLĐ", candidates, national_accepted_before=before),
        rule_set=NEW,
    )
    by_id = {c.id: c.federation for c in candidates}
    for federation in set(federations):
        assert sum(1 for cid in result.accepted if by_id[cid] == federation) <= 4
    assert before + len(result.accepted) <= max(300, before)


# (c) every verdict names a rule set
COLLECTIVES = st.builds(
    lambda size, done, ldtt, cs, led: CollectiveHistory(
        size=size,
        completed_duties=min(done, size),
        ldtt_count=min(ldtt, size),
        cstdcs_count=min(cs, size),
        led_cluster=led,
    ),
    st.integers(1, 60),
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 5),
    st.booleans(),
)


@PROPERTY_SETTINGS
@given(
    award=st.sampled_from(sorted(AWARDS)),
    person=persons(),
    collective=COLLECTIVES,
    year=st.sampled_from(range(2020, 2027)),
    spec=st.sampled_from(DEFAULT_CALENDAR),
)
def test_every_verdict_names_its_rule_set(award, person, collective, year, spec):
    subject = person if "person" in AWARDS[award].subject_kinds else collective
    verdict = evaluate(
        award=award, year=year, subject=subject, rule_set=spec, dossier=Dossier(date(year, 12, 1))
    )
    assert verdict.rule_set == spec.ref and verdict.rule_set
    assert f"Bộ quy tắc áp dụng: {spec.ref}" in verdict.explanation
    assert verdict.rules and verdict.deciding
    if not verdict.eligible:
        assert set(verdict.deciding) == {c.rule_id for c in verdict.criteria if not c.passed}
    # the verdict names every rule it rests on: the deciding ones and only rules of evaluated criteria
    evaluated = {rule for c in verdict.criteria for rule in c.rule_ids}
    assert set(verdict.deciding) <= set(verdict.rules) <= evaluated
    specific = {rule for c in verdict.criteria[:-1] for rule in c.rule_ids}  # all but the R-GEN-01 check
    assert specific <= set(verdict.rules)


# (d) vote tally: absent members never help
VOTES = st.builds(
    lambda size, present, yes, no: Vote(
        council_size=size, present=min(present, size), yes=min(yes, min(present, size)), no=0
    ),
    st.integers(1, 40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.just(0),
)


@PROPERTY_SETTINGS
@given(vote=VOTES, more_absent=st.integers(1, 10), spec=st.sampled_from(DEFAULT_CALENDAR))
def test_absent_members_never_help(vote, more_absent, spec):
    passed = evaluate_vote(vote=vote, rule_set=spec).eligible
    # more members who stay away: never turns a failing vote into a passing one
    bigger = replace(vote, council_size=vote.council_size + more_absent)
    assert not evaluate_vote(vote=bigger, rule_set=spec).eligible or passed
    # a present member who does not vote yes, or stays away instead, changes nothing
    if vote.present > vote.yes:
        stayed_away = replace(vote, present=vote.present - 1)
        assert evaluate_vote(vote=stayed_away, rule_set=spec).eligible == passed
    # the outcome is exactly yes / all members >= threshold
    assert passed == (Fraction(vote.yes, vote.council_size) >= Fraction(str(spec.params["vote_threshold"])))
