"""Fast inserts for the roster commit (`members.services.rosters.roster_import`), one small path per backend.

Rows are plain dicts keyed by field attname (every concrete column but the primary key), not model
instances: at 100,000 rows, building instances and letting the ORM compile the INSERTs cost more than
the database does.

- PostgreSQL: ids are taken from the table's sequence in one query (`nextval` over `generate_series`),
  then the rows go in with `COPY … FROM STDIN` (psycopg 3).
- SQLite: multi-row `INSERT … RETURNING id` in batches that fit the bound-parameter limit; history rows
  (no ids needed) with `executemany`.

django-simple-history rows for the inserted objects are written the same way (history_type "+", the
acting user, change reason "Nhập danh sách") — what `bulk_create_with_history` would write, built once.
Everything runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from django.db import connection

from core.text import collation_key, fold

HISTORY_REASON = "Nhập danh sách"


def _columns(model) -> tuple[list[str], list[str]]:
    """(attnames, quoted column names) of the concrete fields except the auto primary key."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return [f.attname for f in fields], [connection.ops.quote_name(f.column) for f in fields]


def _row_getter(attnames: list[str]):
    getter = itemgetter(*attnames)
    return getter if len(attnames) > 1 else (lambda row: (getter(row),))


def insert(model, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `model`'s table and return their new primary keys, in order."""
    if not rows:
        return []
    attnames, columns = _columns(model)
    get = _row_getter(attnames)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk.column
    if connection.vendor == "postgresql":
        ids = _pg_allocate_ids(model._meta.db_table, pk, len(rows))
        _pg_copy(
            table,
            [connection.ops.quote_name(pk), *columns],
            ((new_id, *get(row)) for new_id, row in zip(ids, rows, strict=True)),
        )
        return ids
    return _sqlite_insert_returning(table, columns, [get(row) for row in rows], pk)


def insert_history(model, rows: list[dict[str, Any]], ids: list[int], *, when, user_id: int | None) -> None:
    """The simple-history "created" rows for objects just inserted by `insert` (same dicts, their ids).
    `when` must already be adapted for the backend (`connection.ops.adapt_datetimefield_value`)."""
    if not rows:
        return
    history = model.history.model
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    attnames = [f.attname for f in fields]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    get = _row_getter(attnames)
    extra = {
        "history_date": when,
        "history_change_reason": HISTORY_REASON,
        "history_type": "+",
        "history_user_id": user_id,
    }
    pk_name = model._meta.pk.attname
    values = (get({**row, **extra, pk_name: new_id}) for new_id, row in zip(ids, rows, strict=True))
    table = connection.ops.quote_name(history._meta.db_table)
    if connection.vendor == "postgresql":
        _pg_copy(table, columns, values)
    else:
        placeholders = ", ".join("?" * len(columns))
        raw = connection.connection.cursor()
        try:
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)
        finally:
            raw.close()


# --------------------------------------------------------------------------------------------- PostgreSQL
def _pg_allocate_ids(table: str, pk_column: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk_column])
        (sequence,) = cursor.fetchone()  # looked up once: per row it would cost more than nextval
        cursor.execute(  # one row holding an array: far cheaper to fetch than `count` rows
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, count]
        )
        return cursor.fetchone()[0]


def _pg_copy(table: str, columns: list[str], values: Iterable[tuple]) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


# ------------------------------------------------------------------------------------------------- SQLite
def _sqlite_insert_returning(
    table: str, columns: list[str], values: list[tuple], pk_column: str
) -> list[int]:
    raw_connection = connection.connection
    try:
        limit = raw_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python < 3.11
        limit = connection.features.max_query_params
    per_batch = max(1, limit // len(columns))
    one = "(" + ", ".join("?" * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    ids: list[int] = []
    cursor = raw_connection.cursor()
    try:
        for start in range(0, len(values), per_batch):
            batch = values[start : start + per_batch]
            cursor.execute(
                head + ", ".join([one] * len(batch)) + f" RETURNING {connection.ops.quote_name(pk_column)}",
                [value for row in batch for value in row],
            )
            # rowids are handed out in VALUES order; RETURNING's own order is not guaranteed
            ids.extend(sorted(row[0] for row in cursor.fetchall()))
    finally:
        cursor.close()
    return ids


# ---------------------------------------------------------------------------------------- derived names
class NameKeys:
    """`Person.refresh_derived` for many rows: full name, search text and sort key, with the folding
    and collation of each name part memoised (a roster repeats the same family, middle and given
    names). Gives exactly what `refresh_derived` gives (tested)."""

    def __init__(self) -> None:
        self._fold: dict[str, str] = {}
        self._collation: dict[str, str] = {}

    def _folded(self, part: str) -> str:
        value = self._fold.get(part)
        if value is None:
            value = self._fold[part] = fold(part)
        return value

    def _key(self, part: str) -> str:
        value = self._collation.get(part)
        if value is None:
            value = self._collation[part] = collation_key(part)
        return value

    def __call__(self, family: str, middle: str, given: str) -> tuple[str, str, str]:
        parts = [p for p in (family, middle, given) if p]
        full_name = " ".join(parts)
        search_text = " ".join(f for f in map(self._folded, parts) if f)
        # person_sort_key = collation_key(given, middle, family): parts are keyed independently
        sort_key = "00".join((self._key(given), self._key(middle), self._key(family)))
        return full_name, search_text, sort_key
