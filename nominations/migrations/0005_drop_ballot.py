"""The per-vote `Ballot` rows are gone: their counts live in `BallotTally` (folded by 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0004_ballot_tally"),
    ]

    operations = [
        migrations.DeleteModel(name="Ballot"),
    ]
