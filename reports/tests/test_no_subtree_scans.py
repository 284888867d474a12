"""Issue 16, acceptance 3: no page scans the memberships (or persons) of a subtree. Every subtree figure
of the home page, the tree, the unit page (its members column included), the dashboard and the inbox comes
from the pre-rolled counters; the SQL each page runs, as an officer of a big unit, is captured and a
detector on the SQL text fails on any query over members_membership / members_person filtered by a
subtree (a path prefix, or an IN sub-query over the subtree's units); and the pages' query counts do not
grow when the subtree does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from conftest import add_person, add_unit
from members.models import Membership, Person
from movements.choices import MovementKind, MovementStatus
from movements.models import Movement, Registration
from organizations import tree as dated
from organizations.models import OrgUnit
from reports.models import CounterYear
from reports.services import counters_rebuild

pytestmark = pytest.mark.django_db
NOW = timezone.localdate().year

# the tables of people: a query reading one of them must not select a subtree
PEOPLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(members_membership|members_person)"?', re.I)
# a subtree: a LIKE on a unit path (`path LIKE '0001%'`, `path::text LIKE …`, `LIKE … ESCAPE`), or an IN
# sub-query selecting units (their ids, by path, from the tree or a year's tree)
SUBTREE_PREFIX = re.compile(r'"path"(?:::text)?\s+(?:I?LIKE|GLOB)\s', re.I)
SUBTREE_IN = re.compile(
    r'IN\s*\(\s*SELECT\b[^()]*\bFROM\s+"?(?:organizations_orgunit|organizations_unityearpath)"?', re.I
)


def subtree_scans(queries) -> list[str]:
    """The captured queries that read memberships or persons over a subtree."""
    found = []
    for query in queries:
        sql = query["sql"]
        if PEOPLE.search(sql) and (SUBTREE_PREFIX.search(sql) or SUBTREE_IN.search(sql)):
            found.append(sql)
    return found


def _pages(t, movement) -> dict[str, str]:
    return {
        "home": "/",
        "tree": "/don-vi/",
        "tree children": f"/don-vi/{t.hn.pk}/truc-thuoc/",
        "unit page": f"/don-vi/{t.hn.pk}/",
        "unit page (district)": f"/don-vi/{t.md.pk}/",
        "dashboard": f"/bao-cao/don-vi/{t.hn.pk}/?nam={NOW}",
        "inbox": "/de-nghi/",
        "movement page": f"/phong-trao/{movement.pk}/",
    }


def _run(client, t) -> dict[str, list[dict]]:
    captured = {}
    for name, url in _pages(t, client.movement).items():
        client.get(url)  # warm the session and the per-process caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_HX_REQUEST="true" if "children" in name else None)
        assert response.status_code == 200, name
        captured[name] = ctx.captured_queries
    return captured


@pytest.fixture
def city(client, tree, make_user):
    """An officer of the city federation (the biggest unit of the test tree), this year's counters built,
    the city's yearly movement launched with a registration (so the unit page shows the movements panel
    and the children's coverage column, each with the members of a subtree)."""
    movement = Movement.objects.create(
        organiser=tree.hn,
        name=f"Thi đua lao động giỏi năm {NOW}",
        kind=MovementKind.YEARLY,
        year=NOW,
        start_date=dt.date(NOW, 1, 1),
        end_date=dt.date(NOW, 12, 31),
        status=MovementStatus.LAUNCHED,
    )
    Registration.objects.create(movement=movement, person=tree.an, unit=tree.t1, titles=["LDTT"])
    counters_rebuild(year=NOW)
    client.force_login(make_user(Role.OFFICER, tree.hn))
    client.movement = movement
    return client


