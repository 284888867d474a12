"""The units' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from core.metrics import Row, only, register, year_bounds

from .models import OrgUnit


def units(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """For each unit in existence during the year: 1 unit (`units`: the subtree's units, the unit
    itself included) and, for a grassroots union, 1 `cdcs`."""
    start, end = year_bounds(year)
    rows = (
        only(OrgUnit.objects.filter(path__startswith=prefix), "id", unit_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("id", "unit_type__is_grassroots")
    )
    for unit_id, grassroots in rows:
        yield unit_id, "units", 1
        if grassroots:
            yield unit_id, "cdcs", 1


register(units, {"cdcs": "Công đoàn cơ sở", "units": "Đơn vị"})
