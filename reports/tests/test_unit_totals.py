"""Issue 16, pre-rolled subtree totals: every unit's `UnitTotal` of a year equals the SUM of the own
counters of its subtree in that year's tree — after the background refreshes of committed writes and
after restructurings — and equals what a full rebuild writes."""

from collections import defaultdict

import pytest
from django.utils import timezone

from conftest import add_person, add_unit
from movements.models import Evaluation
from organizations import tree as dated
from organizations.models import OrgUnit
from organizations.services import orgunit_move
from reports.models import UnitCounter, UnitTotal
from reports.selectors import rollup, rollup_tree
from reports.services import counters_rebuild

YEAR = 2024
NOW = timezone.localdate().year
pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the refresh task runs on each


def _sums(year: int) -> dict[tuple[int, str], int]:
    """The oracle: for every unit, SUM of the own counters whose path starts with its path in the year's
    tree (the raw prefix sum the totals replace)."""
    counters = list(UnitCounter.objects.filter(year=year).values_list("path", "metric", "value"))
    result: dict[tuple[int, str], int] = defaultdict(int)
    for unit_id, path in dated.year_paths(year).items():
        for counter_path, metric, value in counters:
            if counter_path.startswith(path):
                result[(unit_id, metric)] += value
    return {key: v for key, v in result.items() if v}


def _totals(year: int) -> dict[tuple[int, str], int]:
    return {
        (u, m): v for u, m, v in UnitTotal.objects.filter(year=year).values_list("unit_id", "metric", "value")
    }


@pytest.fixture
def built(tree, make_user):
    tree.admin = make_user(is_superuser=True, is_staff=True)
    for year in (YEAR, NOW):
        counters_rebuild(year=year)
    return tree


def test_totals_equal_the_subtree_sums_and_a_full_rebuild_after_refreshes_and_moves(built):
    t = built
    for year in (YEAR, NOW):
        assert _totals(year) == _sums(year) and _totals(year), year
    members_md = rollup(unit=OrgUnit.objects.get(pk=t.md.pk), year=NOW)["members"]

    # committed writes: each queues a refresh of its unit, which moves its ancestors' totals by the delta
    add_person(t.t1, "Lê Văn Một", gender="M")
    new = add_unit(OrgUnit.objects.get(pk=t.ubnd.pk), "HN-MD-UBND-T09", "Tổ công đoàn mới", "TO_CD")
    add_person(new, "Phạm Thị Hai")
    Evaluation.objects.create(person=t.an, year=YEAR, unit=t.t1, rating="HTT", months_worked=12)
    for year in (YEAR, NOW):
        assert _totals(year) == _sums(year), year
    md = OrgUnit.objects.get(pk=t.md.pk)
    assert rollup(unit=md, year=NOW)["members"] == members_md + 2
    assert rollup(unit=md, year=NOW)["units"] == 5  # itself, the CĐCS, its three teams
    assert rollup(unit=md, year=YEAR)["eval_HTT"] == 1

    # a restructuring: Mỹ Đức's CĐCS moves under Hai Bà Trưng today; 2024 keeps its own tree
    orgunit_move(acting_user=t.admin, unit=OrgUnit.objects.get(pk=t.ubnd.pk), new_parent=t.hbt)
    for year in (YEAR, NOW):
        assert _totals(year) == _sums(year), year
    md, hbt = OrgUnit.objects.get(pk=t.md.pk), OrgUnit.objects.get(pk=t.hbt.pk)
    assert rollup(unit=md, year=NOW)["members"] == 0
    assert rollup(unit=hbt, year=NOW)["members"] == 1 + members_md + 2
    assert rollup(unit=md, year=YEAR)["members"] == members_md + 2  # 2024 on 2024's tree
    totals, children, _ = rollup_tree(unit=hbt, years=[NOW], year=NOW)
    assert {c.code: f["members"] for c, f in children} == {"HN-HBT-MK": 1, "HN-MD-UBND": members_md + 2}

    # a later refresh of a moved unit adds to its new ancestors only
    add_person(OrgUnit.objects.get(pk=t.t2.pk), "Đỗ Văn Ba", gender="M")
    assert rollup(unit=OrgUnit.objects.get(pk=t.hbt.pk), year=NOW)["members"] == 1 + members_md + 3
    assert rollup(unit=OrgUnit.objects.get(pk=t.md.pk), year=NOW)["members"] == 0
    for year in (YEAR, NOW):
        assert _totals(year) == _sums(year), year

    snapshot = {year: _totals(year) for year in (YEAR, NOW)}
    for year in (YEAR, NOW):
        counters_rebuild(year=year)
        assert _totals(year) == snapshot[year], year
