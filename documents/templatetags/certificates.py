"""Template helpers of the certificate print, for the pages of other apps (award registry)."""

from django import template

from core.access import Action, can

register = template.Library()


@register.filter
def may_print_certificate(record, user) -> bool:
    """{% if record|may_print_certificate:user %}: a valid award record whose issuing unit the user manages."""
    return bool(record.is_valid and can(user, Action.MOVEMENT_MANAGE, record.issuing_unit.path))


@register.filter
def may_manage_layouts(unit, user) -> bool:
    return bool(unit and can(user, Action.MOVEMENT_MANAGE, unit.path))
