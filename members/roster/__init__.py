"""Member rosters in and out: reading spreadsheets, mapping their columns, validating every row, and
writing .xlsx files (template, error file, export).

Reading uses python-calamine (.xlsx, .xls, .ods; dates come back as `date`/`datetime` when the cell is a
real date). Row numbers in errors are the spreadsheet's own (1-based, title rows counted). Validation
fetches existing people in bulk as plain values (a few queries per chunk of rows, never one per row);
the commit lives in `members.services.rosters.roster_import` (fast inserts: `members.roster_db`).

The package's parts: `fields` (columns, aliases, value words), `reader` (calamine, header detection,
column mapping), `records` (the parsed rows and their errors), `validate` (rows → a `RosterPlan`), `match` (existing people and memberships in bulk),
`xlsx` (template, error file, export). Callers use `members.roster.<name>` as before.
"""

from .fields import (  # noqa: F401
    ALLOWED_EXTENSIONS,
    CHUNK,
    FIELD_BY_KEY,
    FIELDS,
    GENDER_WORDS,
    HEADER_SCAN_ROWS,
    UNION_ROLE_WORDS,
    RosterField,
    RosterFileError,
    field_for_header,
    mapping_choices,
)
from .reader import (  # noqa: F401
    column_name,
    detect_header,
    display,
    guess_mapping,
    header_label,
    layout_of,
    read_rows,
    read_table,
    read_upload,
)
from .records import ExistingPerson, Notice, OpenMembership, RosterPlan, RosterRecord, RowError  # noqa: F401
from .validate import group_key, group_lookup, parse_date, validate  # noqa: F401
from .xlsx import EXPORT_COLUMNS, export_workbook  # noqa: F401
