"""Query-string filters of the list and report screens — one parser per kind of value.

`year_from(data, default=…)` is the one reading of `?nam=` (a year of emulation between `MIN_YEAR` and
next year); anything else — missing, text, out of range — gives the screen's default, never an error
page. List screens filter through django-filter FilterSets (`FilterSet` below, one per list in the app's
`filters.py`), whose year filter is `YearFilter` — the same field, the same bounds."""

from __future__ import annotations

import django_filters
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


def emulation_year(today=None) -> int:
    """The emulation year the screens open on: the calendar year, except in the first months of the next
    one (before THIDUA_EMULATION_YEAR_STARTS_MONTH, March by default), when the year-end review, the
    ratings and the nominations of the year just ended are still being done."""
    from django.conf import settings

    today = today or timezone.localdate()
    starts = getattr(settings, "THIDUA_EMULATION_YEAR_STARTS_MONTH", 3)
    return today.year if today.month >= starts else today.year - 1


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        low, high = year_bounds()
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """`?nam=`: the year of emulation (an invalid year filters nothing, as `year_from`)."""

    field_class = YearField


class FilterSet(django_filters.FilterSet):
    """A list's filters. An invalid value is ignored (that filter only), never an error page."""

    def cleaned(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}

    def qs_without(self, *names: str):
        """The queryset filtered by every filter but `names` (e.g. counts per status within the year)."""
        qs = self.queryset.all()
        cleaned = self.cleaned()
        for name, value in cleaned.items():
            if name not in names:
                qs = self.filters[name].filter(qs, value)
        return qs
