"""Names already stored take the one form of text (core.text.normalize: NFC, Ð → Đ), and their search
and sort keys are recomputed from it (a decomposed or Ð-spelled name sorted and searched wrongly)."""

from django.db import migrations

from core.text import fold, normalize, person_sort_key

BATCH = 5000


def normalize_names(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    changed = []
    rows = Person.objects.values_list("pk", "family_name", "middle_name", "given_name").iterator(
        chunk_size=BATCH
    )
    for pk, family, middle, given in rows:
        parts = (normalize(family), normalize(middle), normalize(given))
        if parts == (family, middle, given):
            continue
        person = Person(pk=pk, family_name=parts[0], middle_name=parts[1], given_name=parts[2])
        person.full_name = " ".join(p for p in parts if p)
        person.search_text = fold(person.full_name)
        person.sort_key = person_sort_key(family_name=parts[0], middle_name=parts[1], given_name=parts[2])
        changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(
                changed, ["family_name", "middle_name", "given_name", "full_name", "search_text", "sort_key"]
            )
            changed = []
    if changed:
        Person.objects.bulk_update(
            changed, ["family_name", "middle_name", "given_name", "full_name", "search_text", "sort_key"]
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0004_roster_upload_read_once")]
    operations = [migrations.RunPython(normalize_names, migrations.RunPython.noop)]
