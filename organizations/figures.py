"""Subtree figures of units (members, women, units) for the tree browser, the unit page and the home
page. They are read from the pre-rolled counters of the reports app, which sits above the organisation
tree: it registers the reader at start-up (`ReportsConfig.ready`) and the pages ask through here, never by
importing reports — and never by counting raw rows over a subtree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class UnitFigures:
    # figures(*, units, year) -> {unit.pk: {"members": n, "female": n, "units": n}}: sums over each
    # unit's subtree in the tree of `year` ("units" counts the unit itself), or None when the year's
    # counters were never built (the page then says so)
    figures: Callable[..., dict[int, dict[str, int]] | None]


_provider: UnitFigures | None = None


def register_unit_figures(*, figures) -> None:
    global _provider
    _provider = UnitFigures(figures=figures)


def unit_figures() -> UnitFigures:
    if _provider is None:
        raise ImproperlyConfigured("Chưa có ứng dụng nào cung cấp số liệu đoàn viên (reports).")
    return _provider
