"""Seed the award catalogue and the rule sets of the engine's default calendar."""

from django.db import migrations


def seed(apps, schema_editor):
    from commendations.reference import ensure_catalogue, ensure_rulesets

    ensure_catalogue(
        award_type_model=apps.get_model("commendations", "AwardType"),
        unit_type_model=apps.get_model("organizations", "OrgUnitType"),
    )
    ensure_rulesets(ruleset_model=apps.get_model("commendations", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [
        ("commendations", "0001_catalogue_rulesets_registry"),
        ("organizations", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
