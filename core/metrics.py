"""The registry of the figures kept per unit and year (the per-unit counters of `reports`).

A provider is a function `(year, prefix) -> iterable of (unit_id, metric, value)` computing a few
metrics for every unit whose path starts with `prefix`, in one grouped query. Each app registers the
providers of the data it owns in its own `<app>/metrics.py` (`register(provider, labels={metric: label})`);
`ReportsConfig.ready` imports these modules with `autodiscover_modules("metrics")`, so counters, rollups
and exports pick them up and the kernel knows no app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

Row = tuple[int, str, int]
Provider = Callable[[int, str], Iterable[Row]]

_PROVIDERS: list[Provider] = []
_LABELS: dict[str, str] = {}
_OWN_LABELS: dict[Provider, list[str]] = {}


def register(provider: Provider, labels: Mapping[str, str] | None = None) -> Provider:
    """Adds `provider` (once: registering it again only adds labels) and the Vietnamese labels of the
    metrics it computes; returns the provider, so a bare `@register` works too."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    _LABELS.update(labels or {})
    _OWN_LABELS.setdefault(provider, []).extend(labels or {})
    return provider


def unregister(provider: Provider) -> None:
    """Removes `provider` and the labels registered with it (for tests of a temporary provider)."""
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)
    for key in _OWN_LABELS.pop(provider, []):
        _LABELS.pop(key, None)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def labels() -> Mapping[str, str]:
    """{metric: Vietnamese label} of every registered metric (a live, read-only view)."""
    return _LABELS_VIEW


_LABELS_VIEW = MappingProxyType(_LABELS)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
