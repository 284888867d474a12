"""Substring search on a stored folded column (`core.text.fold`) through an index, on both databases
(issue 16: a `LIKE '%…%'` read every row of a 2-million-row table).

- PostgreSQL: a GIN `gin_trgm_ops` index (extension pg_trgm) on the column, named
  `<table>_<column>_trgm`; the query stays `column LIKE '%folded%'` (Django's `__contains`), which is
  the expression the index serves (an `UPPER()` or `ILIKE` would miss it).
- SQLite: an FTS5 table `<table>_fts` with the `trigram` tokenizer, external content (the model's
  table: it stores only the index), kept true by AFTER INSERT / UPDATE / DELETE triggers, so every
  path that writes rows (save, `bulk_create`, the roster's raw inserts, a backup restore) keeps it
  true. The query is `pk IN (SELECT rowid FROM <table>_fts WHERE <table>_fts MATCH '"folded"')` — a
  trigram phrase, which is exactly a substring.
- Fewer than 3 characters (`TRIGRAM_MIN`) cannot be searched by trigrams: such a query is a *prefix*
  of the folded text ("le" finds "Lê Văn An", the family name comes first), served by the column's
  btree index (`varchar_pattern_ops`, which Django adds to an indexed CharField on PostgreSQL; a range
  on the plain index on SQLite). Lists stay bounded by their LIMIT either way.

`folded_contains(model, folded)` is the one place that decides; selectors use it, views never know.
The index is created by the operation `CreateSearchIndex` in the app's migration; on SQLite
`ensure_search_indexes` (after every `migrate`) restores triggers a table rebuild dropped and
rebuilds the FTS table then.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db import connection as default_connection
from django.db.migrations.operations.base import Operation
from django.db.models import Q
from django.db.models.expressions import RawSQL

TRIGRAM_MIN = 3

# model label → (db_table, column) of every search index (`register`, from the apps' `ready`)
_INDEXES: dict[str, tuple[str, str]] = {}


def register(model, field: str = "search_text") -> None:
    """Declare that `model`'s `field` has its search index (created by `CreateSearchIndex`)."""
    _INDEXES[model._meta.label] = (model._meta.db_table, model._meta.get_field(field).column)


def trgm_index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def fts_table_name(table: str) -> str:
    return f"{table}_fts"


def _prefix_upper_bound(text: str) -> str:
    """The smallest string above every string that starts with `text` (byte order of UTF-8)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def folded_contains(model, folded: str, *, field: str = "search_text", relation: str = "") -> Q:
    """Q for rows whose folded `field` contains `folded` (≥ 3 characters) or starts with it (fewer),
    through the field's search index. `relation` (e.g. "person__") applies it across a foreign key,
    `model` then being the related model."""
    if not folded:
        return Q()
    if len(folded) < TRIGRAM_MIN:
        if default_connection.vendor == "sqlite":
            return Q(
                **{f"{relation}{field}__gte": folded, f"{relation}{field}__lt": _prefix_upper_bound(folded)}
            )
        return Q(**{f"{relation}{field}__startswith": folded})
    if default_connection.vendor == "sqlite":
        table = fts_table_name(model._meta.db_table)
        phrase = '"' + folded.replace('"', '""') + '"'
        matching = RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [phrase])  # noqa: S611
        return Q(**{f"{relation}pk__in": matching})
    return Q(**{f"{relation}{field}__contains": folded})


# ------------------------------------------------------------------------------------------ creation


def _sqlite_statements(table: str, column: str) -> list[str]:
    fts = fts_table_name(table)
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5("{column}", content="{table}", '
        f"content_rowid=\"id\", tokenize='trigram')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
        f'INSERT INTO "{fts}" (rowid, "{column}") VALUES (new."id", new."{column}"); END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
        f'INSERT INTO "{fts}" ("{fts}", rowid, "{column}") VALUES (\'delete\', old."id", old."{column}"); END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF "{column}" ON "{table}" '
        f'WHEN old."{column}" IS NOT new."{column}" BEGIN '
        f'INSERT INTO "{fts}" ("{fts}", rowid, "{column}") VALUES (\'delete\', old."id", old."{column}"); '
        f'INSERT INTO "{fts}" (rowid, "{column}") VALUES (new."id", new."{column}"); END',
    ]


def _sqlite_triggers(cursor, table: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
    return {row[0] for row in cursor.fetchall()}


def _sqlite_ensure(cursor, table: str, column: str) -> bool:
    """Create what is missing; rebuild the FTS table when it or a trigger was. True if rebuilt."""
    fts = fts_table_name(table)
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
    complete = cursor.fetchone() is not None and _sqlite_triggers(cursor, table) >= {
        f"{fts}_ai",
        f"{fts}_ad",
        f"{fts}_au",
    }
    if complete:
        return False
    for statement in _sqlite_statements(table, column):
        cursor.execute(statement)
    cursor.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')
    return True


def _postgresql_statements(table: str, column: str) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f'CREATE INDEX IF NOT EXISTS "{trgm_index_name(table, column)}" ON "{table}" '
        f'USING gin ("{column}" gin_trgm_ops)',
    ]


def index_tables() -> set[str]:
    """The SQLite FTS5 tables of the search indexes and their shadow tables: derived data (rebuilt by
    the triggers from the model's table), never dumped, and laid out differently after a restore."""
    shadows = ("", "_data", "_idx", "_docsize", "_config", "_content")
    return {fts_table_name(table) + suffix for table, _column in _INDEXES.values() for suffix in shadows}


def ensure_search_indexes(connection=None, **kwargs) -> list[str]:
    """After `migrate` (post_migrate): on SQLite, recreate the FTS table or triggers of a search index
    that a table rebuild (a later AlterField remakes the table and drops its triggers) removed, and
    rebuild its content. Returns the tables rebuilt."""
    if connection is None:
        connection = connections[kwargs.get("using") or DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, column in _INDEXES.values():
            if table in existing and _sqlite_ensure(cursor, table, column):
                rebuilt.append(table)
    return rebuilt


class CreateSearchIndex(Operation):
    """Migration operation: the search index of `model_name`'s folded `column` (see the module)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, column: str = "search_text"):
        self.model_name = model_name
        self.column = column

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {"column": self.column}

    def state_forwards(self, app_label, state):
        pass  # no model state: the index lives beside the model

    def _table(self, app_label, state) -> str:
        model = state.apps.get_model(app_label, self.model_name)
        return model._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, to_state)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            for statement in _postgresql_statements(table, self.column):
                schema_editor.execute(statement)
        elif vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _sqlite_ensure(cursor, table, self.column)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, from_state)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{trgm_index_name(table, self.column)}"')
        elif vendor == "sqlite":
            fts = fts_table_name(table)
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
            schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')

    def describe(self):
        return f"Search index on {self.model_name}.{self.column}"
