from fractions import Fraction

from django import template

from core.access import Action, can
from core.numbers import fmt_money, fmt_number

register = template.Library()


@register.filter
def vn_number(value, places=0):
    """1234567 → "1.234.567" (Vietnamese grouping, `core.numbers`); `{{ v|vn_number:2 }}` keeps up to two
    decimals after a comma (45000000.00 → "45.000.000", 85.5 → "85,5")."""
    if value is None or value == "":
        return ""
    return fmt_number(value, places=int(places))


@register.filter
def vn_money(value):
    """45000000 → "45.000.000 đ" (`core.numbers.fmt_money`); nothing → "—"."""
    if value is None or value == "":
        return "—"
    return fmt_money(value)


@register.filter
def vn_percent(part, whole):
    if not whole:
        return "—"
    return fmt_number(Fraction(part) * 100 / Fraction(whole), places=1, pad=True) + " %"


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} — dictionary lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def may_view_unit(unit, user) -> bool:
    """{% if unit|may_view_unit:request.user %}: link a unit's page only for who may open it."""
    return bool(unit and can(user, Action.UNIT_VIEW, unit.path))
