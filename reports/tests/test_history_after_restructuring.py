"""Issue 15, acceptance 1: dissolving LĐLĐ huyện Mỹ Đức on 01/07/2025 into the city federation leaves its
2023 and 2024 figures exactly as they were — dashboard, `unit_figures`, summary facts, news draft, Biểu 02 —
because each year's reports read the tree as it stood on 31/12 of that year (`organizations.tree`); Hà
Nội's 2023 report shows Mỹ Đức as its child, its 2026 report the CĐCS; and a past year costs the same
queries as the current one."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from organizations import tree as dated
from organizations.models import OrgUnit, TreeYear, UnitPlacement, UnitYearPath
from organizations.services import orgunit_dissolve, orgunit_move
from reports import dashboard as dash
from reports import summary
from reports.models import UnitCounter, UnitTotal
from reports.selectors import rollup, rollup_tree
from reports.services import counters_rebuild, counters_refresh

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)
NOW = timezone.localdate().year
YEARS = (2023, 2024)


def _award(code, *, issuer, year, person=None, unit=None, scope=None, number="1/QĐ"):
    return AwardRecord.objects.create(
        person=person,
        unit=unit,
        scope_unit=scope or unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number,
        decision_date=dt.date(year, 12, 20),
        issuing_unit=issuer,
        status="VALID",
    )


@pytest.fixture
def history(tree):
    """Mỹ Đức's awards of 2023 and 2024 (collective and individual), counters built for every year."""
    ensure_catalogue()
    t = tree
    for year in YEARS:
        _award("GK", issuer=t.md, unit=t.ubnd, year=year, number=f"{year}/1")
        _award("TTLDTT", issuer=t.md, unit=t.t1, year=year, number=f"{year}/2")
        _award("GK", issuer=t.md, person=t.hoa, scope=t.t2, year=year, number=f"{year}/3")
        _award("BK_LDLD", issuer=t.hn, person=t.an, scope=t.t1, year=year, number=f"{year}/4")
    for year in (*YEARS, 2025, NOW):
        counters_rebuild(year=year)
    return t


def _snapshot(unit: OrgUnit, year: int, user) -> dict:
    """Every figure and text the reports of `unit` for `year` show."""
    unit = OrgUnit.objects.get(pk=unit.pk)
    data = dash.build(unit=unit, year=year, user=user)
    facts = summary.facts(unit=unit, year=year, user=user)
    form = dash.award_form(unit=unit, year=year)
    call_command("unit_figures", unit.code, "--year", str(year), "--json", stdout=(out := _Out()))
    return {
        "now": dict(data["now"]),
        "before": dict(data["before"]),
        "own": dict(data["own"]),
        "tables": {k: (t.rows, t.footer) for k, t in data["tables"].items()},
        "facts": {k: v for k, v in facts.items() if isinstance(v, int | str | float)},
        "news": summary.news_draft(unit=unit, year=year, user=user),
        "form": [
            (line.label, line.values) if hasattr(line, "values") else repr(line) for line in form["lines"]
        ],
        "unit_figures": json.loads(out.text),
    }


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def _dissolve_my_duc(t, city):
    orgunit_dissolve(
        acting_user=city,
        unit=t.md,
        successor=t.hn,
        on=JULY_1,
        document_number="125/QĐ-LĐLĐ",
        document_date=dt.date(2025, 6, 25),
    )


def _children(unit, year, user=None):
    _, children, _ = rollup_tree(unit=OrgUnit.objects.get(pk=unit.pk), years=[year], year=year, user=user)
    return {c.code: f.get("members", 0) for c, f in children}


