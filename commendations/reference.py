"""Seed data of the commendations app: the award catalogue and the rule sets of the engine's default
calendar. Used by the data migrations (with historical models) and by the demo loader (idempotent: a
database flushed by a browser test gets them back)."""

from __future__ import annotations

from .choices import catalogue_rows
from .engine.declarations import param_decls
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
    backfill_params(ruleset_model=ruleset_model)
    existing = set(ruleset_model.objects.values_list("code", flat=True))
    # the historical model of migration 0002 has no document_basis yet (0005 fills it)
    fields = {f.name for f in ruleset_model._meta.get_fields()}
    for spec in DEFAULT_CALENDAR:
        if spec.code in existing:
            continue
        extra = {"document_basis": "\n".join(spec.document_basis)} if "document_basis" in fields else {}
        ruleset_model.objects.create(
            code=spec.code,
            name=spec.name,
            legal_basis="\n".join(spec.legal_basis),
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            params=params_to_json(spec.params),
            **extra,
        )


def backfill_params(*, ruleset_model=None) -> dict[str, list[str]]:
    """Give every existing rule set the parameters the award declarations need and it lacks, with their
    declared defaults (values already there, possibly edited, are kept). {rule set code: keys added}.
    A data migration calls it whenever a declaration adds a parameter."""
    if ruleset_model is None:
        from .models import RuleSet

        ruleset_model = RuleSet
    defaults = params_to_json({p.key: p.default for p in param_decls()})
    added: dict[str, list[str]] = {}
    for ruleset in ruleset_model.objects.order_by("valid_from"):
        missing = [key for key in defaults if key not in ruleset.params]
        if missing:
            ruleset.params = {**ruleset.params, **{key: defaults[key] for key in missing}}
            ruleset.save(update_fields=["params"])
            added[ruleset.code] = missing
    return added


def backfill_document_basis(*, ruleset_model=None) -> None:
    """Rule sets of the default calendar without the citations for official documents get them."""
    if ruleset_model is None:
        from .models import RuleSet

        ruleset_model = RuleSet
    for spec in DEFAULT_CALENDAR:
        ruleset_model.objects.filter(code=spec.code, document_basis="").update(
            document_basis="\n".join(spec.document_basis)
        )
