"""Unit names already stored take the one form of text (core.text.normalize: NFC, Ð → Đ); their search
text is recomputed from it."""

from django.db import migrations

from core.text import fold, normalize


def normalize_names(apps, schema_editor):
    OrgUnit = apps.get_model("organizations", "OrgUnit")
    changed = []
    for pk, code, name, short in OrgUnit.objects.values_list("pk", "code", "name", "short_name").iterator(
        chunk_size=5000
    ):
        if (normalize(name), normalize(short)) == (name, short):
            continue
        unit = OrgUnit(pk=pk, name=normalize(name), short_name=normalize(short))
        unit.search_text = fold(f"{unit.name} {unit.short_name} {code}")
        changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["name", "short_name", "search_text"], batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_move_clusters_out")]
    operations = [migrations.RunPython(normalize_names, migrations.RunPython.noop)]
