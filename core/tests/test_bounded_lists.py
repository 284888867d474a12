"""Every list page is bounded (issue 16, acceptance 1): with more rows than one page, a list shows one
page, its "Trang sau" link works, its query count does not grow with the rows, and no query that reads
the listed table lacks a LIMIT (`core.pagination`: capped count, LIMIT/OFFSET page). On PostgreSQL the
registry's order is served by its index (no Sort node over the table)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from core.pagination import BoundedPaginator, page_of
from movements.models import Movement
from nominations.models import ApprovalStep, Dossier

pytestmark = pytest.mark.django_db
PAGE = 5


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.THIDUA_PAGE_SIZE = PAGE
    settings.THIDUA_COUNT_CAP = 20  # so that 40 rows are "more than the cap"


@pytest.fixture
def city(make_user, tree):
    return make_user(Role.OFFICER, tree.hn)


@pytest.fixture
def city_client(client, city):
    client.force_login(city)
    return client


# ----------------------------------------------------------------------------- row builders
def add_dossiers(tree, start: int, n: int, user=None) -> None:
    for i in range(start, start + n):
        dossier = Dossier.objects.create(
            proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title=f"Hồ sơ số {i:03d}", state="DRAFT"
        )
        waiting = Dossier.objects.create(
            proposing_unit=tree.ubnd,
            kind="YEARLY",
            year=2025,
            title=f"Hồ sơ chờ số {i:03d}",
            state="IN_REVIEW",
            current_level=tree.hn,
        )
        ApprovalStep.objects.create(dossier=waiting, level=tree.hn, verdict="PENDING")
        assert dossier.pk


def add_movements(tree, start: int, n: int, user=None) -> None:
    for i in range(start, start + n):
        Movement.objects.create(
            organiser=tree.md,
            name=f"Phong trào số {i:03d}",
            kind=Movement._meta.get_field("kind").choices[0][0],
            year=2025,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31),
        )


def add_records(tree, start: int, n: int, user=None) -> None:
    award = AwardType.objects.order_by("pk").first()
    for i in range(start, start + n):
        AwardRecord.objects.create(
            unit=tree.ubnd,
            scope_unit=tree.ubnd,
            award_type=award,
            year=2024,
            decision_number=f"{i}/QĐ-LĐLĐ",
            decision_date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            issuing_unit=tree.hn,
        )


def add_notifications(tree, start: int, n: int, user=None) -> None:
    from nominations.models import Notification

    for i in range(start, start + n):
        Notification.objects.create(user=user, text=f"Thông báo số {i:03d}", url="/")


def add_members(tree, start: int, n: int, user=None) -> None:
    from members.models import Membership, Person

    for i in range(start, start + n):
        person = Person.objects.create(
            family_name="Đoàn", middle_name="Viên", given_name=f"Aa{i:03d}", gender="F"
        )
        Membership.objects.create(person=person, unit=tree.ubnd, started_on=dt.date(2020, 1, 1))


def add_events(tree, start: int, n: int, user=None) -> None:
    from core.models import AuditEvent

    for i in range(start, start + n):
        AuditEvent.objects.create(
            action="test.event", object_type="test", object_id=str(i), object_repr="x", unit=tree.ubnd,
            summary=f"Sự kiện số {i:03d}",
        )  # fmt: skip


LISTS = {
    # name: (url, builder, the listed table, a text of every row)
    "inbox": (lambda t: reverse("nominations:inbox"), add_dossiers, "nominations_dossier", "Hồ sơ số "),
    "movements": (lambda t: reverse("movements:list"), add_movements, "movements_movement", "Phong trào số "),
    "registry": (
        lambda t: reverse("commendations:records"),
        add_records,
        "commendations_awardrecord",
        "/QĐ-LĐLĐ",
    ),
    "members": (
        lambda t: reverse("members:list") + f"?don_vi={t.ubnd.pk}",
        add_members,
        "members_person",
        "Đoàn Viên Aa",
    ),
    "audit": (lambda t: reverse("core:audit"), add_events, "core_auditevent", "Sự kiện số "),
    "notifications": (
        lambda t: reverse("nominations:notifications"),
        add_notifications,
        "nominations_notification",
        "Thông báo số ",
    ),
}


def unbounded(queries, table: str) -> list[str]:
    """The SELECTs that read `table` as their main table with no LIMIT."""
    main = re.compile(rf'^SELECT .*? FROM "{table}"', re.S)
    return [
        q["sql"]
        for q in queries
        if main.match(q["sql"]) and " LIMIT " not in q["sql"] and "EXISTS" not in q["sql"]
    ]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_shows_one_page_with_a_working_next_link(name, city_client, city, tree):
    url, build, table, marker = LISTS[name]
    build(tree, 0, 12, city)
    with CaptureQueriesContext(connection) as small:
        page = city_client.get(url(tree))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(marker) <= PAGE * 2 if name == "inbox" else html.count(marker) == PAGE
    assert "Trang sau" in html and "Trang trước" not in html
    second = city_client.get(url(tree), {"trang": 2}).content.decode()
    assert "Trang trước" in second and second.count(marker) >= 1
    assert unbounded(small.captured_queries, table) == []

    build(tree, 12, 28, city)  # 40 rows: past the count cap (20)
    with CaptureQueriesContext(connection) as large:
        html = city_client.get(url(tree)).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries), name
    assert unbounded(large.captured_queries, table) == []
    assert "trên hơn 20" in html  # the capped count, never a count of the whole scope


def test_the_inbox_pages_each_section_and_keeps_the_state_filter(city_client, tree):
    add_dossiers(tree, 0, 12)
    html = city_client.get(reverse("nominations:inbox"), {"trang_thai": "DRAFT"}).content.decode()
    recent = html.split("Hồ sơ gần đây", 1)[1]
    assert recent.count("Hồ sơ số ") == PAGE and "Hồ sơ chờ số" not in recent
    assert "trang_thai=DRAFT&amp;trang=2" in recent  # the next page keeps the filter
    # the "waiting for me" section has its own pages (?trang_cho=) and a capped count
    first = city_client.get(reverse("nominations:inbox")).content.decode()
    waiting = first.split("Chờ tôi xét duyệt", 1)[1].split("Hồ sơ đang soạn", 1)[0]
    assert waiting.count("Hồ sơ chờ số") == PAGE and "trang_cho=2" in waiting and ">12<" in waiting
    third = city_client.get(reverse("nominations:inbox"), {"trang_cho": 3}).content.decode()
    waiting = third.split("Chờ tôi xét duyệt", 1)[1].split("Hồ sơ đang soạn", 1)[0]
    assert waiting.count("Hồ sơ chờ số") == 2  # 12 = 5 + 5 + 2


def test_the_inbox_lists_only_what_waits_at_a_level_the_user_reviews(client, make_user, tree):
    add_dossiers(tree, 0, 3)
    outsider = make_user(Role.OFFICER, tree.hbt)  # another district: reviews nothing on this route
    client.force_login(outsider)
    html = client.get(reverse("nominations:inbox")).content.decode()
    assert "Hồ sơ chờ số" not in html and "Không có hồ sơ nào chờ xét." in html


def test_the_capped_count_reads_at_most_the_cap(settings):
    rows = list(range(100))
    page = page_of(rows, 1, per_page=5, cap=20)
    assert page.paginator.count == 20 and not page.paginator.exact and page.has_next()
    page = page_of(rows, 10, per_page=5, cap=20)  # past the cap: reachable, counted up to that page
    assert list(page) == [45, 46, 47, 48, 49] and page.has_next() and page.has_previous()
    page = page_of(rows, 99, per_page=5, cap=200)  # exact count: past the end gives the last page
    assert page.paginator.exact and list(page) == [95, 96, 97, 98, 99] and not page.has_next()
    assert list(page_of(rows, "x", per_page=5)) == [0, 1, 2, 3, 4]
    assert BoundedPaginator([], 5).num_pages == 1


def test_the_capped_count_query_has_a_limit_and_no_order(tree):
    add_movements(tree, 0, 3)
    with CaptureQueriesContext(connection) as ctx:
        page = page_of(Movement.objects.order_by("-year", "name", "pk"), 1, per_page=2, cap=20)
    count_sql = next(q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"])
    assert "LIMIT 21" in count_sql and "ORDER BY" not in count_sql
    assert page.paginator.count == 3 and page.paginator.exact


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_serves_the_registry_order_from_its_index(city, tree):
    from commendations.selectors import award_records

    add_records(tree, 0, 30)
    qs = award_records(user=city, unit=tree.hn)[:PAGE]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commendations_awardrecord")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "awardrecord_registry_order" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_serves_the_inbox_and_movement_orders_from_their_indexes(city, tree):
    from movements.selectors import movement_list
    from nominations.selectors import inbox_recent

    add_dossiers(tree, 0, 10)
    add_movements(tree, 0, 10)
    for qs, index in (
        (inbox_recent(user=city)[:PAGE], "dossier_recent"),
        (inbox_recent(user=city, state="DRAFT")[:PAGE], "dossier_state_recent"),
        (movement_list(user=city)[:PAGE], "movement_list_order"),
    ):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan and not re.search(r"\bSort\b", plan), plan
