"""Who sees a background build — declared once on the model: its creator, while they still hold the
builder's action on the job's unit (a retired builder's outcome stays readable by its creator).
The `action` passed to `restrict()` is not used: each builder names its own."""

from __future__ import annotations

from django.db.models import Q

from core.access import Visibility, scope_q, user_scopes


class CreatorWithBuilderAction(Visibility):
    def q(self, *, model, user, action):
        from . import registry

        keys = registry.keys()
        allowed = ~Q(kind__in=keys)  # retired builders
        for key in keys:
            scopes = user_scopes(user, registry.get(key).action)
            if scopes:
                allowed |= Q(kind=key) & scope_q(scopes, "unit__path")
        return Q(created_by=user) & allowed
