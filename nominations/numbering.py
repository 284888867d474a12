"""Where a decision's number comes from: the register of outgoing documents, kept by `documents`.

`documents` sits above `nominations` (it builds the nominations' documents), so `nominations` does not
import it: `documents` registers its allocator here from `DocumentsConfig.ready`
(`register_decision_numberer(documents.services.decision_number_allocate)`). `decision_issue` calls
`decision_number_allocate` inside its own transaction, with the issuing unit's row already locked; the
allocator returns the sequence it gave the decision (one register per issuer and year, never reused).
With no allocator registered the decision is refused (`ImproperlyConfigured`) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class DecisionNumberer(Protocol):
    def __call__(self, *, acting_user, issuer, title: str, issued_on: dt.date, subject) -> int: ...


_numberer: DecisionNumberer | None = None


def register_decision_numberer(numberer: DecisionNumberer | None) -> None:
    """Set (or, with None, remove) the allocator of decision numbers."""
    global _numberer
    _numberer = numberer


def decision_numberer() -> DecisionNumberer | None:
    return _numberer


def decision_number_allocate(*, acting_user, issuer, title: str, issued_on: dt.date, subject) -> int:
    """The sequence of `subject` (a Decision) in `issuer`'s register of outgoing documents."""
    if _numberer is None:
        raise ImproperlyConfigured(
            "Chưa có sổ đăng ký văn bản đi để cấp số quyết định: ứng dụng “documents” phải đăng ký "
            "nominations.numbering.register_decision_numberer trong AppConfig.ready()."
        )
    return _numberer(
        acting_user=acting_user, issuer=issuer, title=title, issued_on=issued_on, subject=subject
    )
