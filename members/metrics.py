"""The members' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from core.metrics import Row, only, register, year_bounds

from .choices import Gender
from .models import Membership


def memberships_sitting(year: int, prefix: str, unit_ids=None) -> QuerySet[Membership]:
    """The memberships of the units under `prefix` open on 31 December of the year."""
    _, end = year_bounds(year)
    sitting = Membership.objects.filter(unit__path__startswith=prefix, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )
    return only(sitting, "unit_id", unit_ids)


def members(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Members sitting in the unit on 31 December of the year, and the women among them."""
    rows = (
        memberships_sitting(year, prefix, unit_ids)
        .values("unit_id")
        .annotate(n=Count("id"), f=Count("id", filter=Q(person__gender=Gender.FEMALE)))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], "members", r["n"]
        yield r["unit_id"], "members_female", r["f"]


register(members, {"members": "Đoàn viên", "members_female": "Nữ đoàn viên"})
