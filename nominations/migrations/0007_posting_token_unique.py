"""The posting token, filled by 0006, becomes unique and required."""

from django.db import migrations, models

import nominations.models


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0006_posting_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publicposting",
            name="token",
            field=models.CharField(
                default=nominations.models.posting_token,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="Mã trang công khai",
            ),
        ),
    ]
