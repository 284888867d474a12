"""The unit page (`views.detail`) is assembled from parts that each app registers for itself in its own
`<app>/panels.py` (imported by `OrganizationsConfig.ready` through `autodiscover_modules("panels")`), so
the organisation tree never imports the apps above it:

- **panels**: a card or paragraph in the page's main column (`MAIN`, under the figures) or its side
  column (`SIDE`), rendered in `order`;
- **child columns**: a column of the table of child units (a header, one cell per child, an optional
  note under the table), in `order`;
- **year sources**: the latest year with data in a unit's subtree; the page reports on the latest of
  them unless `?nam=` says otherwise.

A part's `context(page)` returns the values its template needs (pushed on the page's context), or None
to leave the part out. A child column's values carry `cells`: `{child.pk: value}`. Parts that share a
read use `page.once(key, compute)`, so the page's query budget stays the sum of the parts'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.selectors import unit_officers

MAIN = "main"
SIDE = "side"


@dataclass
class UnitPage:
    """What every part may read: the request's user, the unit, its visible children and the year."""

    user: Any
    unit: Any
    children: list
    year: int
    may_see_people: bool
    _memo: dict = field(default_factory=dict, repr=False)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` the first time `key` is asked for on this page, the remembered value after."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: Callable[[UnitPage], dict | None]
    region: str = MAIN


@dataclass(frozen=True)
class ChildColumn:
    """Its template is rendered with `part` = "head" (in the header row), "cell" (with `value`, once per
    child) or "note" (once under the table)."""

    key: str
    order: int
    template: str
    context: Callable[[UnitPage], dict | None]


@dataclass(frozen=True)
class Rendered:
    """A part the page shows, with the values its template reads."""

    key: str
    template: str
    data: dict


_panels: dict[str, Panel] = {}
_columns: dict[str, ChildColumn] = {}
_year_sources: dict[str, Callable[[Any], int | None]] = {}


def register(key: str, *, order: int, template: str, context, region: str = MAIN) -> None:
    """Add (or, with the same key, replace) a panel of the unit page."""
    if region not in (MAIN, SIDE):
        raise ValueError(f"Unknown unit-page region {region!r}")
    _panels[key] = Panel(key, order, template, context, region)


def register_column(key: str, *, order: int, template: str, context) -> None:
    """Add (or replace) a column of the unit page's table of child units."""
    _columns[key] = ChildColumn(key, order, template, context)


def register_year_source(key: str, latest_year: Callable[[Any], int | None]) -> None:
    """`latest_year(unit)`: the latest year with this app's data in the unit's subtree, or None."""
    _year_sources[key] = latest_year


def unregister(key: str) -> None:
    """Remove a panel, child column or year source (tests)."""
    _panels.pop(key, None)
    _columns.pop(key, None)
    _year_sources.pop(key, None)


def _ordered(parts):
    return sorted(parts, key=lambda p: (p.order, p.key))


def figures_year(unit, requested: str = "") -> int:
    """The year the unit page reports on: `requested` (?nam=) when it is a number, else the latest year
    any source has data for in the unit's subtree (a query or so each), else last year."""
    if requested.isdigit():
        return int(requested)
    years = [y for y in (source(unit) for source in _year_sources.values()) if y]
    return max(years) if years else timezone.localdate().year - 1


def panels(page: UnitPage, region: str) -> list[Rendered]:
    shown = []
    for panel in _ordered(p for p in _panels.values() if p.region == region):
        data = panel.context(page)
        if data is not None:
            shown.append(Rendered(panel.key, panel.template, data))
    return shown


def child_columns(page: UnitPage) -> tuple[list[Rendered], list[dict]]:
    """The shown columns and one row per child: {"unit": child, "cells": [(column, value), ...]}."""
    columns = []
    for column in _ordered(_columns.values()):
        data = column.context(page)
        if data is not None:
            columns.append(Rendered(column.key, column.template, data))
    rows = [
        {"unit": child, "cells": [(c, c.data["cells"].get(child.pk)) for c in columns]}
        for child in page.children
    ]
    return columns, rows


# --- the tree's own parts -----------------------------------------------------------------------------


def _role_holders(page: UnitPage) -> dict:
    return {"role_holders": unit_officers(user=page.user, unit=page.unit)}


def name_history(unit) -> list[dict]:
    """The names the unit has carried, newest first, one entry per change of name."""
    records = unit.history.order_by("history_date", "history_id").values("name", "history_date")
    names: list[dict] = []
    for record in records:
        if not names or names[-1]["name"] != record["name"]:
            names.append(record)
    return names[::-1]


def _names(page: UnitPage) -> dict | None:
    names = name_history(page.unit)
    return {"names": names} if len(names) > 1 else None


register(
    "organizations.role_holders",
    order=20,
    region=SIDE,
    template="organizations/_panel_role_holders.html",
    context=_role_holders,
)
register(
    "organizations.names", order=40, region=SIDE, template="organizations/_panel_names.html", context=_names
)


def _lineage(page: UnitPage) -> dict | None:
    """Quá trình hình thành: the unit's past parents and the successions into and out of it."""
    from .tree import lineage

    story = lineage(page.unit)
    return {"lineage": story} if any(story.values()) else None


register(
    "organizations.lineage",
    order=39,
    region=SIDE,
    template="organizations/_panel_lineage.html",
    context=_lineage,
)
