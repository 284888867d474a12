"""Issue 12, finding 4 (acceptance 3): nobody who reads the database — or a dump of it — can tie a vote
to a voter. The tables are read the way an attacker would, in PHYSICAL order (SQLite `rowid`,
PostgreSQL `ctid`) with raw SQL, after nine members voted on two nominees with known choices in a
shuffled order; and the session page shows turnout only while voting is open."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from nominations import services
from nominations.models import BallotReceipt, BallotTally

from .test_workflow import _council_ready

pytestmark = pytest.mark.django_db

CHOICES = ("YES", "NO", "ABSTAIN")
RECEIPTS = BallotReceipt._meta.db_table


def _physical_order() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _rows(table: str) -> list[dict]:
    """Every row of the table in the order it is stored on disk."""
    columns = _columns(table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY {_physical_order()}"
        )
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _session_tables() -> list[str]:
    """Every table of the database that refers to a council session, except the receipts."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return [
        t
        for t in tables
        if t != RECEIPTS and any(c in ("session_id", "councilsession_id") for c in _columns(t))
    ]


def _zip_attack(receipts: list[dict], table: str) -> dict[tuple[int, int], str]:
    """The attack of the hostile test: per nominee, pair the receipts and the rows of `table` in
    physical order and read a choice off each row. {(voter, item): choice} recovered."""
    rows = _rows(table)
    item_column = "item_id" if "item_id" in _columns(table) else None
    recovered: dict[tuple[int, int], str] = {}
    if item_column is None:
        return recovered
    for item_id in {r["item_id"] for r in receipts}:
        voters = [r["voter_id"] for r in receipts if r["item_id"] == item_id]
        votes = [r for r in rows if r[item_column] == item_id]
        if len(votes) != len(voters):
            continue  # nothing to pair one to one
        for voter, row in zip(voters, votes, strict=True):
            choice = row.get("choice")
            if choice in CHOICES:
                recovered[(voter, item_id)] = choice
    return recovered


def _vote(tree, people, bk_city, seed=12):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an, tree.hoa])
    items = list(dossier.items.order_by("pk"))
    rng = random.Random(seed)
    truth = {}
    casts = [(member, item) for member in people["council"] for item in items]
    rng.shuffle(casts)
    for member, item in casts:
        choice = rng.choice(CHOICES)
        truth[(member.pk, item.pk)] = choice
        services.ballot_cast(acting_user=member, session=session, item=item, choice=choice)
    return session, items, truth


def test_no_stored_row_column_or_order_links_a_vote_to_its_voter(tree, people, bk_city):
    session, items, truth = _vote(tree, people, bk_city)
    receipts = _rows(RECEIPTS)
    assert len(receipts) == len(truth) == 18  # 9 members × 2 nominees: who voted is kept
    assert {(r["voter_id"], r["item_id"]) for r in receipts} == set(truth)
    assert "choice" not in _columns(RECEIPTS)

    tables = _session_tables()
    assert BallotTally._meta.db_table in tables
    for table in tables:
        columns = _columns(table)
        # no table other than the receipts names a voter, a user or a time
        assert not {"voter_id", "user_id", "cast_at", "created_at"} & set(columns), (table, columns)
        # no table holds one row per vote: the most rows any table has for a nominee is one
        rows = _rows(table)
        if "item_id" in columns:
            per_item = [sum(1 for r in rows if r["item_id"] == i.pk) for i in items]
            assert per_item == [1, 1], (table, per_item)
        # the old attack — zip receipts and votes in physical order — yields no choice at all
        assert _zip_attack(receipts, table) == {}, table

    # the tally is ONE row per nominee with the three counters: it holds the totals only
    tallies = {r["item_id"]: r for r in _rows(BallotTally._meta.db_table)}
    for item in items:
        expected = {c: sum(1 for (_, i), v in truth.items() if i == item.pk and v == c) for c in CHOICES}
        row = tallies[item.pk]
        assert (row["yes"], row["no"], row["abstain"]) == (
            expected["YES"],
            expected["NO"],
            expected["ABSTAIN"],
        )
        assert set(row) == {"id", "session_id", "item_id", "yes", "no", "abstain"}


def test_the_zip_attack_recovers_every_choice_from_per_vote_rows(tree, people, bk_city):
    """The test of the test: rows written per vote in the receipts' order — the layout of the old
    `Ballot` table — give every choice away to `_zip_attack`, on this very database."""
    session, items, truth = _vote(tree, people, bk_city, seed=7)
    receipts = _rows(RECEIPTS)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {qn('probe_ballot')} (item_id bigint, session_id bigint, choice varchar(8))"
        )
        for r in receipts:  # one anonymous row per vote, in the same order as the receipts
            cursor.execute(
                f"INSERT INTO {qn('probe_ballot')} (item_id, session_id, choice) VALUES (%s, %s, %s)",
                [r["item_id"], session.pk, truth[(r["voter_id"], r["item_id"])]],
            )
    try:
        assert _zip_attack(receipts, "probe_ballot") == truth
        assert "probe_ballot" in _session_tables()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {qn('probe_ballot')}")


def test_votes_are_counted_into_one_row_and_no_vote_inserts_a_row(tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an, tree.hoa])
    # the tally rows exist from the opening of the session, all at zero
    before = _rows(BallotTally._meta.db_table)
    assert [(r["yes"], r["no"], r["abstain"]) for r in before] == [(0, 0, 0), (0, 0, 0)]
    item = dossier.items.order_by("pk").first()
    services.ballot_cast(acting_user=people["council"][0], session=session, item=item, choice="ABSTAIN")
    after = _rows(BallotTally._meta.db_table)
    assert sorted(r["id"] for r in after) == sorted(r["id"] for r in before)
    assert services.tally(session=session, item=item) | {"share": 0} == {
        "yes": 0,
        "no": 0,
        "abstain": 1,
        "voted": 1,
        "size": 9,
        "share": 0,
    }


def test_session_page_shows_turnout_while_open_and_counts_after_close(client, tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    item = dossier.items.get()
    for member in people["council"][:3]:
        services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    services.ballot_cast(acting_user=people["council"][3], session=session, item=item, choice="NO")
    url = f"/de-nghi/hoi-dong/{session.pk}/"
    for viewer in (people["city"], people["council"][0], people["council"][8]):  # officer, members
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "4/9 thành viên đã bỏ phiếu" in page
        assert "đồng ý" not in page.replace("Đồng ý", "").replace("Không đồng ý", ""), viewer
        assert 'data-testid="tally"' not in page
    client.force_login(people["city"])
    client.post(url, {"action": "close", "xac_nhan": "1"})  # 4 of 9 voted: closed once confirmed
    for viewer in (people["city"], people["council"][0]):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "4/9 đã bỏ phiếu · 3 đồng ý · 1 không đồng ý · 0 không biểu quyết" in page
