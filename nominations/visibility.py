"""Who sees the records of nominations — declared once, used by `Model.objects.restrict(user, action)`.

- A **dossier** is seen up its route, never by a sibling branch: by a subtree scope that holds the
  proposing unit (the proposing unit and every unit above it), by a scope on one unit alone where that
  unit is on the dossier's route (the proposing unit itself, a level the dossier was sent to, its
  authority), and by the members of the authority's council.
- A **council session** (and its minutes) is seen by a reviewer (`nomination.review`) of its unit and by
  the members seated on that council on the day of the session.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from core.access import Action, Visibility, scope_q, user_scopes


class DossierVisibility(Visibility):
    def q(self, *, model, user, action):
        ApprovalStep = apps.get_model("nominations", "ApprovalStep")
        CouncilMember = apps.get_model("nominations", "CouncilMember")
        q = Q(authority__in=CouncilMember.objects.filter(user=user).values("unit"))
        for scope in user_scopes(user, action):
            if scope.include_subtree:
                q |= Q(proposing_unit__path__startswith=scope.path)
            else:
                q |= (
                    Q(proposing_unit__path=scope.path)
                    | Q(authority__path=scope.path)
                    | Q(pk__in=ApprovalStep.objects.filter(level__path=scope.path).values("dossier_id"))
                )
        return q


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
