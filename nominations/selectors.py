"""Reads for nominations. A dossier is visible along its path: to the proposing unit and every unit
above it (each level it passes through, and their ancestors), and to the members of the authority's
council — never to a sibling branch."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import Action, is_global, user_scopes
from core.models import AuditEvent

from .choices import DossierState, SessionState, StepVerdict
from .models import ApprovalStep, CouncilMember, CouncilSession, Dossier


def dossier_visible(*, user) -> QuerySet[Dossier]:
    qs = Dossier.objects.select_related("proposing_unit", "authority", "current_level")
    if is_global(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = Q(authority__in=CouncilMember.objects.filter(user=user).values("unit"))
    for scope in user_scopes(user, Action.UNIT_VIEW):
        q |= Q(proposing_unit__path__startswith=scope.path)
    return qs.filter(q)


def dossier_get(*, user, pk: int) -> Dossier:
    return dossier_visible(user=user).get(pk=pk)


def inbox(*, user) -> dict[str, list]:
    """What waits for the user: dossiers pending at a level they review, drafts/returned ones of units they
    prepare for, council sessions open for their vote."""
    visible = dossier_visible(user=user)
    waiting, drafts = [], []
    pending_steps = ApprovalStep.objects.filter(
        verdict=StepVerdict.PENDING, dossier__in=visible
    ).select_related("dossier__proposing_unit", "level")
    from core.access import can

    for step in pending_steps:
        if can(user, Action.NOMINATION_REVIEW, step.level.path):
            waiting.append(step)
    for dossier in visible.filter(state__in=[DossierState.DRAFT, DossierState.RETURNED]):
        if can(user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path):
            drafts.append(dossier)
    sessions = list(
        CouncilSession.objects.filter(state=SessionState.OPEN, unit__council_members__user=user).distinct()
    )
    return {"waiting": waiting, "drafts": drafts, "sessions": sessions}


def dossier_timeline(*, dossier: Dossier) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="nominations.dossier", object_id=str(dossier.pk)).order_by(
            "occurred_at", "id"
        )
    )
