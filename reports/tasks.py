"""Background rebuild of the counters (Django Tasks API, database backend; immediate in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def counters_rebuild_task(year: int, root_id: int | None = None) -> dict:
    from organizations.models import OrgUnit

    from .services import counters_rebuild

    root = OrgUnit.objects.get(pk=root_id) if root_id else None
    return counters_rebuild(year=year, root=root)


@task()
def counters_refresh_task(pairs: list, full_years: list | None = None) -> dict:
    """Refresh the own counters of the units changed by one transaction: `pairs` = [[year, [unit ids]]…],
    `full_years` the years to build whole (never built before)."""
    from .services import counters_rebuild, counters_refresh

    done = {"units": 0, "rows": 0}
    for year in full_years or []:
        done["rows"] += counters_rebuild(year=year)["rows"]
    for year, unit_ids in pairs:
        result = counters_refresh(year=year, unit_ids=unit_ids)
        done["units"] += len(unit_ids)
        done["rows"] += result["rows"]
    return done