def test_dissolving_my_duc_keeps_2023_and_2024_as_they_were(history, make_user):
    t = history
    city = make_user(Role.OFFICER, t.hn)
    before = {year: _snapshot(t.md, year, city) for year in YEARS}
    city_before = {year: _snapshot(t.hn, year, city) for year in YEARS}
    assert before[2023]["now"]["aw_tt"] == 2 and before[2023]["now"]["aw_cn"] == 2
    assert before[2023]["now"]["members"] == 3
    assert "2 tập thể và 2 cá nhân" in before[2023]["news"]
    assert _children(t.hn, 2023) == {"HN-MD": 3, "HN-HBT": 1}

    _dissolve_my_duc(t, city)

    # the past years' trees are kept: Mỹ Đức still had its CĐCS on 31/12/2023 and 31/12/2024
    assert set(TreeYear.objects.values_list("year", flat=True)) == set(YEARS)
    ubnd_2023 = UnitYearPath.objects.get(year=2023, unit=t.ubnd)
    assert ubnd_2023.parent_id == t.md.pk and ubnd_2023.path.startswith(
        UnitYearPath.objects.get(year=2023, unit=t.md).path
    )
    assert UnitPlacement.objects.get(unit=t.ubnd).valid_to == dt.date(2025, 6, 30)
    # nothing was rebuilt: the restructuring re-pathed the counters in its own transaction
    for year in YEARS:
        after = _snapshot(t.md, year, city)
        assert after == before[year], year
        assert _snapshot(t.hn, year, city) == city_before[year], year
    assert _children(t.hn, 2023) == {"HN-MD": 3, "HN-HBT": 1}
    # today: the CĐCS sits directly under the city; the dissolved district is no child of this year
    assert _children(t.hn, NOW) == {"HN-MD-UBND": 3, "HN-HBT": 1}
    assert rollup(unit=OrgUnit.objects.get(pk=t.md.pk), year=NOW)["members"] == 0
    assert rollup(unit=OrgUnit.objects.get(pk=t.hn.pk), year=NOW)["members"] == 4
    # the dissolution's commit refreshes the dissolved unit (no longer a unit of this year: `units`)
    counters_refresh(year=NOW, unit_ids=[t.md.pk])
    # a full rebuild of every year gives the same figures as the re-pathing did, totals included
    snapshot_totals = sorted(UnitTotal.objects.values_list("unit_id", "year", "metric", "value"))
    snapshot_counters = sorted(UnitCounter.objects.values_list("unit_id", "year", "metric", "value", "path"))
    for year in (*YEARS, 2025, NOW):
        counters_rebuild(year=year)
    assert (
        sorted(UnitCounter.objects.values_list("unit_id", "year", "metric", "value", "path"))
        == snapshot_counters
    )
    assert sorted(UnitTotal.objects.values_list("unit_id", "year", "metric", "value")) == snapshot_totals
    for year in YEARS:
        assert _snapshot(t.md, year, city) == before[year]


def test_the_tree_on_a_date_is_a_query(history, make_user):
    t = history
    city = make_user(Role.OFFICER, t.hn)
    _dissolve_my_duc(t, city)
    assert dated.parents_on(dt.date(2025, 6, 30))[t.ubnd.pk] == t.md.pk
    assert dated.parents_on(JULY_1)[t.ubnd.pk] == t.hn.pk
    assert t.md.pk not in dated.parents_on(JULY_1)  # closed that day
    assert [u.code for u in dated.children_on(t.md, dt.date(2024, 5, 1))] == ["HN-MD-UBND"]
    assert [u.code for u in dated.children_on(t.md, JULY_1)] == []
    assert "HN-MD-UBND" in [u.code for u in dated.children_on(t.hn, JULY_1)]
    line = dated.lineage(OrgUnit.objects.get(pk=t.ubnd.pk))["placements"][0]
    assert (line.parent_id, line.valid_to, line.document_number) == (
        t.md.pk,
        dt.date(2025, 6, 30),
        "125/QĐ-LĐLĐ",
    )


