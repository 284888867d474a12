"""Reference data (unit types, sectors): seeded by migration 0002 and re-ensurable at any time."""

import datetime as dt

from .choices import SECTORS, TYPE_ENDS, UNIT_TYPES


def ensure_reference_data(*, unit_type_model=None, sector_model=None) -> None:
    """Create or update the unit types and sectors (idempotent). Models may be historical (migrations)."""
    if unit_type_model is None or sector_model is None:
        from .models import OrgUnitType, Sector

        unit_type_model, sector_model = OrgUnitType, Sector
    dated = any(f.name == "valid_to" for f in unit_type_model._meta.get_fields())  # not in migration 0002
    for code, name, short_name, rank, is_grassroots, holds_members, historic in UNIT_TYPES:
        defaults = {
            "name": name,
            "short_name": short_name,
            "rank": rank,
            "is_grassroots": is_grassroots,
            "holds_members": holds_members,
            "historic": historic,
        }
        if dated:
            defaults["valid_to"] = dt.date(*TYPE_ENDS[code]) if code in TYPE_ENDS else None
        unit_type_model.objects.update_or_create(code=code, defaults=defaults)
    for code, name in SECTORS:
        sector_model.objects.update_or_create(code=code, defaults={"name": name})
