"""The initiatives' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from core.metrics import Row, only, register

from .choices import Status
from .models import Initiative


def initiatives(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Initiatives of the year submitted by each unit (drafts left out), and those of them recognised."""
    rows = (
        only(Initiative.objects.filter(year=year, unit__path__startswith=prefix), "unit_id", unit_ids)
        .exclude(status=Status.DRAFT)
        .values("unit_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(status=Status.RECOGNIZED)))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], "initiatives_submitted", r["n"]
        if r["ok"]:
            yield r["unit_id"], "initiatives", r["ok"]


register(
    initiatives,
    {"initiatives_submitted": "Sáng kiến đăng ký, tham gia", "initiatives": "Sáng kiến được công nhận"},
)
