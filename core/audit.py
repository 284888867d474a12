"""Writing audit events. Every service calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent

# Accesses to full citizen IDs (the person page's "Hiện số CCCD", the edit form, unmasked exports): the
# audit list's "Truy cập số CCCD" filter shows these actions. The events never hold the number.
ACTION_VIEW_CITIZEN_ID = "person.view_citizen_id"
ACTION_EXPORT_CITIZEN_IDS = "person.export_sensitive"
CITIZEN_ID_ACCESS_ACTIONS = (ACTION_VIEW_CITIZEN_ID, ACTION_EXPORT_CITIZEN_IDS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [before, after]} for the fields whose value changed."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    unit=None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=(actor_obj.get_full_name() or actor_obj.get_username()) if actor_obj else "Hệ thống",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit=unit,
        summary=summary,
        changes=dict(changes or {}),
    )
