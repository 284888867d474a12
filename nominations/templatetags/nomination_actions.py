"""Template helpers for the pages of other apps that offer a nomination transition (award registry)."""

from django import template

from ..workflow import AWARD

register = template.Library()


@register.filter
def may_revoke(record, user) -> bool:
    """{% if record|may_revoke:user %}: the "revoke" transition of `nominations.workflow.AWARD`."""
    return AWARD.may(record, "revoke", user)
