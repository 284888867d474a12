"""The nomination workflow. Every transition locks the rows it changes and checks the state it expects,
so two reviewers acting on the same step cannot both succeed; every step writes an AuditEvent.

Transitions are declared once in `nominations.workflow.DOSSIER` (who may fire them at which level,
guards, audit action, notification recipients); the services below fire them and never set a state
by hand:
  DRAFT/RETURNED/RECALLED --submit--> IN_REVIEW (a pending ApprovalStep at the next level up)
  IN_REVIEW --open/forward--> IN_REVIEW (next level) | --return--> RETURNED | --recall (unopened)--> RECALLED
  IN_REVIEW at the authority --accept--> POSTED (award needs public posting) | IN_COUNCIL
  POSTED --post/moderate--> POSTED --close_posting--> IN_COUNCIL --session closed (tally)-->
  --decide--> DECIDED | --reject--> REJECTED

The package's parts: `dossiers` (create, nominees, documents, submit; required documents, authority),
`review` (open, forward, return, accept; recall), `posting` (public posting, comments), `council`
(sessions, secret ballots, tally, close), `decisions` (the numbered decision and its award records),
`revocation` (R-REV-01), `deadlines` (the annual calendar); `common` (locking) and `notify`
(notifications) are shared helpers. Callers use `nominations.services.<name>` as before.
"""

from ..eligibility import vote_threshold  # noqa: F401
from .council import (  # noqa: F401
    IncompleteTurnout,
    ballot_cast,
    council_session_close,
    council_session_open,
    session_turnout,
    tally,
    turnout,
)
from .council_seats import council_seat_add, council_seat_end, may_manage_council, seat_candidates  # noqa: F401
from .deadlines import deadline_set  # noqa: F401
from .decisions import decision_issue  # noqa: F401
from .dossiers import (  # noqa: F401
    REQUIRED_DOCUMENTS,
    NewItem,
    authority_for,
    document_add,
    document_replace,
    dossier_create,
    dossier_submit,
    item_add,
    item_remove,
    item_update,
    items_add_bulk,
    required_documents,
)
from .posting import (  # noqa: F401
    RateLimited,
    comment_add,
    comment_moderate,
    comment_rate_check,
    posting_close,
    posting_days_left,
    posting_open,
)
from .review import dossier_recall, step_accept, step_forward, step_open, step_return  # noqa: F401
from .revocation import award_revoke, revocation_recipients  # noqa: F401
