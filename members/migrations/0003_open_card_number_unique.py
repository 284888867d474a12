"""One card number, one open membership: a partial unique constraint (ended memberships and empty card
numbers are free). Before it, a check that names the card numbers already held by two open memberships,
so the operator fixes them instead of reading a database error."""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    Membership = apps.get_model("members", "Membership")
    duplicates = list(
        Membership.objects.filter(ended_on__isnull=True)
        .exclude(card_number="")
        .values("card_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("card_number", flat=True)[:20]
    )
    if duplicates:
        raise RuntimeError(
            "Không thêm được ràng buộc “mỗi số thẻ một quá trình sinh hoạt đang mở”: các số thẻ sau đang "
            "cấp cho nhiều đoàn viên — hãy sửa trước rồi chạy lại migrate: " + ", ".join(duplicates)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_roster_import"),
        ("organizations", "0004_move_clusters_out"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True), models.Q(("card_number", ""), _negated=True)),
                fields=("card_number",),
                name="one_open_membership_per_card_number",
            ),
        ),
    ]
