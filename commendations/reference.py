"""Seed data of the commendations app: the award catalogue and the rule sets of the engine's default
calendar. Used by the data migrations (with historical models) and by the demo loader (idempotent: a
database flushed by a browser test gets them back)."""

from __future__ import annotations

from .choices import catalogue_rows
from .engine.rulesets import DEFAULT_CALENDAR


def params_to_json(params) -> dict:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in params.items()}


def ensure_catalogue(*, award_type_model=None, unit_type_model=None) -> None:
    """Create the award types that are missing (existing rows, possibly edited in the admin, are kept)."""
    if award_type_model is None or unit_type_model is None:
        from organizations.models import OrgUnitType

        from .models import AwardType

        award_type_model, unit_type_model = AwardType, OrgUnitType
    types = {t.code: t for t in unit_type_model.objects.all()}
    existing = set(award_type_model.objects.values_list("code", flat=True))
    for code, name, short, kind, subject, type_codes, by_state, posting, position in catalogue_rows():
        if code in existing:
            continue
        award = award_type_model.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            subject=subject,
            conferred_by_state=by_state,
            requires_public_posting=posting,
            position=position,
        )
        award.conferring_unit_types.set([types[c] for c in type_codes if c in types])


def ensure_rulesets(*, ruleset_model=None) -> None:
    """Create the rule sets of the default calendar that are missing (by code)."""
    if ruleset_model is None:
        from .models import RuleSet

        ruleset_model = RuleSet
    existing = set(ruleset_model.objects.values_list("code", flat=True))
    for spec in DEFAULT_CALENDAR:
        if spec.code in existing:
            continue
        ruleset_model.objects.create(
            code=spec.code,
            name=spec.name,
            legal_basis="\n".join(spec.legal_basis),
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            params=params_to_json(spec.params),
        )
