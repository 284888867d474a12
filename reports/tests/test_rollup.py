"""Counters and rollups: own figures per unit, subtree sums, per-child sums in one query, bounded queries."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from conftest import add_person, add_unit
from members.models import Membership
from movements.models import Evaluation, Movement, Registration
from organizations.models import OrgUnit
from reports.models import UnitCounter
from reports.selectors import rollup, rollup_children
from reports.services import counters_rebuild, totals_rebuild

END = dt.date(2024, 12, 31)


def _movement(organiser, year=2024):
    return Movement.objects.create(
        organiser=organiser,
        name=f"Thi đua năm {year}",
        kind="YEARLY",
        year=year,
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        status="LAUNCHED",
    )


def test_counters_hold_own_figures_and_rollup_sums_the_subtree(tree):
    movement = _movement(tree.md)
    Registration.objects.create(movement=movement, person=tree.an, unit=tree.t1, titles=["LDTT"])
    Registration.objects.create(movement=movement, unit=tree.ubnd, titles=["TTLDTT"])
    Evaluation.objects.create(person=tree.an, year=2024, unit=tree.t1, rating="HTXS")
    Evaluation.objects.create(person=tree.hoa, year=2024, unit=tree.t2, rating="HT")
    counters_rebuild(year=2024)

    own_t1 = dict(UnitCounter.objects.filter(unit=tree.t1, year=2024).values_list("metric", "value"))
    assert own_t1 == {"members": 1, "reg_persons": 1, "eval_HTXS": 1, "units": 1}
    ubnd = rollup(unit=tree.ubnd, year=2024, metrics=["members", "members_female", "reg_persons", "cdcs"])
    assert ubnd == {"members": 3, "members_female": 1, "reg_persons": 1, "cdcs": 1}
    assert rollup(unit=tree.vn, year=2024)["members"] == 5
    assert rollup(unit=tree.md, year=2024)["reg_collectives"] == 1
    assert rollup(unit=tree.md, year=2024)["movements"] == 1

    children, own = rollup_children(unit=tree.ubnd, year=2024)
    figures = {c.code: f for c, f in children}
    assert figures["HN-MD-UBND-T01"]["members"] == 1
    assert figures["HN-MD-UBND-T02"]["eval_HT"] == 1
    assert own["members"] == 1  # the chairman sits in the CĐCS itself
    assert own["reg_collectives"] == 1


def test_rebuild_replaces_rows_and_a_subtree_rebuild_leaves_the_rest(tree):
    counters_rebuild(year=2024)
    add_person(tree.t1, "Lê Văn Cường", gender="M")
    add_person(tree.mk, "Ngô Thị Dung")
    counters_rebuild(year=2024, root=tree.md)
    assert rollup(unit=tree.md, year=2024)["members"] == 4
    assert rollup(unit=tree.hbt, year=2024)["members"] == 1  # not rebuilt yet
    counters_rebuild(year=2024)
    assert rollup(unit=tree.hbt, year=2024)["members"] == 2


def test_members_are_counted_at_year_end(tree):
    m = Membership.objects.get(person=tree.an)
    m.ended_on = dt.date(2024, 6, 30)
    m.save()
    add_person(tree.t1, "Phan Văn Mới", gender="M", started=dt.date(2025, 3, 1))
    counters_rebuild(year=2024)
    counters_rebuild(year=2023)
    assert rollup(unit=tree.t1, year=2024)["members"] == 0
    assert rollup(unit=tree.t1, year=2023)["members"] == 1


def _grow(tree, n_units: int, seed: int):
    rng = random.Random(seed)
    parents = [tree.ubnd]
    for i in range(n_units):
        parent = OrgUnit.objects.get(pk=rng.choice(parents).pk)
        unit = add_unit(parent, f"X{seed}-{i}", f"Tổ công đoàn số {i}", "TO_CD")
        parents.append(unit)
        add_person(unit, f"Trần Văn Số{i}", gender="M")


@pytest.mark.parametrize("n_units", [2, 12])
def test_query_counts_do_not_depend_on_the_tree(tree, n_units):
    _grow(tree, n_units, seed=n_units)
    with CaptureQueriesContext(connection) as ctx:
        counters_rebuild(year=2024)
    # one or two grouped queries per provider, plus the writes (23 since the registered members are counted
    # by movements/metrics.py: members/ may not import movements, so that figure has a query of its own;
    # 24 since the rebuild clears the pending refresh marks of the year it recomputed; 27 since it first
    # makes the year's tree right and reads every unit's path in it, organizations.tree; 29 since it
    # replaces the year's pre-rolled subtree totals: one delete, one insert)
    assert len(ctx.captured_queries) <= 29
    md = OrgUnit.objects.get(pk=tree.md.pk)
    with CaptureQueriesContext(connection) as ctx:
        rollup(unit=md, year=2024)
        rollup_children(unit=md, year=2024)
    # the unit's pre-rolled totals; the unit's path in the year's tree, its children, and ONE read of the
    # totals of the unit and of its children with its own counters
    assert len(ctx.captured_queries) == 4


def test_rebuild_and_rollup_query_counts_equal_for_small_and_larger_trees(tree):
    counters_rebuild(year=2024)  # the year's CounterYear row exists from now on
    counts = []
    for seed, n in ((1, 3), (2, 25)):
        _grow(tree, n, seed=seed)
        with CaptureQueriesContext(connection) as ctx:
            counters_rebuild(year=2024)
            rollup_children(unit=OrgUnit.objects.get(pk=tree.ubnd.pk), year=2024)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_women_and_registration_coverage_from_raw_tables(tree):
    movement = _movement(tree.hn)
    for person, unit in ((tree.an, tree.t1), (tree.minh_khai, tree.mk)):
        Registration.objects.create(movement=movement, person=person, unit=unit)
    counters_rebuild(year=2024)
    figures = rollup(unit=tree.hn, year=2024)
    raw_women = (
        Membership.objects.filter(unit__path__startswith=tree.hn.path, person__gender="F")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=END))
        .count()
    )
    assert figures["members_female"] == raw_women == 2
    assert figures["reg_persons"] == 2


def test_dashboard_totals_include_children_the_user_does_not_see(tree, make_user):
    """rollup_tree: the subtree totals count every child, the per-child figures only the visible ones."""
    from accounts.roles import Role
    from reports.selectors import rollup_tree

    md = OrgUnit.objects.get(pk=tree.md.pk)
    children = list(OrgUnit.objects.filter(path__startswith=md.path, depth=md.depth + 1).order_by("path"))
    for i, child in enumerate(children, start=1):
        UnitCounter.objects.create(unit=child, year=2024, metric="members", value=10 * i, path=child.path)
    UnitCounter.objects.create(unit=md, year=2024, metric="members", value=1, path=md.path)
    UnitCounter.objects.create(unit=md, year=2023, metric="members", value=7, path=md.path)
    for year in (2023, 2024):
        totals_rebuild(year=year)  # the hand-made counters' subtree totals
    expected = 1 + sum(10 * i for i in range(1, len(children) + 1))
    totals, by_child, own = rollup_tree(unit=md, years=[2023, 2024], year=2024, children=children[:1])
    assert totals[2024]["members"] == expected and totals[2023]["members"] == 7
    assert own["members"] == 1
    assert [(c.pk, f["members"]) for c, f in by_child] == [(children[0].pk, 10)]
    officer = make_user(Role.OFFICER, md)
    totals, by_child, _ = rollup_tree(unit=md, years=[2023, 2024], year=2024, user=officer)
    assert totals[2024]["members"] == expected and len(by_child) == len(children)
