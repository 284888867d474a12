"""Member search through its index (issue 16, `core.search`): results without accents, scope kept, the
SQLite FTS5 table true after every kind of write, and the query plan on the index (pg_trgm GIN on
PostgreSQL, the FTS5 virtual table on SQLite)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_person
from core import search
from members.models import Membership, Person
from members.selectors import PersonFilters, person_list
from members.services import roster_import
from members.tests.test_roster_bulk import make_rows

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's index")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")

FTS = "members_person_fts"
TRGM = "members_person_search_text_trgm"


def names(user, q: str) -> list[str]:
    return [p.full_name for p in person_list(user=user, filters=PersonFilters(q=q, status="all"))]


def fts_ids(phrase: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [f'"{phrase}"'])
        return {row[0] for row in cursor.fetchall()}


def assert_fts_true() -> None:
    """FTS5's own check of an external-content index against its table (rank 1: compare contents)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('integrity-check', 1)")


@pytest.fixture
def hanoi(make_user, tree):
    return make_user(Role.OFFICER, tree.hn)


def test_search_without_accents_finds_the_accented_name(hanoi, tree):
    add_person(tree.t1, "Nguyễn Văn Bảo")
    add_person(tree.t2, "Nguyễn Thị Vân")
    assert names(hanoi, "nguyen van") == ["Nguyễn Văn An", "Nguyễn Văn Bảo"]  # sort_key: given name
    assert names(hanoi, "NGUYỄN VĂN") == ["Nguyễn Văn An", "Nguyễn Văn Bảo"]
    assert names(hanoi, "thi van") == ["Nguyễn Thị Vân"]  # any part of the name, not only its start
    assert names(hanoi, "dang duc") == ["Đặng Đức Thắng"]  # đ folds to d
    assert names(hanoi, "khong co ai") == []


def test_the_list_screen_searches_through_the_index(client, hanoi, tree):
    client.force_login(hanoi)
    page = client.get("/doan-vien/", {"q": "van an"}).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Hoa" not in page


def test_an_officer_never_finds_another_branch(officer, tree):
    """The Mỹ Đức officer: Lê Thị Ánh (Minh Khai, Hai Bà Trưng) stays out, by name and by prefix."""
    assert names(officer, "le thi anh") == [] and names(officer, "le") == []
    assert names(officer, "pham van") == []  # Yên Khánh, another province
    assert names(officer, "nguyen van an") == ["Nguyễn Văn An"]


def test_short_queries_match_the_start_of_the_name(hanoi, tree):
    """Fewer than 3 characters cannot use trigrams: they match the start (the family name) instead."""
    assert names(hanoi, "Lê") == ["Lê Thị Ánh"]
    assert names(hanoi, "ng") == ["Nguyễn Văn An"]
    assert names(hanoi, "an") == []  # not "Nguyễn Văn An": a 2-letter query is a prefix
    assert names(hanoi, "z") == []


@sqlite_only
def test_fts_follows_insert_update_delete(tree):
    person = add_person(tree.t1, "Hoàng Minh Tuấn")
    assert fts_ids("hoang minh") == {person.pk}
    person.given_name = "Tú"
    person.save()
    assert fts_ids("hoang minh tuan") == set() and fts_ids("hoang minh tu") == {person.pk}
    Person.objects.filter(pk=person.pk).update(search_text="vu hoang minh")  # a queryset update
    assert fts_ids("hoang minh tu") == set() and fts_ids("vu hoang") == {person.pk}
    Person.objects.bulk_create(
        [Person(family_name="Vũ", given_name="Lan", full_name="Vũ Lan", search_text="vu lan", gender="F")]
    )
    assert len(fts_ids("vu lan")) == 1
    person.memberships.all().delete()
    person.delete()
    assert fts_ids("vu hoang") == set()
    assert_fts_true()


@sqlite_only
def test_fts_follows_a_roster_import(tree, officer, make_user):
    rows, header, mapping = make_rows(300)
    roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    assert_fts_true()
    imported = set(Person.objects.filter(search_text__contains="duc minh").values_list("pk", flat=True))
    assert len(imported) == 75 and fts_ids("duc minh") == imported
    assert len(names(make_user(Role.OFFICER, tree.md), "tran duc minh binh")) == 15


@pytest.fixture
def national(django_user_model):
    return django_user_model.objects.create_superuser(username="tw", password="x", full_name="Trung ương")


@sqlite_only
def test_sqlite_plan_reads_the_fts_table(hanoi, national, tree):
    plan = person_list(user=hanoi, filters=PersonFilters(q="nguyen van"))[:20].explain()
    assert f"SCAN {FTS} VIRTUAL TABLE INDEX" in plan
    plan = person_list(user=national, filters=PersonFilters(q="le", status="all"))[:20].explain()
    assert FTS not in plan  # the prefix: a range on the btree index of the column
    assert "USING INDEX members_person_search_text_" in plan and "(search_text>? AND search_text<?)" in plan


