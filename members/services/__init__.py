"""Writes on people, memberships and rosters: validated, permission-checked, one transaction, audited.

The package's parts: `persons` (create, update), `memberships` (update, end, transfer, the bulk transfer
of unit merges), `rosters` (the roster commit and the .xlsx export). The person checks the roster import
shares live one layer down, in `members.validation`. Callers use `members.services.<name>` as before.
"""

from ..validation import GENDERS, MAX_AGE, MIN_AGE, PERSON_FIELDS, person_validate  # noqa: F401
from .memberships import (  # noqa: F401
    membership_end,
    membership_transfer,
    membership_transfer_bulk,
    membership_update,
)
from .persons import person_create, person_update  # noqa: F401
from .rosters import (  # noqa: F401
    BATCH,
    IMPORT_MEMBERSHIP_FIELDS,
    IMPORT_PERSON_FIELDS,
    WRITE_CHUNK,
    RosterInvalid,
    bulk_update_history,
    roster_export,
    roster_import,
)
