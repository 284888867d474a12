"""Reading jobs. A job is seen by its creator only (and superusers), and only while they still hold the
builder's action on the unit; anyone else gets "not found"."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import can, is_global

from . import registry
from .models import BuildJob


def jobs_of(*, user) -> QuerySet[BuildJob]:
    """The user's own jobs, newest first (superusers too: the list is "my files")."""
    return BuildJob.objects.filter(created_by=user).select_related("unit").order_by("-created_at", "-pk")


def job_get(*, user, pk: int) -> BuildJob:
    """The job if `user` may see it; `BuildJob.DoesNotExist` otherwise."""
    job = BuildJob.objects.select_related("unit", "created_by").get(pk=pk)
    if is_global(user):
        return job
    if job.created_by_id != user.pk:
        raise BuildJob.DoesNotExist
    try:
        action = registry.get(job.kind).action
    except registry.UnknownBuilder:
        return job  # a retired builder: the creator may still read the outcome
    if not can(user, action, job.unit.path):
        raise BuildJob.DoesNotExist
    return job