def test_a_transfer_keeps_the_past_year_under_the_old_parent(history, make_user):
    """A plain transfer (not a dissolve) effective 01/01/2025: 2024 stays under Mỹ Đức, 2025 is on the
    new tree, and moving it back drops the past years' own trees."""
    t = history
    city = make_user(Role.OFFICER, t.hn)
    orgunit_move(
        acting_user=city, unit=t.ubnd, new_parent=t.hbt, on=dt.date(2025, 1, 1), document_number="9/QĐ"
    )
    assert rollup(unit=OrgUnit.objects.get(pk=t.md.pk), year=2024)["members"] == 3
    assert rollup(unit=OrgUnit.objects.get(pk=t.hbt.pk), year=2024)["members"] == 1
    assert rollup(unit=OrgUnit.objects.get(pk=t.hbt.pk), year=NOW)["members"] == 4
    assert _children(t.md, 2024) == {"HN-MD-UBND": 3}
    assert _children(t.hbt, 2024) == {"HN-HBT-MK": 1}


def test_a_past_year_costs_the_queries_of_the_current_year(history, make_user):
    """The dashboard of a past year with its own tree and of the current year: same number of queries,
    and the counter scan reads the rows of the year through the (year, path) range only."""
    t = history
    city = make_user(Role.OFFICER, t.hn)
    _dissolve_my_duc(t, city)
    counts = {}
    for year in (2024, NOW):
        unit = OrgUnit.objects.get(pk=t.hn.pk)
        with CaptureQueriesContext(connection) as ctx:
            dash.build(unit=unit, year=year, user=city)
        counts[year] = len(ctx.captured_queries)
    assert counts[2024] == counts[NOW]


def test_a_unit_recorded_with_a_past_founding_date_enters_that_years_tree(history, make_user):
    from organizations.models import OrgUnitType
    from organizations.services import orgunit_create

    t = history
    city = make_user(Role.OFFICER, t.hn)
    _dissolve_my_duc(t, city)
    new = orgunit_create(
        acting_user=city,
        parent=OrgUnit.objects.get(pk=t.hn.pk),
        name="Công đoàn Trường Trung học phổ thông Mỹ Đức A",
        code="HN-THPT-MDA",
        unit_type=OrgUnitType.objects.get(code="CDCS"),
        valid_from=dt.date(2024, 3, 1),
    )
    assert UnitYearPath.objects.filter(year=2024, unit=new, parent=t.hn).exists()
    # 2023 ended before it was founded: that year's tree is not rebuilt and does not list it
    assert not UnitYearPath.objects.filter(year=2023, unit=new, existed=True).exists()
    assert "HN-THPT-MDA" in _children(t.hn, 2024) and "HN-THPT-MDA" not in _children(t.hn, 2023)
    paths = list(UnitYearPath.objects.filter(year=2024).values_list("path", flat=True))
    assert len(paths) == len(set(paths))


def test_the_dashboard_pages_show_each_years_tree(history, make_user, client):
    """Through the screens: Hà Nội's 2023 dashboard lists Mỹ Đức among its units, its current one the CĐCS;
    Mỹ Đức's 2023 news draft still names its 2 collectives and 2 individuals."""
    from django.urls import reverse

    t = history
    city = make_user(Role.OFFICER, t.hn)
    _dissolve_my_duc(t, city)
    client.force_login(city)
    url = reverse("reports:dashboard", args=[t.hn.pk])
    past = client.get(url, {"nam": 2023})
    assert past.status_code == 200
    rows = [row[0] for row in past.context["table_children"].rows]
    assert "LĐLĐ huyện Mỹ Đức" in [str(r) for r in rows], rows
    now = client.get(url, {"nam": NOW})
    rows = [str(row[0]) for row in now.context["table_children"].rows]
    assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in rows and "LĐLĐ huyện Mỹ Đức" not in rows
    news = client.get(reverse("reports:news_txt", args=[t.md.pk]), {"nam": 2023})
    assert news.status_code == 200 and "2 tập thể và 2 cá nhân" in news.content.decode()