@sqlite_only
def test_current_members_are_probed_per_row_not_listed(national, tree):
    """The list of current members walks its order and probes each row's open membership (EXISTS):
    no list of every open membership is built before the first row (a `pk IN (…)` would be)."""
    for q in ("", "nguyen van"):
        plan = person_list(user=national, filters=PersonFilters(q=q))[:20].explain()
        assert "CORRELATED SCALAR SUBQUERY" in plan and "(person_id=?)" in plan
        assert "SCAN U0" not in plan  # the memberships are never scanned
    plain = person_list(user=national, filters=PersonFilters())[:20].explain()
    assert "SCAN members_person USING INDEX members_person_sort_key" in plain and "TEMP B-TREE" not in plain


@sqlite_only
def test_a_rebuilt_table_gets_its_triggers_back(tree):
    """A later migration that remakes the table drops its triggers: post_migrate puts them back."""
    assert search.ensure_search_indexes(connection) == []  # the migrated test database is complete
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS}_ai")
    missed = Person.objects.create(
        family_name="Chu", given_name="Văn", gender="M", birth_date=dt.date(1990, 1, 1)
    )
    assert fts_ids("chu van") == set()
    assert "members_person" in search.ensure_search_indexes(connection)
    assert fts_ids("chu van") == {missed.pk}
    assert_fts_true()


def disable_scans(*kinds: str) -> None:
    """Leave the planner no cheaper path than the index: on a test-sized table a scan of the table or
    of the primary key costs less than a GIN index (the bench, bench/search.py, shows the choice at
    scale). What this proves is that the index serves the exact expression the query uses."""
    with connection.cursor() as cursor:
        for kind in kinds:
            cursor.execute(f"SET LOCAL enable_{kind} = off")


def analyzed_crowd(tree, count: int = 500) -> None:
    """Enough rows for the planner's statistics (ANALYZE) to tell the search is selective."""
    people = Person.objects.bulk_create(
        Person(family_name="Trần", given_name=f"Số {i}", full_name=f"Trần Số {i}", search_text=f"tran so {i}")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(person=p, unit=tree.t1 if i % 2 else tree.mk, started_on=dt.date(2020, 1, 1))
        for i, p in enumerate(people)
    )
    with connection.cursor() as cursor:
        for table in ("members_person", "members_membership", "organizations_orgunit"):
            cursor.execute(f"ANALYZE {table}")


@postgres_only
def test_postgres_plan_uses_the_trigram_index(hanoi, national, tree):
    analyzed_crowd(tree)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [TRGM])
        (definition,) = cursor.fetchone()
    assert "USING gin (search_text gin_trgm_ops)" in definition
    disable_scans("seqscan", "indexscan")
    for user in (hanoi, national):
        plan = person_list(user=user, filters=PersonFilters(q="nguyen van"))[:20].explain()
        assert f"Bitmap Index Scan on {TRGM}" in plan
        assert "Index Cond: ((search_text)::text ~~ '%nguyen van%'::text)" in plan
    assert names(hanoi, "nguyen van") == ["Nguyễn Văn An"]


@postgres_only
def test_postgres_short_query_uses_the_pattern_index(national, tree):
    disable_scans("seqscan")
    plan = person_list(user=national, filters=PersonFilters(q="le", status="all"))[:20].explain()
    assert "members_person_search_text" in plan and "_like" in plan and TRGM not in plan


def test_the_pickers_search_through_the_index(tree):
    """The person and unit pickers of every form (`members.widgets`) use the same filter."""
    from members.widgets import person_matches, unit_matches
    from organizations.models import OrgUnit

    found, more = person_matches(Person.objects.all(), "nguyen van an 1985")
    assert [p.full_name for p, _m in found] == ["Nguyễn Văn An"] and not more
    assert [p.full_name for p, _m in person_matches(Person.objects.all(), "Lê")[0]] == ["Lê Thị Ánh"]
    assert [p.full_name for p, _m in person_matches(Person.objects.all(), "0100000002")[0]] == [
        "Trần Thị Hoa"
    ]
    units, _more = unit_matches(OrgUnit.objects.all(), "phong noi vu")
    assert [u.code for u, _none in units] == ["HN-MD-UBND-T01"]
    with CaptureQueriesContext(connection) as captured:
        person_matches(Person.objects.all(), "van an")
        unit_matches(OrgUnit.objects.all(), "noi vu")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    if connection.vendor == "sqlite":
        assert f'"{FTS}" MATCH' in sql and '"organizations_orgunit_fts" MATCH' in sql
    else:
        assert "LIKE '%van an%'" in sql and "LIKE '%noi vu%'" in sql  # what the trigram indexes serve
