"""The initiatives' parts of the unit page (`organizations.panels`): the initiatives recognised in the
unit's subtree and per child unit for the page's year."""

from organizations import panels
from organizations.panels import UnitPage

from .selectors import initiative_counts


def _total_panel(page: UnitPage) -> dict:
    return {"initiatives_total": initiative_counts(units=[page.unit], year=page.year)[page.unit.pk]}


def _children_column(page: UnitPage) -> dict:
    return {"cells": initiative_counts(units=page.children, year=page.year)}


panels.register(
    "initiatives.recognised", order=10, template="initiatives/_unit_panel_total.html", context=_total_panel
)
panels.register_column(
    "initiatives.per_child",
    order=30,
    template="initiatives/_unit_column_recognised.html",
    context=_children_column,
)
