"""Rule sets: the citations printed by official documents ("Căn cứ …;"), and every parameter the award
declarations need, back-filled with the declared defaults into existing rows."""

from django.db import migrations, models


def forward(apps, schema_editor):
    from commendations.reference import backfill_document_basis, backfill_params

    ruleset_model = apps.get_model("commendations", "RuleSet")
    backfill_document_basis(ruleset_model=ruleset_model)
    backfill_params(ruleset_model=ruleset_model)


class Migration(migrations.Migration):
    dependencies = [("commendations", "0004_award_revocation")]

    operations = [
        migrations.AddField(
            model_name="ruleset",
            name="document_basis",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Các văn bản được trích dẫn ở phần «Căn cứ …;» của tờ trình, quyết định, kế hoạch: mỗi văn "
                    "bản một dòng, không ghi chữ «Căn cứ». Để trống: dùng các dòng căn cứ pháp lý."
                ),
                verbose_name="Căn cứ in trên văn bản",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
