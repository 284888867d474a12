"""Demo hook (called by core.demo): rebuild the counters of the demo year and the year before (for the
year-over-year figures), so dashboards and summaries show figures right after `load_demo`."""

from __future__ import annotations

import random

from .models import UnitCounter
from .services import counters_rebuild


def build_demo(*, rng: random.Random, year: int = 2024) -> int:
    """Always rebuilds (cheap, follows the data); returns the rows created only when the years had no
    counters before, so a second `load_demo` still reports that nothing changed."""
    years = (year - 1, year)
    existed = UnitCounter.objects.filter(year__in=years).exists()
    rows = sum(counters_rebuild(year=y)["rows"] for y in years)
    return 0 if existed else rows
