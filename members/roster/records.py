"""The outcome of reading a roster: rows parsed, their errors, the people and memberships they match."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from organizations.models import OrgUnit


@dataclass(slots=True)
class RowError:
    row: int  # spreadsheet row number (1-based)
    column: str  # column header as written in the file
    message: str

    def as_text(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.message}"


@dataclass(slots=True)
class Notice:
    """What the check changed or noticed in a value without refusing the row (shown in the preview):
    a row's (`row` set) or a whole column's (`row` None)."""

    row: int | None
    column: str
    message: str

    def as_text(self) -> str:
        if self.row is None:
            return f"Cột “{self.column}”: {self.message}"
        return f"Dòng {self.row}, cột “{self.column}”: {self.message}"


@dataclass(slots=True)
class ExistingPerson:
    """A person already in the database that a row matched: their id and current values (plain data,
    fetched in bulk; the commit loads model instances only for the people it actually changes)."""

    pk: int
    full_name: str
    values: dict[str, Any]  # validation.PERSON_FIELDS as stored


@dataclass(slots=True)
class OpenMembership:
    """The open membership of a matched person (plain data, fetched in bulk)."""

    pk: int
    unit_id: int
    unit_name: str
    unit_path: str
    started_on: dt.date
    union_role: str
    job_title: str
    work_mode: str
    card_number: str


@dataclass(slots=True)
class RosterRecord:
    row: int
    person: dict[str, Any]
    unit: OrgUnit
    union_role: str
    job_title: str
    card_number: str
    group_given: bool = False
    birth_year_only: bool = False  # a "Năm sinh" column: birth_date is 1 January of that year
    existing: ExistingPerson | None = None
    membership: OpenMembership | None = None  # the existing person's open membership
    # matched a person outside the importer's scope: an error row; nothing of that person is kept here
    out_of_scope: bool = False


@dataclass
class RosterPlan:
    unit: OrgUnit
    header_row: int
    records: list[RosterRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    notices: list[Notice] = field(default_factory=list)
    # possible duplicates of people already recorded (same name, and the same birth year without a
    # full date, or no birth date): (row, Vietnamese message). Not written unless the officer confirms
    # the row (`validate(confirm_duplicates=)`); their records are left out of `records`.
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    # rows that are no people (section titles, totals, the signature block…): (row, Vietnamese reason),
    # set by the caller from `reader.shape` (validate never sees them)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.records if r.existing is None and not r.out_of_scope)

    @property
    def match_count(self) -> int:
        return sum(1 for r in self.records if r.existing is not None)
