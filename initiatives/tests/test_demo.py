import random

from django.core.management import call_command

from initiatives.choices import Level, Status
from initiatives.demo import build_demo
from initiatives.models import Initiative, InitiativeAuthor
from initiatives.selectors import initiative_counts
from organizations.models import OrgUnit


def test_demo_initiatives_are_realistic_and_idempotent(db):
    call_command("load_demo", verbosity=0)
    created = build_demo(rng=random.Random(7), year=2024)
    if created == 0:  # the demo loader already called it
        created = Initiative.objects.filter(year=2024).count()
    assert 40 <= created <= 60
    assert build_demo(rng=random.Random(7), year=2024) == 0
    md = OrgUnit.objects.get(code="HN-MD")
    qs = Initiative.objects.filter(year=2024, unit__path__startswith=md.path)
    assert qs.count() == created
    recognised = qs.filter(status=Status.RECOGNIZED)
    assert recognised.filter(recognition_level=Level.CO_SO).count() > recognised.count() * 0.7
    assert 1 <= recognised.filter(recognition_level=Level.TINH_BO).count() <= 6
    for initiative in qs.prefetch_related("authors"):
        assert sum(a.share_percent for a in initiative.authors.all()) == 100
        assert initiative.search_text
    # authors are current members of the unit where the initiative applies
    for author in InitiativeAuthor.objects.select_related("initiative__unit").prefetch_related(
        "person__memberships__unit"
    ):
        paths = [m.unit.path for m in author.person.memberships.all() if m.ended_on is None]
        assert any(p.startswith(author.initiative.unit.path) for p in paths)
    assert initiative_counts(units=[md], year=2024) == {md.pk: recognised.count()}
