"""The members' parts of the unit page (`organizations.panels`): the member count of each child unit
(from the pre-rolled counters, `organizations.figures`) and the union officers sitting in the unit."""

from organizations import panels
from organizations.panels import SIDE, UnitPage
from organizations.selectors import subtree_member_counts

from .selectors import unit_union_officers


def _members_column(page: UnitPage) -> dict | None:
    """The children's current members from their pre-rolled counters (one query); hidden while this
    year's counters are not built (the page's figures say so)."""
    cells = subtree_member_counts(units=page.children)
    return None if cells is None else {"cells": cells}


def _union_officers(page: UnitPage) -> dict:
    officers = list(unit_union_officers(unit=page.unit)) if page.may_see_people else []
    return {"union_officers": officers}


panels.register_column(
    "members.count", order=10, template="members/_unit_column_members.html", context=_members_column
)
panels.register(
    "members.union_officers",
    order=10,
    region=SIDE,
    template="members/_unit_panel_officers.html",
    context=_union_officers,
)
