"""Reading jobs. A job is seen by its creator only (and superusers), and only while they still hold the
builder's action on the unit (`jobs.visibility`); anyone else gets "not found"."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import Action

from .models import BuildJob


def jobs_of(*, user) -> QuerySet[BuildJob]:
    """The user's own jobs, newest first (superusers too: the list is "my files")."""
    return (
        BuildJob.objects.restrict(user, Action.UNIT_VIEW)
        .filter(created_by=user)
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )


def job_get(*, user, pk: int) -> BuildJob:
    """The job if `user` may see it (`jobs.visibility`); `BuildJob.DoesNotExist` otherwise."""
    return BuildJob.objects.restrict(user, Action.UNIT_VIEW).select_related("unit", "created_by").get(pk=pk)
