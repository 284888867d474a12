"""Query-string filters of the list and report screens — one parser per kind of value.

`year_from(data, default=…)` is the one reading of `?nam=` (a year of emulation between `MIN_YEAR` and
next year); anything else — missing, text, out of range — gives the screen's default, never an error
page."""

from __future__ import annotations

from django import forms
from django.utils import timezone

MIN_YEAR = 1990


def year_bounds() -> tuple[int, int]:
    return MIN_YEAR, timezone.localdate().year + 1


def year_field(**kwargs) -> forms.IntegerField:
    low, high = year_bounds()
    return forms.IntegerField(min_value=low, max_value=high, **kwargs)


def year_from(data, *, default: int | None = None, key: str = "nam") -> int | None:
    """The year in `data[key]` (a QueryDict or dict) when it is a valid year, else `default`."""
    field = year_field(required=False)
    try:
        value = field.clean((data.get(key) or "").strip())
    except forms.ValidationError:
        return default
    return value if value is not None else default


def last_year() -> int:
    return timezone.localdate().year - 1
