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
