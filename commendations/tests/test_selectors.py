"""Histories assembled from the database: correctness, and queries bounded whatever the number of people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Cluster, ClusterMember
from commendations.engine import evaluate
from commendations.models import RuleSet
from commendations.selectors import person_histories, unit_histories
from conftest import add_person, add_unit
from members.models import Membership
from organizations.models import Sector

pytestmark = pytest.mark.django_db


def test_person_history_from_every_source(tree, history):
    an = tree.an
    history.rate(an, 2024, "HTXS", absent=5, maternity=0)
    history.rate(
        an, 2025, "HTT", months=11, absent=3, maternity=120, discipline="KHIEN_TRACH", on=dt.date(2025, 3, 2)
    )
    history.register(an, 2025)
    history.initiative(an, dt.date(2025, 11, 10), level="TINH_BO", benefit=90_000_000)
    history.initiative(an, dt.date(2027, 1, 10))  # after the year: left out
    pending = history.initiative(an, dt.date(2025, 5, 5), level="TOAN_QUOC")
    pending.status = "SUBMITTED"  # not (or no longer) recognised: left out
    pending.save()
    cstdcs = history.award(an, "CSTDCS", 2023, achievement="TT-2023")
    history.award(an, "CSTDCS", 2022, used_for=cstdcs)
    membership = an.memberships.get()
    membership.work_mode = "PART_TIME"
    membership.job_title = "Phó Trưởng phòng"
    membership.save()

    h = person_histories(persons=[an], year=2025)[an.pk]
    assert h.ratings == {2024: "HTXS", 2025: "HTT"}
    assert h.months_worked[2025] == 11
    assert h.absent_days[2025] == 123 and h.maternity_days[2025] == 120  # the engine deducts maternity
    assert [(d.level, d.on) for d in h.discipline] == [("KHIEN_TRACH", dt.date(2025, 3, 2))]
    assert h.registered_years == frozenset({2025})
    assert [(i.scope, i.benefit_vnd) for i in h.initiatives] == [("TINH_BO", 90_000_000)]
    assert {(a.code, a.year, a.used, a.achievement_id) for a in h.awards} == {
        ("CSTDCS", 2022, True, None),
        ("CSTDCS", 2023, False, "TT-2023"),
    }
    assert [(s.mode, s.start, s.end) for s in h.union_service] == [("PART_TIME", dt.date(2020, 1, 1), None)]
    assert h.is_leader
    # maternity is not counted: 3 days absent, under the limit
    spec = RuleSet.objects.get(code="TLD-2025-ND152").to_spec()
    ldtt = evaluate(award="LDTT", year=2025, subject=h, rule_set=spec)
    absence = next(c for c in ldtt.criteria if "Nghỉ" in c.explanation)
    assert absence.passed and "120 ngày nghỉ thai sản không tính" in absence.explanation
    assert not ldtt.eligible and ldtt.deciding == ("R-LDTT-02",)  # the discipline


def test_part_time_in_a_private_enterprise_union_counts_as_non_state(tree):
    unit = add_unit(
        tree.md,
        "HN-MD-MAY",
        "Công đoàn Công ty May Mỹ Đức",
        "CDCS",
        sector=Sector.objects.get(code="NGOAI_NN"),
    )
    person = add_person(unit, "Vũ Thị Thu", started=dt.date(2014, 1, 1))
    Membership.objects.filter(person=person).update(work_mode="PART_TIME")
    h = person_histories(persons=[person.pk], year=2025)[person.pk]
    assert [s.mode for s in h.union_service] == ["PART_TIME_NON_STATE"]


def _people_with_history(history, unit, count):
    people = history.members(unit, count)
    for p in people:
        history.ldtt_year(p, 2025)
        history.initiative(p, dt.date(2025, 6, 1))
        history.award(p, "LDTT", 2024)
    return people


def test_person_histories_query_count_does_not_depend_on_the_number_of_people(tree, history):
    few = _people_with_history(history, tree.t1, 3)
    many = _people_with_history(history, tree.t2, 30)
    with CaptureQueriesContext(connection) as small:
        result_small = person_histories(persons=few, year=2025)
    with CaptureQueriesContext(connection) as large:
        result_large = person_histories(persons=many, year=2025)
    assert len(result_small) == 3 and len(result_large) == 30
    assert len(small.captured_queries) == len(large.captured_queries) == 5


def test_unit_history(tree, history):
    people = history.members(tree.t1, 4)
    for p in people[:3]:
        history.ldtt_year(p, 2025)
    history.rate(people[3], 2025, "HT")
    history.initiative(people[0], dt.date(2025, 9, 1))
    cluster = Cluster.objects.create(organiser=tree.md, year=2025, name="Cụm 1")
    ClusterMember.objects.create(cluster=cluster, unit=tree.t1, organiser=tree.md, year=2025, role="LEADER")
    h = unit_histories(units=[tree.t1], year=2025)[tree.t1.pk]
    assert (h.size, h.completed_duties, h.ldtt_count, h.led_cluster) == (5, 4, 3, True)  # + Nguyễn Văn An
    # quota R-CSCS-02: floor(0.15 × 3) = 0 CSTĐCS accepted
    assert h.cstdcs_count == 0


def test_unit_histories_query_count_is_bounded(tree, history):
    _people_with_history(history, tree.t1, 3)
    _people_with_history(history, tree.t2, 30)
    spec = RuleSet.objects.get(code="TLD-2025-ND152").to_spec()
    with CaptureQueriesContext(connection) as small:
        unit_histories(units=[tree.t1], year=2025, rule_set=spec)
    with CaptureQueriesContext(connection) as large:
        unit_histories(units=[tree.t2, tree.ubnd], year=2025, rule_set=spec)
    assert len(small.captured_queries) == len(large.captured_queries)
