"""The movements' parts of the unit page (`organizations.panels`): the movements that apply to the unit
with its registration coverage and each child's coverage of the main (yearly) movement. The page's
default year comes from the reports' pre-rolled totals (`reports.selectors.latest_figures_year`)."""

from organizations import panels
from organizations.panels import UnitPage

from .choices import MovementKind
from .selectors import registration_coverage, unit_movement_summary


def _summary(page: UnitPage) -> list[dict]:
    return page.once(
        "movements.summary",
        lambda: (
            unit_movement_summary(user=page.user, unit=page.unit, year=page.year)
            if page.may_see_people
            else []
        ),
    )


def _movements_panel(page: UnitPage) -> dict | None:
    rows = _summary(page)
    return {"movements": rows} if rows else None


def _coverage_column(page: UnitPage) -> dict | None:
    main = next((r["movement"] for r in _summary(page) if r["movement"].kind == MovementKind.YEARLY), None)
    if main is None:
        return None
    rows = registration_coverage(movement=main, units=page.children) if page.children else []
    return {"cells": {r["unit"].pk: r for r in rows}, "main_movement": main}


panels.register(
    "movements.applying", order=30, template="movements/_unit_panel_movements.html", context=_movements_panel
)
panels.register_column(
    "movements.coverage", order=20, template="movements/_unit_column_coverage.html", context=_coverage_column
)
