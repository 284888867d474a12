"""Public posting pages are reached by an unguessable token, not the sequential id: the column is added
and filled for the existing postings here, then made unique and required by 0007 (a migration of its
own: PostgreSQL refuses to alter a table with pending trigger events in the same transaction)."""

import secrets

from django.db import migrations, models

import nominations.models


def fill_tokens(apps, schema_editor):
    PublicPosting = apps.get_model("nominations", "PublicPosting")
    for posting in PublicPosting.objects.filter(token__isnull=True):
        posting.token = secrets.token_urlsafe(16)
        posting.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0005_drop_ballot"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicposting",
            name="token",
            field=models.CharField(
                editable=False, max_length=32, null=True, verbose_name="Mã trang công khai"
            ),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
    ]
