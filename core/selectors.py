from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from core.access import Action, restrict

from .models import AuditEvent


def audit_events(
    *,
    user,
    unit=None,
    action_prefix: str = "",
    actions: tuple[str, ...] | list[str] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = restrict(AuditEvent.objects.select_related("unit"), user, Action.AUDIT_VIEW)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    if actions:
        qs = qs.filter(action__in=list(actions))
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-occurred_at", "-id")


def object_audit_events(*, user, obj, limit: int = 50) -> list[AuditEvent]:
    qs = restrict(AuditEvent.objects.select_related("unit"), user, Action.AUDIT_VIEW)
    return list(qs.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))[:limit])
