"""Who sees initiatives — declared once on the model, used by `Initiative.objects.restrict(user, action)`:
those of the units in the user's scope for the action, drafts only where the user records initiatives
(holds `initiative.change`), plus the ones they authored or created themselves."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from core.access import Action, Visibility, scope_q, user_scopes


class InitiativeVisibility(Visibility):
    def q(self, *, model, user, action):
        from .choices import Status

        q = Q(created_by=user)
        if user.person_id:
            InitiativeAuthor = apps.get_model("initiatives", "InitiativeAuthor")
            q |= Q(pk__in=InitiativeAuthor.objects.filter(person_id=user.person_id).values("initiative_id"))
        scopes = user_scopes(user, action)
        if scopes:
            in_scope = scope_q(scopes, "unit__path")
            change_scopes = user_scopes(user, Action.INITIATIVE_CHANGE)
            not_draft = ~Q(status=Status.DRAFT)
            q |= in_scope & (
                (not_draft | scope_q(change_scopes, "unit__path")) if change_scopes else not_draft
            )
        return q
