from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.access import Action, restrict

from .models import RoleAssignment


def active_assignments(*, user) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
    )


def unit_officers(*, user, unit) -> QuerySet[RoleAssignment]:
    """Role holders on exactly this unit, visible to anyone who may view the unit's people."""
    today = timezone.localdate()
    qs = (
        RoleAssignment.objects.filter(unit=unit, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return restrict(qs, user, Action.UNIT_VIEW)


def action_holders(*, action: str, unit, on=None) -> QuerySet:
    """Active users who hold `action` on `unit` on the day (today by default): an assignment valid that
    day whose role grants the action, on the unit itself or on an ancestor with its subtree."""
    from .models import User
    from .roles import ROLE_ACTIONS

    on = on or timezone.localdate()
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    assignments = (
        RoleAssignment.objects.filter(role__in=roles, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(unit=unit) | Q(include_subtree=True, unit__path__in=unit.ancestor_paths()))
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user")).order_by("pk")
