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

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.records if r.existing is None and not r.out_of_scope)

    @property
    def match_count(self) -> int:
        return sum(1 for r in self.records if r.existing is not None)
