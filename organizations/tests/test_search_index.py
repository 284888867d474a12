"""Unit search through its index (issue 16, `core.search`): `orgunit_search` (the search box of
/don-vi/) without accents, in scope, on the pg_trgm GIN index or the SQLite FTS5 table, which follows
every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_unit
from core.text import fold
from organizations.models import OrgUnit, OrgUnitType
from organizations.selectors import orgunit_search

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's index")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")

FTS = "organizations_orgunit_fts"
TRGM = "organizations_orgunit_search_text_trgm"


def found(user, query: str) -> list[str]:
    return [unit.code for unit, _ancestors in orgunit_search(user=user, query=query)]


def fts_ids(phrase: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [f'"{phrase}"'])
        return {row[0] for row in cursor.fetchall()}


def schools(parent: OrgUnit, count: int) -> None:
    """`count` grassroots units under `parent`, written by bulk_create (no save(): the folded text set
    by hand, as a bulk loader does)."""
    parent = OrgUnit.objects.get(pk=parent.pk)
    cdcs = OrgUnitType.objects.get(code="CDCS")
    OrgUnit.objects.bulk_create(
        OrgUnit(
            path=OrgUnit._get_path(parent.path, parent.depth + 1, parent.numchild + 1 + i),
            depth=parent.depth + 1,
            name=f"Công đoàn Trường Tiểu học số {i + 1}",
            code=f"TH{i + 1:03d}",
            unit_type=cdcs,
            search_text=fold(f"Công đoàn Trường Tiểu học số {i + 1} TH{i + 1:03d}"),
        )
        for i in range(count)
    )
    OrgUnit.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)


@pytest.fixture
def hanoi(make_user, tree):
    return make_user(Role.OFFICER, tree.hn)


def test_unit_search_without_accents_and_in_scope(hanoi, officer, tree):
    assert found(hanoi, "my duc") == ["HN-MD", "HN-MD-UBND"]  # by depth
    assert found(hanoi, "PHÒNG TÀI CHÍNH") == ["HN-MD-UBND-T02"]
    assert found(hanoi, "hn-hbt-mk") == ["HN-HBT-MK"]  # the code is in the folded text
    assert found(hanoi, "yen khanh") == []  # Ninh Bình: outside Hà Nội
    assert found(officer, "minh khai") == [] and found(officer, "hai ba trung") == []
    assert found(officer, "phong noi vu") == ["HN-MD-UBND-T01"]


def test_short_unit_queries_match_the_start(hanoi, tree):
    assert found(hanoi, "Tổ") == ["HN-MD-UBND-T01", "HN-MD-UBND-T02"]
    assert found(hanoi, "vu") == []  # "… Nội vụ": two letters are a prefix, not a substring


@sqlite_only
def test_fts_follows_unit_writes(hanoi, tree):
    unit = add_unit(tree.md, "HN-MD-XA", "Công đoàn xã Hùng Tiến", "CDCS")
    assert fts_ids("hung tien") == {unit.pk}
    unit.name = "Công đoàn xã Hương Sơn"
    unit.save()
    assert fts_ids("hung tien") == set() and found(hanoi, "huong son") == ["HN-MD-XA"]
    schools(tree.md, 30)
    assert len(fts_ids("truong tieu hoc")) == 30 and found(hanoi, "tieu hoc so 27") == ["TH027"]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('integrity-check', 1)")


def search_plan(user, query: str) -> str:
    """The plan of the query `orgunit_search` itself runs for the matches."""
    with CaptureQueriesContext(connection) as captured:
        orgunit_search(user=user, query=query)
    (sql,) = [q["sql"] for q in captured.captured_queries if FTS in q["sql"] or "LIKE '%" in q["sql"]]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


@sqlite_only
def test_sqlite_unit_search_reads_the_fts_table(hanoi, tree):
    assert f"SCAN {FTS} VIRTUAL TABLE INDEX" in search_plan(hanoi, "my duc")


@postgres_only
def test_postgres_unit_search_uses_the_trigram_index(django_user_model, tree):
    """The national search (the whole table; an officer's subtree may rather be read by its path)."""
    schools(tree.md, 300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE organizations_orgunit")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # see members/tests/test_search_index.py
    national = django_user_model.objects.create_superuser(username="tw", password="x", full_name="Trung ương")
    plan = search_plan(national, "my duc")
    assert f"Bitmap Index Scan on {TRGM}" in plan
    assert "Index Cond: ((search_text)::text ~~ '%my duc%'::text)" in plan
    assert found(national, "tieu hoc so 27 th") == ["TH027"]
