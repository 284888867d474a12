"""The filters of the movement list (django-filter)."""

from __future__ import annotations

import django_filters

from core.filters import FilterSet, YearFilter

from .choices import MovementStatus
from .models import Movement


class MovementFilter(FilterSet):
    nam = YearFilter(field_name="year", label="Năm")
    trang_thai = django_filters.ChoiceFilter(
        field_name="status", choices=MovementStatus.choices, label="Trạng thái"
    )

    class Meta:
        model = Movement
        fields: list[str] = []
