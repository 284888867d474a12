"""The units' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from core.metrics import Row, only, register, year_bounds

from .models import OrgUnit


def units(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """1 for each grassroots union in existence during the year."""
    start, end = year_bounds(year)
    ids = (
        only(OrgUnit.objects.filter(path__startswith=prefix, unit_type__is_grassroots=True), "id", unit_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("id", flat=True)
    )
    for unit_id in ids:
        yield unit_id, "cdcs", 1


register(units, {"cdcs": "Công đoàn cơ sở"})
