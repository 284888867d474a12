"""The secret ballot keeps counters, not votes: one `BallotTally` row per session × nominee (yes, no,
abstain). The existing `Ballot` rows are folded into tallies here; `0005_drop_ballot` drops them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def fold_ballots(apps, schema_editor):
    Ballot = apps.get_model("nominations", "Ballot")
    BallotTally = apps.get_model("nominations", "BallotTally")
    CouncilSession = apps.get_model("nominations", "CouncilSession")
    NominationItem = apps.get_model("nominations", "NominationItem")
    counter = {"YES": "yes", "NO": "no", "ABSTAIN": "abstain"}
    tallies: dict[tuple[int, int], dict[str, int]] = {}
    # every nominee of every session gets its row (open sessions keep voting into them)
    for session in CouncilSession.objects.all():
        for item_id in NominationItem.objects.filter(dossier__in=session.dossiers.all()).values_list(
            "pk", flat=True
        ):
            tallies.setdefault((session.pk, item_id), {})
    for row in Ballot.objects.values("session_id", "item_id", "choice").annotate(n=Count("pk")).order_by():
        tallies.setdefault((row["session_id"], row["item_id"]), {})[counter[row["choice"]]] = row["n"]
    BallotTally.objects.bulk_create(
        [
            BallotTally(session_id=session_id, item_id=item_id, **counts)
            for (session_id, item_id), counts in sorted(tallies.items())
        ]
    )


def unfold_tallies(apps, schema_editor):
    """Back to one anonymous row per vote (written in counter order, not in voting order)."""
    Ballot = apps.get_model("nominations", "Ballot")
    BallotTally = apps.get_model("nominations", "BallotTally")
    rows = []
    for tally in BallotTally.objects.all():
        for choice, n in (("YES", tally.yes), ("NO", tally.no), ("ABSTAIN", tally.abstain)):
            rows += [
                Ballot(session_id=tally.session_id, item_id=tally.item_id, choice=choice) for _ in range(n)
            ]
    Ballot.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0003_council_session_time_place_secretary"),
    ]

    operations = [
        migrations.CreateModel(
            name="BallotTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("yes", models.PositiveIntegerField(default=0, verbose_name="Đồng ý")),
                ("no", models.PositiveIntegerField(default=0, verbose_name="Không đồng ý")),
                ("abstain", models.PositiveIntegerField(default=0, verbose_name="Không biểu quyết")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="nominations.nominationitem",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tallies",
                        to="nominations.councilsession",
                    ),
                ),
            ],
            options={
                "verbose_name": "Kết quả kiểm phiếu",
                "verbose_name_plural": "Kết quả kiểm phiếu",
                "constraints": [
                    models.UniqueConstraint(fields=("session", "item"), name="one_tally_per_nominee")
                ],
            },
        ),
        migrations.RunPython(fold_ballots, unfold_tallies),
    ]
