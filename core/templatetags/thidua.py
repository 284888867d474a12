from django import template
from django.utils.formats import number_format

from core.access import Action, can

register = template.Library()


@register.filter
def vn_number(value):
    """1234567 → "1.234.567" (Vietnamese grouping)."""
    if value is None or value == "":
        return ""
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def vn_percent(part, whole):
    if not whole:
        return "—"
    return f"{part * 100 / whole:.1f}".replace(".", ",") + " %"


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} — dictionary lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def may_view_unit(unit, user) -> bool:
    """{% if unit|may_view_unit:request.user %}: link a unit's page only for who may open it."""
    return bool(unit and can(user, Action.UNIT_VIEW, unit.path))
