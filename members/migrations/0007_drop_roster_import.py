"""The member roster is imported through the one import framework (`imports.ImportBatch`, kind
"doan-vien"): its own upload model goes. Uploads still waiting (read, checked, invalid) are dropped —
their officers upload the file again — and the files still stored for them (citizen IDs inside) are
deleted first."""

from django.db import migrations


def delete_stored_files(apps, schema_editor):
    RosterImport = apps.get_model("members", "RosterImport")
    storage = RosterImport._meta.get_field("file").storage
    for names in RosterImport.objects.values_list("file", "rows_file").iterator():
        for name in names:
            if name:
                storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_roster_import_sheets"),
    ]

    operations = [
        migrations.RunPython(delete_stored_files, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="RosterImport",
        ),
    ]
