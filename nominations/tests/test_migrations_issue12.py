"""Issue 12 data migrations: the per-vote `Ballot` rows of a database migrated before the change are
folded into one tally per session × nominee (then the table is dropped), and every existing public
posting gets its own unguessable token."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nominations.models import BallotTally, PublicPosting

from .test_public_posting import posting  # noqa: F401  (fixture)
from .test_workflow import _council_ready

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("nominations", "0003_council_session_time_place_secretary")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_ballots_are_folded_into_tallies_and_postings_get_tokens(tree, people, bk_city, posting):  # noqa: F811
    session, dossier = _council_ready(tree, people, bk_city, [tree.an, tree.hoa])
    an, hoa = dossier.items.order_by("pk")
    try:
        old = _migrate(BEFORE)
        Ballot = old.get_model("nominations", "Ballot")
        assert not Ballot.objects.exists()
        for item, choices in ((an, ["YES"] * 5 + ["NO"] * 2 + ["ABSTAIN"]), (hoa, ["NO"] * 3)):
            for choice in choices:
                Ballot.objects.create(session_id=session.pk, item_id=item.pk, choice=choice)
        OldPosting = old.get_model("nominations", "PublicPosting")
        assert OldPosting.objects.count() == 1
        assert "token" not in {f.name for f in OldPosting._meta.get_fields()}
    finally:
        _migrate(_latest())

    tallies = {t.item_id: (t.yes, t.no, t.abstain) for t in BallotTally.objects.filter(session=session)}
    assert tallies == {an.pk: (5, 2, 1), hoa.pk: (0, 3, 0)}
    with connection.cursor() as cursor:
        assert "nominations_ballot" not in connection.introspection.table_names(cursor)
    tokens = list(PublicPosting.objects.values_list("token", flat=True))
    assert len(tokens) == 1 and all(t and len(t) >= 20 for t in tokens)
