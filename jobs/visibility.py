"""Who sees a background build — declared once on the model: its creator, while they still hold the
builder's action on the job's unit and, for a builder made from one object (`subject`), while that object
is in their view (a retired builder's outcome stays readable by its creator).
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
            builder = registry.get(key)
            q = Q(kind=key)
            if builder.action is not None:
                scopes = user_scopes(user, builder.action)
                if not scopes:
                    continue
                q &= scope_q(scopes, "unit__path")
            if builder.subject is not None:
                q &= Q(subject_id__in=builder.subject(user).values("pk"))
            allowed |= q
        return Q(created_by=user) & allowed
