"""Who sees the records of nominations — declared once, used by `Model.objects.restrict(user, action)`.

- A **dossier** is seen up its route, never by a sibling branch: by a subtree scope that holds the
  proposing unit (the proposing unit and every unit above it), by a scope on one unit alone where that
  unit is on the dossier's route (the proposing unit itself, a level the dossier was sent to, its
  authority), and by the members of the authority's council — for the route, only through the scopes
  of a user who holds a nomination right there (`nomination.prepare`, `nomination.review`,
  `decision.issue`). A user whose right on a unit is a member's alone (no nomination action: the member
  and council-member roles) sees only the dossiers in which they are a nominee themselves, and only
  once submitted (not while DRAFT, RETURNED or RECALLED) — and on the dossier page only their own
  nomination (`sees_whole_dossier` is False for them).
- A **council session** (and its minutes) is seen by a reviewer (`nomination.review`) of its unit and by
  the members seated on that council on the day of the session.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from core.access import Action, Visibility, is_global, scope_q, user_scopes

# the rights that open a dossier's route to a scope; every other right (a member's) sees only their own
NOMINATION_ACTIONS = (Action.NOMINATION_PREPARE, Action.NOMINATION_REVIEW, Action.DECISION_ISSUE)
# a nominee does not see their dossier while it is being written (or rewritten) below
EDITING_STATES = ("DRAFT", "RETURNED", "RECALLED")


def _route_scopes(user, action):
    """The user's scopes for `action` that also carry a nomination right on the unit."""
    scopes = user_scopes(user, action)
    if action in NOMINATION_ACTIONS:
        return scopes
    rights = [s for a in NOMINATION_ACTIONS for s in user_scopes(user, a)]
    kept = []
    for scope in scopes:
        # the intersection of the scope with each nomination scope: the narrower of the two
        for right in rights:
            if scope.covers(right.path):
                kept.append(right if scope.include_subtree else scope)
            elif right.covers(scope.path):
                kept.append(scope)
    return kept


def _route_q(user, action) -> Q:
    ApprovalStep = apps.get_model("nominations", "ApprovalStep")
    CouncilMember = apps.get_model("nominations", "CouncilMember")
    q = Q(authority__in=CouncilMember.objects.filter(user=user).values("unit"))
    for scope in _route_scopes(user, action):
        if scope.include_subtree:
            q |= Q(proposing_unit__path__startswith=scope.path)
        else:
            q |= (
                Q(proposing_unit__path=scope.path)
                | Q(authority__path=scope.path)
                | Q(pk__in=ApprovalStep.objects.filter(level__path=scope.path).values("dossier_id"))
            )
    return q


def _nominee_q(user, action) -> Q | None:
    person_id = getattr(user, "person_id", None)
    if not person_id or not user_scopes(user, action):
        return None
    NominationItem = apps.get_model("nominations", "NominationItem")
    return Q(pk__in=NominationItem.objects.filter(person_id=person_id).values("dossier_id")) & ~Q(
        state__in=EDITING_STATES
    )


class DossierVisibility(Visibility):
    def q(self, *, model, user, action):
        q = _route_q(user, action)
        nominee = _nominee_q(user, action)
        return q | nominee if nominee is not None else q


def sees_whole_dossier(user, dossier) -> bool:
    """May the user read the whole dossier (every nominee's verdict, ratings and override reason, the
    documents, the timeline)? Yes on its route with a nomination right, or seated on the authority's
    council; a nominee who sees it only as a nominee gets their own nomination alone."""
    if is_global(user):
        return True
    Dossier = apps.get_model("nominations", "Dossier")
    return Dossier._base_manager.filter(pk=dossier.pk).filter(_route_q(user, Action.UNIT_VIEW)).exists()


class CouncilSessionVisibility(Visibility):
    def q(self, *, model, user, action):
        CouncilMember = apps.get_model("nominations", "CouncilMember")
        seated = CouncilMember.objects.filter(
            user=user, unit=OuterRef("unit"), valid_from__lte=OuterRef("held_on")
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("held_on")))
        q = Q(Exists(seated))
        reviewers = user_scopes(user, Action.NOMINATION_REVIEW)
        if reviewers:
            q |= scope_q(reviewers, "unit__path")
        return q
