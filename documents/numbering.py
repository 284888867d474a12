"""Abbreviations and dates in the official style of Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

import datetime as dt

from organizations.models import OrgUnit

PLACE_PREFIXES = ("thành phố ", "tỉnh ", "huyện ", "quận ", "thị xã ", "phường ", "xã ", "thị trấn ")


def place_name(unit: OrgUnit, ancestors: list[OrgUnit] = ()) -> str:
    """ "Huyện Mỹ Đức, Hà Nội" → "Mỹ Đức": the first part of the unit's area (or the nearest ancestor's)
    without the administrative word."""
    for candidate in [unit, *reversed(list(ancestors))]:
        area = (candidate.area or "").split(",")[0].strip()
        if area and area.lower() not in {"toàn quốc"}:
            lower = area.lower()
            for prefix in PLACE_PREFIXES:
                if lower.startswith(prefix):
                    return area[len(prefix) :].strip()
            return area
    return "Hà Nội"


def nd30_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2024", "ngày 20 tháng 12 năm 2024": days below 10 and months 1, 2 take a 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
