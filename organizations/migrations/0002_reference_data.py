"""Seed unit types and sectors; on PostgreSQL add a pattern-ops index so path-prefix (subtree) filters
use an index under any database collation."""

from django.db import migrations

from organizations.reference import ensure_reference_data


def seed(apps, schema_editor):
    ensure_reference_data(
        unit_type_model=apps.get_model("organizations", "OrgUnitType"),
        sector_model=apps.get_model("organizations", "Sector"),
    )


def path_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organizations_orgunit_path_like "
            "ON organizations_orgunit (path varchar_pattern_ops)"
        )


def drop_path_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organizations_orgunit_path_like")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(path_index, drop_path_index),
    ]
