"""Import kinds: one framework reads every spreadsheet an office brings, each kind says what its rows mean.

The framework (`imports/`) reads the upload (sandboxed, `core.uploads`), finds the header and the noise rows
(`core.tabular`), maps columns to a kind's `Column`s by header aliases, parses each cell by the column's type
(`core.cellvalues`) and hands the kind a list of `SourceRow`s. The kind never sees the spreadsheet.

A kind (registered in its app's `importers.py` with `register(...)`) implements two calls:
- `plan(rows, *, unit, user, options) -> list[RowPlan]` — reads only: every row classified as new / update /
  possible duplicate / skipped (with the reason) / error (column and what to fix). Matching of people and units
  is scoped: only what `user` may act on for `kind.action` inside `unit`'s subtree is ever matched, and a row
  naming something outside is an error that names no one.
- `commit(rows, *, unit, user, options, source) -> dict` — runs inside the transaction the framework opens;
  it plans again and raises `ImportInvalid(plans)` before any write if a row is an error; otherwise writes
  through the app's services, records `source` (the file's name and the import's id) on what it creates, and
  returns a summary {"created": n, "updated": n, "skipped": n, "message": Vietnamese sentence, ...}.
The same plan is what `manage.py import_<kind> UNIT FILE --dry-run --json` prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Column types the framework parses before a kind sees the value (`SourceRow.values[key]`):
#   text   → str (NFC, spaces collapsed), "" when empty
#   name   → str, a person's full name (name parts under a merged "Họ và tên" joined; legacy encodings converted)
#   date   → datetime.date (real date cells, Excel serials, dd/mm/yyyy text; day/month order per column)
#   year   → int (a 4-digit year, 1900–2100; a date cell gives its year)
#   int    → int
#   id     → str of digits (a citizen ID / card number written as a number, without losing digits)
#   gender → "M" / "F" (Nam/Nữ, Ông/Bà, an "x" under a Nam or Nữ column)
#   raw    → the cell as read (date, number or NFC text): for a kind that parses its values itself
TEXT, NAME, DATE, YEAR, INT, ID, GENDER, RAW = "text", "name", "date", "year", "int", "id", "gender", "raw"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header written in the template, shown on the mapping page
    aliases: tuple[str, ...] = ()  # folded header texts (core.text.fold; punctuation and "(…)" dropped)
    type: str = TEXT
    required: bool = False
    hint: str = ""  # the template's note under the header ("dd/mm/yyyy", "Tập thể hoặc Cá nhân")


@dataclass
class CellError:
    column: str  # the column's header as written in the file (or the Column label)
    message: str  # Vietnamese: what is wrong and what to do


@dataclass
class SourceRow:
    number: int  # the spreadsheet's own row number (1-based, title rows counted)
    values: dict[str, Any]  # Column.key → parsed value; None for an empty cell or an unmapped column
    raw: dict[str, str] = field(default_factory=dict)  # Column.key → the cell as typed, for messages
    section: str = ""  # the text of the section row above ("Tổ công đoàn Phòng Nội vụ"), "" without one
    errors: list[CellError] = field(default_factory=list)  # what the framework could not parse
    notices: list[str] = field(default_factory=list)  # what it accepted with a remark (converted, restored)


class Outcome(StrEnum):
    NEW = "new"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    ERROR = "error"


OUTCOME_LABELS = {
    Outcome.NEW: "Thêm mới",
    Outcome.UPDATE: "Cập nhật",
    Outcome.DUPLICATE: "Có thể trùng",
    Outcome.SKIPPED: "Bỏ qua",
    Outcome.ERROR: "Lỗi",
}


@dataclass
class RowPlan:
    number: int
    outcome: Outcome
    target: str = ""  # what the row lands on, as the officer reads it ("Nguyễn Văn An (1985) — Tổ …")
    reason: str = ""  # why SKIPPED / DUPLICATE
    errors: list[CellError] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # parsed values, for the preview and --json
    notices: list[str] = field(default_factory=list)  # accepted with a remark ("đã thêm số 0 đầu")


class ImportInvalid(Exception):
    """The commit found errors: nothing was written. `plans` carries every row's classification."""

    def __init__(self, plans: list[RowPlan], message: str = "Tệp còn lỗi: chưa ghi dòng nào."):
        super().__init__(message)
        self.plans = plans
        self.message = message


@dataclass(frozen=True)
class Source:
    """Where imported records came from: kept on them ("Nhập từ tệp qd-2023.xlsx")."""

    filename: str
    import_id: int | None = None
    imported_at: dt.datetime | None = None


@dataclass(frozen=True)
class ImportKind:
    key: str  # the URL and command name part: "khen-thuong" → `manage.py import_awards`
    command: str  # "awards" → `manage.py import_awards`
    title: str  # "Khen thưởng các năm trước"
    action: str  # core.access.Action the importer needs on the target unit
    columns: tuple[Column, ...]
    plan: Callable[..., list[RowPlan]]
    commit: Callable[..., dict]
    description: str = ""  # one sentence for the upload page
    options: tuple[str, ...] = ()  # names of the options the kind reads (e.g. "dossier")
    # the kind reads `options["confirm_duplicates"]` (row numbers the officer confirmed as new people or
    # records): the preview then offers a checkbox on each DUPLICATE row
    confirms_duplicates: bool = False
    # a kind whose `options` are required is started from its own screen (a nomination list from its
    # dossier): the sentence telling where, shown on the unit's import page instead of an upload button
    started_from: str = ""
    # yes/no choices the officer makes on the columns page, kept in `options[name]`: (name, label)
    flags: tuple[tuple[str, str], ...] = ()
    # batch → (label, url) of where to go once written ("Về hồ sơ đề nghị"), or None
    result_link: Callable[[Any], tuple[str, str] | None] | None = None
    target_ok: Callable[[Any], str | None] | None = None  # unit → None, or why it cannot receive this kind
    sample: tuple[Any, ...] = ()  # one example row for the template, in the order of `columns`
    notes: tuple[str, ...] = ()  # the template's "Hướng dẫn" sheet, one line each


class UnknownKind(KeyError):
    pass


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"import kind {kind.key!r} registered twice")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ImportKind:
    try:
        return _KINDS[key]
    except KeyError as exc:
        raise UnknownKind(key) from exc


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())
