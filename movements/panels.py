"""The movements' parts of the unit page (`organizations.panels`): the movements that apply to the unit
with its registration coverage, each child's coverage of the main (yearly) movement, and the latest
movement year with registrations in the unit's subtree."""

from django.db.models import Max

from organizations import panels
from organizations.panels import UnitPage

from .choices import MovementKind
from .models import Registration
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


def latest_registration_year(unit) -> int | None:
    registrations = Registration.objects.filter(unit__path__startswith=unit.path)
    return registrations.aggregate(y=Max("movement__year"))["y"]


panels.register(
    "movements.applying", order=30, template="movements/_unit_panel_movements.html", context=_movements_panel
)
panels.register_column(
    "movements.coverage", order=20, template="movements/_unit_column_coverage.html", context=_coverage_column
)
panels.register_year_source("movements.registrations", latest_registration_year)
