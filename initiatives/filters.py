"""The filters of the initiative list (django-filter); the year is chosen among the years that have
initiatives."""

from __future__ import annotations

import django_filters
from django import forms

from core.filters import FilterSet, YearFilter

from .choices import Status
from .models import Initiative


class InitiativeFilter(FilterSet):
    nam = YearFilter(field_name="year", label="Năm")
    trang_thai = django_filters.ChoiceFilter(
        field_name="status", choices=Status.choices, label="Trạng thái", empty_label="Tất cả"
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["nam"].widget = forms.Select(
            choices=[("", "Tất cả các năm"), *[(y, str(y)) for y in years]]
        )
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
