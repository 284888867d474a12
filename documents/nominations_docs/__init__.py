"""Official documents generated from nominations data, in the layout of Nghị định 30/2020/NĐ-CP.

- Tờ trình of a dossier: the proposing unit asks its parent to propose / confer the awards.
- Danh sách đề nghị of a dossier: the ruled list of nominees (A4 landscape), grouped by collectives and
  individuals, attached to the tờ trình.
- Biên bản of a closed council session: attendance and the vote per nominee, counted by
  `nominations.services.tally` — only counts: a ballot is never related to a voter.
- Quyết định of a decision with its annex list on a new page.

The builders are pure: they take model objects, read what they need in a fixed number of queries (the
vote count is `tally`, two small queries per nominee) and return the .docx bytes. The only write here
are `documents.services.dossier_number_allocate` and `minutes_number_allocate` (numbers from the
register). Parts: `common` (headings, phrases, rows), `dossier` (tờ trình, danh sách), `minutes`,
`decision`.
"""

from ..services import dossier_number_allocate, minutes_number_allocate  # noqa: F401
from .common import award_phrase, collective_body, dossier_basis_date, legal_basis_lines  # noqa: F401
from .decision import decision_docx  # noqa: F401
from .dossier import dossier_danh_sach_docx, dossier_to_trinh_docx, to_trinh_summary  # noqa: F401
from .minutes import council_minutes_docx, minutes_number_text, session_chair, session_votes  # noqa: F401
