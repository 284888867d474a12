"""The national-size data generator (issue 16, demo.dataset / `manage.py generate_dataset`), at a small
size: a valid tree on top of the existing one, the members and their figures where the demo officers
see them, the same rows for the same seed, and one dataset per database."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from commendations.models import AwardRecord
from demo.dataset import DatasetError, generate, plan_units
from members.models import Membership, Person
from movements.models import Evaluation, Registration
from nominations.models import ApprovalStep, Dossier
from nominations.selectors import inbox_waiting
from organizations.models import OrgUnit
from reports.selectors import rollup

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_the_dataset_grows_a_valid_tree_with_members_figures_and_work(tree, make_user):
    before_units, before_people = OrgUnit.objects.count(), Person.objects.count()
    last_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = generate(units=300, members=3000, years=[YEAR - 1, YEAR], seed=7)
    assert result["units"] == 300 and OrgUnit.objects.count() == before_units + 300
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])  # paths, depths and numchild all right
    assert Person.objects.count() == before_people + 3000
    assert Membership.objects.filter(ended_on__isnull=True, person_id__gt=last_person).count() == 3000
    # every member sits in a unit that holds members, with a folded name the search reads
    person = Person.objects.order_by("-pk").first()
    assert person.search_text and person.sort_key and person.full_name.count(" ") >= 2
    assert (
        not Membership.objects.filter(person__gt=last_person)
        .exclude(unit__unit_type__holds_members=True)
        .exists()
    )
    # a tenth under the city federation, counted by the counters like everything else
    hn = OrgUnit.objects.get(pk=tree.hn.pk)
    members_below = Membership.objects.filter(unit__path__startswith=hn.path, ended_on__isnull=True).count()
    assert 150 < members_below < 600
    assert rollup(unit=hn, year=YEAR)["members"] == members_below
    assert Registration.objects.filter(movement__year=YEAR).count() > 2400
    assert Evaluation.objects.filter(year=YEAR).count() == 3000
    records = AwardRecord.objects.filter(year__in=[YEAR - 1, YEAR])
    assert records.count() == result["records"] and 100 < records.filter(person__isnull=False).count() < 400
    assert records.filter(unit__isnull=False).exists()  # Tập thể lao động tiên tiến for some CĐCS
    # dossiers waiting at their province: the city officer's inbox has those under Hà Nội
    assert result["dossiers"] == Dossier.objects.filter(title__contains="Đề nghị khen thưởng năm").count() > 0
    officer = make_user(Role.OFFICER, tree.hn)
    waiting = list(inbox_waiting(user=officer))
    assert waiting and all(s.level_id == tree.hn.pk for s in waiting)
    assert ApprovalStep.objects.filter(verdict="PENDING").count() == result["dossiers"]


def test_the_same_seed_plans_the_same_tree(tree):
    first, _, _ = plan_units(units=200, hanoi_share=0.1, rng=random.Random(3))
    second, _, _ = plan_units(units=200, hanoi_share=0.1, rng=random.Random(3))
    other, _, _ = plan_units(units=200, hanoi_share=0.1, rng=random.Random(4))
    assert [(n.path, n.type_code, n.sector) for n in first.nodes] == [
        (n.path, n.type_code, n.sector) for n in second.nodes
    ]
    assert [n.sector for n in first.nodes] != [n.sector for n in other.nodes]


def test_a_second_dataset_is_refused(tree):
    generate(units=60, members=100, years=[YEAR], seed=1)
    with pytest.raises(DatasetError, match="đã có một bộ dữ liệu sinh thử"):
        generate(units=60, members=100, years=[YEAR], seed=1)


def test_the_command_reports_what_it_made_and_refuses_bad_sizes(tree):
    out = StringIO()
    call_command("generate_dataset", "--units", "80", "--members", "500", "--years", str(YEAR), stdout=out)
    assert "Đã sinh 80 đơn vị, 500 đoàn viên" in out.getvalue()
    with pytest.raises(CommandError, match="Số đơn vị phải từ 1"):
        call_command("generate_dataset", "--units", "0", stdout=StringIO())
