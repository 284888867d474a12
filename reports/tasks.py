"""Background rebuild of the counters (Django Tasks API, database backend; immediate in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def counters_rebuild_task(year: int, root_id: int | None = None) -> dict:
    from organizations.models import OrgUnit

    from .services import counters_rebuild

    root = OrgUnit.objects.get(pk=root_id) if root_id else None
    return counters_rebuild(year=year, root=root)