def test_the_detector_catches_a_hand_written_subtree_count(tree):
    """The test of the test: the raw counts the pages used to run are caught; a unit's own rows are not."""
    md = OrgUnit.objects.get(pk=tree.md.pk)
    with CaptureQueriesContext(connection) as ctx:
        Membership.objects.filter(unit__path__startswith=md.path, ended_on__isnull=True).count()
    assert len(subtree_scans(ctx.captured_queries)) == 1
    with CaptureQueriesContext(connection) as ctx:  # the unit page's old IN sub-query, a person scope
        Membership.objects.filter(unit__in=OrgUnit.objects.filter(path__startswith=md.path)).count()
        Person.objects.filter(memberships__unit__path__startswith=md.path).count()
        list(Membership.objects.filter(dated.subtree_q("unit", md, NOW)).values_list("pk"))
    assert len(subtree_scans(ctx.captured_queries)) == 3
    with CaptureQueriesContext(connection) as ctx:
        Membership.objects.filter(unit=md, ended_on__isnull=True).count()
        list(Person.objects.filter(pk__in=[1, 2]))
        OrgUnit.objects.filter(path__startswith=md.path).count()  # units, not people
    assert subtree_scans(ctx.captured_queries) == []


def test_no_page_scans_the_memberships_of_a_subtree(city, tree):
    captured = _run(city, tree)
    for name, queries in captured.items():
        assert subtree_scans(queries) == [], name
    page = city.get(f"/don-vi/{tree.hn.pk}/").content.decode()
    assert city.movement.name in page and "Tỷ lệ đăng ký theo" in page  # both movement parts shown
    assert 'data-testid="figures-unbuilt"' not in page


def test_page_query_counts_do_not_grow_with_the_subtree(city, tree):
    before = {name: len(q) for name, q in _run(city, tree).items()}
    ubnd = OrgUnit.objects.get(pk=tree.ubnd.pk)
    for i in range(30):
        unit = add_unit(ubnd, f"HN-MD-UBND-G{i:02}", f"Tổ công đoàn thêm {i}", "TO_CD")
        add_person(unit, f"Nguyễn Văn Thêm{i}", gender="M" if i % 2 else "F")
    counters_rebuild(year=NOW)
    after = {name: len(q) for name, q in _run(city, tree).items()}
    assert after == before
    stats = city.get(f"/don-vi/{tree.md.pk}/").context["stats"]
    assert stats["members"] == 3 + 30 and stats["units_below"] == 3 + 30  # the figures did grow


def test_pages_say_when_this_years_counters_are_not_built(city, tree):
    """No silent raw count: without this year's counters the unit page says so and shows no figure."""
    CounterYear.objects.filter(year=NOW).update(rebuilt_at=None)
    response = city.get(f"/don-vi/{tree.hn.pk}/")
    assert response.context["stats"] == {"built": False, "year": NOW}
    assert f"Chưa tổng hợp số liệu năm {NOW}." in response.content.decode()
    assert "members.count" not in [c.key for c in response.context["child_columns"]]
    with CaptureQueriesContext(connection) as ctx:
        city.get(f"/don-vi/{tree.hn.pk}/")
    assert subtree_scans(ctx.captured_queries) == []


def test_the_unit_pages_year_comes_from_the_pre_rolled_totals(tree, make_user):
    """The unit page's default year is the latest year whose totals show registrations or initiatives:
    one read of the unit's own totals, no registration or initiative of the subtree read."""
    from organizations import panels
    from reports.selectors import latest_figures_year

    assert set(panels._year_sources) == {"reports.figures"}
    person = add_person(tree.ubnd, "Lê Thị Năm")
    movement = Movement.objects.create(
        organiser=tree.md,
        name="Phong trào năm 2024",
        kind=MovementKind.YEARLY,
        year=2024,
        status=MovementStatus.LAUNCHED,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
    )
    Registration.objects.create(movement=movement, person=person, unit=tree.ubnd, titles=["LDTT"])
    assert latest_figures_year(tree.md) is None  # not built yet: the page falls back to last year
    counters_rebuild(year=2024)
    counters_rebuild(year=2023)
    with CaptureQueriesContext(connection) as queries:
        assert panels.figures_year(tree.md) == 2024
        assert panels.figures_year(tree.hbt) == NOW - 1  # nothing there: last year
    assert len(queries.captured_queries) == 2
    assert not [q for q in queries.captured_queries if "movements_registration" in q["sql"]]
    assert all("reports_unittotal" in q["sql"] for q in queries.captured_queries)
