"""Rules on the screens by their names, never their IDs (`commendations.engine.catalogue.RULE_NAMES`)."""

from __future__ import annotations

from django import template

from commendations.engine.catalogue import rule_name as _rule_name

register = template.Library()


@register.filter
def rule_name(rule_id) -> str:
    """{{ "R-GEN-01"|rule_name }} → "Mỗi thành tích chỉ làm căn cứ cho một khen thưởng"."""
    return _rule_name(str(rule_id or ""))


@register.filter
def rule_names(rule_ids) -> str:
    """The names of several rules, joined with "; ", without repeats or unknown IDs."""
    names = [_rule_name(str(r)) for r in (rule_ids or ())]
    return "; ".join(dict.fromkeys(n for n in names if n))


# a rule set's name is read with its list (commendations.selectors.ruleset_names), never per row
