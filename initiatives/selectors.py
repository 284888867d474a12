"""Reads on initiatives. Lists are scoped by `restrict()`; list pages fetch display data in a fixed number of
queries; similarity candidates come in one query; recognised counts per unit in one grouped query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet

from core.access import Action, restrict
from core.models import AuditEvent
from core.rollup import subtree_counts
from members.models import Membership
from organizations.models import OrgUnit

from .choices import Status
from .models import Initiative, InitiativeAuthor, InitiativeReview
from .similarity import WARN_THRESHOLD, rank_initiatives


def initiative_visible(*, user) -> QuerySet[Initiative]:
    """Initiatives the user may see (`initiatives.visibility.InitiativeVisibility`)."""
    return Initiative.objects.restrict(user, Action.UNIT_VIEW)


def initiative_get(*, user, pk: int) -> Initiative:
    """The initiative, or Initiative.DoesNotExist when it does not exist or is outside the user's view."""
    return (
        initiative_visible(user=user)
        .select_related("unit__unit_type", "decision_unit", "created_by")
        .get(pk=pk)
    )


def initiative_list(
    *, user, unit: OrgUnit | None = None, year: int | None = None, status: str = ""
) -> QuerySet:
    qs = initiative_visible(user=user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("unit")
        .prefetch_related(Prefetch("authors", queryset=InitiativeAuthor.objects.select_related("person")))
        .order_by("-year", "-id")
    )


def initiative_status_counts(*, qs: QuerySet[Initiative]) -> dict[str, int]:
    """{status: count} over a (not yet status-filtered) list, in one grouped query."""
    counts = dict.fromkeys(Status.values, 0)
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def initiative_years(*, user) -> list[int]:
    return list(initiative_visible(user=user).order_by("-year").values_list("year", flat=True).distinct())


def initiative_authors(*, initiative: Initiative) -> list[InitiativeAuthor]:
    return list(initiative.authors.select_related("person").order_by("position", "id"))


def initiative_reviews(*, initiative: Initiative) -> list[InitiativeReview]:
    return list(initiative.reviews.select_related("reviewer").order_by("created_at", "id"))


def initiative_events(*, initiative: Initiative) -> list[AuditEvent]:
    """The initiative's history (creation, changes, submission, reviews, decision), oldest first. Whoever
    may see the initiative sees its history: it is part of the record."""
    return list(
        AuditEvent.objects.filter(
            object_type=Initiative._meta.label_lower, object_id=str(initiative.pk)
        ).order_by("occurred_at", "id")
    )


def federation_path(unit: OrgUnit) -> str:
    """Path of the unit's depth-2 ancestor (the provincial federation or national branch union)."""
    return unit.path[: 2 * OrgUnit.steplen]


def initiative_similar(
    *,
    user,
    title: str,
    description: str = "",
    unit: OrgUnit | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[dict]:
    """The existing initiatives most like the given text, in the same federation as `unit` (or in the
    whole view of the user when no unit is chosen yet), best first, with their score (0–1).

    Candidates are loaded in ONE query (id, title, folded text and display columns). Drafts are not
    candidates. Only initiatives the user may see are candidates (`Initiative.objects.restrict`): the
    endpoint answers while a title is typed, so an unscoped search would read out the titles of other
    branches (issue 12, finding 10).
    """
    if not (title or "").strip() and not (description or "").strip():
        return []
    qs = initiative_visible(user=user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=federation_path(unit))
    qs = qs.exclude(status=Status.DRAFT)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    rows = {
        row["id"]: row
        for row in qs.values("id", "title", "search_text", "year", "status", "unit__name", "unit__path")
    }
    ranked = rank_initiatives(
        title=title,
        description=description,
        candidates=[(pk, row["title"], row["search_text"]) for pk, row in rows.items()],
        limit=limit,
    )
    labels = dict(Status.choices)
    return [
        {
            "id": pk,
            "title": rows[pk]["title"],
            "unit_name": rows[pk]["unit__name"],
            "year": rows[pk]["year"],
            "status": rows[pk]["status"],
            "status_label": labels.get(rows[pk]["status"], rows[pk]["status"]),
            "score": score,
            "percent": round(score * 100),
            "warn": score >= WARN_THRESHOLD,
            "may_open": True,  # every candidate is in the user's view
        }
        for pk, score in ranked
        if score > 0.05
    ]


def initiative_counts(*, units: Iterable[OrgUnit], year: int) -> dict[int, int]:
    """{unit.pk: initiatives recognised for `year` in the unit's subtree}: one grouped query over path
    prefixes per distinct depth (`core.rollup`)."""
    recognised = Initiative.objects.filter(status=Status.RECOGNIZED, year=year)
    return subtree_counts(units=list(units), queryset=recognised, path_lookup="unit__path")


def author_memberships(*, user, unit: OrgUnit) -> QuerySet[Membership]:
    """Current members of the unit's subtree the user may see: the people who can be named as authors."""
    return (
        restrict(Membership.objects.all(), user, Action.PERSON_VIEW)
        .filter(unit__path__startswith=unit.path, ended_on__isnull=True)
        .select_related("person")
        .order_by("person__sort_key", "person_id")
    )
