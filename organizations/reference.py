"""Reference data (unit types, sectors): seeded by migration 0002 and re-ensurable at any time."""

from .choices import SECTORS, UNIT_TYPES


def ensure_reference_data(*, unit_type_model=None, sector_model=None) -> None:
    """Create or update the unit types and sectors (idempotent). Models may be historical (migrations)."""
    if unit_type_model is None or sector_model is None:
        from .models import OrgUnitType, Sector

        unit_type_model, sector_model = OrgUnitType, Sector
    for code, name, short_name, rank, is_grassroots, holds_members, historic in UNIT_TYPES:
        unit_type_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "rank": rank,
                "is_grassroots": is_grassroots,
                "holds_members": holds_members,
                "historic": historic,
            },
        )
    for code, name in SECTORS:
        sector_model.objects.update_or_create(code=code, defaults={"name": name})
