"""Random trees and data (seeded): every unit's rolled-up figures equal its own plus its children's, and
equal the same figures counted directly from the raw tables."""

import datetime as dt
import random

import pytest
from django.db.models import Q

from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from conftest import add_unit
from initiatives.models import Initiative
from members.models import Membership, Person
from movements.metrics import RATINGS
from movements.models import Evaluation, Movement, Registration
from organizations.models import OrgUnit
from reports.models import UnitCounter
from reports.selectors import rollup, rollup_children, rollup_tree
from reports.services import counters_rebuild

YEAR = 2024
END = dt.date(YEAR, 12, 31)
TYPES = ["LDLD_HUYEN", "CDCS", "TO_CD"]


def _random_data(tree, rng: random.Random) -> list[OrgUnit]:
    units = [tree.hn, tree.md, tree.ubnd, tree.hbt, tree.mk]
    for i in range(rng.randint(8, 18)):
        parent = OrgUnit.objects.get(pk=rng.choice(units).pk)
        kind = TYPES[min(parent.depth - 1, 2)] if parent.depth < 5 else "TO_CD"
        units.append(add_unit(parent, f"R{i}", f"Đơn vị ngẫu nhiên {i}", kind))
    units = list(OrgUnit.objects.filter(pk__in=[u.pk for u in units]))
    movements = [
        Movement.objects.create(
            organiser=tree.hn,
            name=f"Phong trào {y}",
            kind="YEARLY",
            year=y,
            status="LAUNCHED",
            start_date=dt.date(y, 1, 1),
            end_date=dt.date(y, 12, 31),
        )
        for y in (YEAR - 1, YEAR, YEAR)
    ]
    for i in range(rng.randint(20, 60)):
        unit = rng.choice(units)
        person = Person.objects.create(family_name="Nguyễn", given_name=f"Số{i}", gender=rng.choice("MF"))
        started = dt.date(rng.choice([2019, 2023, 2024, 2025]), rng.randint(1, 12), 1)
        ended = rng.choice([None, None, None, dt.date(2024, 6, 30), dt.date(2025, 3, 1)])
        if ended and ended < started:
            ended = None
        Membership.objects.create(person=person, unit=unit, started_on=started, ended_on=ended)
        if ended:  # transferred: a new open membership elsewhere
            Membership.objects.create(person=person, unit=rng.choice(units), started_on=ended)
        for movement in rng.sample(movements, rng.randint(0, 2)):
            Registration.objects.get_or_create(movement=movement, person=person, defaults={"unit": unit})
        if rng.random() < 0.7:
            Evaluation.objects.create(person=person, year=YEAR, unit=unit, rating=rng.choice(RATINGS))
    ensure_catalogue()
    award_types = list(AwardType.objects.all())
    people = list(Person.objects.all())
    for i in range(rng.randint(10, 40)):  # awards of persons and collectives, some revoked or of 2023
        person = rng.choice(people) if rng.random() < 0.6 else None
        unit = None if person else rng.choice(units)
        AwardRecord.objects.create(
            person=person,
            unit=unit,
            scope_unit=unit or rng.choice(units),
            award_type=rng.choice(award_types),
            year=rng.choice([YEAR, YEAR, YEAR - 1]),
            decision_number=f"{i}/QĐ",
            decision_date=dt.date(YEAR + 1, 1, 5),
            issuing_unit=rng.choice([tree.vn, tree.hn, tree.md, *units]),
            status=rng.choice(["VALID", "VALID", "VALID", "REVOKED"]),
        )
    for unit in rng.sample(units, len(units) // 3):
        Registration.objects.create(movement=movements[1], unit=unit)
        status = rng.choice(["SUBMITTED", "RECOGNIZED", "REJECTED", "DRAFT"])
        Initiative.objects.create(
            title="Sáng kiến",
            unit=unit,
            year=YEAR,
            status=status,
            recognition_level="CO_SO" if status == "RECOGNIZED" else "",
        )
    return units


def _raw(unit: OrgUnit) -> dict[str, int]:
    sub = {"unit__path__startswith": unit.path}
    members = Membership.objects.filter(started_on__lte=END, **sub).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=END)
    )
    registered = set(
        Registration.objects.filter(movement__year=YEAR, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    figures = {
        "members": members.count(),
        "members_female": members.filter(person__gender="F").count(),
        "reg_persons": sum(1 for pid in members.values_list("person_id", flat=True) if pid in registered),
        "reg_collectives": Registration.objects.filter(movement__year=YEAR, person__isnull=True, **sub)
        .values("unit")
        .distinct()
        .count(),
        "initiatives": Initiative.objects.filter(year=YEAR, status="RECOGNIZED", **sub).count(),
        "initiatives_submitted": Initiative.objects.filter(year=YEAR, **sub).exclude(status="DRAFT").count(),
        "cdcs": OrgUnit.objects.filter(path__startswith=unit.path, unit_type__is_grassroots=True).count(),
    }
    for rating in RATINGS:
        figures[f"eval_{rating}"] = Evaluation.objects.filter(year=YEAR, rating=rating, **sub).count()
    awards = AwardRecord.objects.filter(year=YEAR, status="VALID", scope_unit__path__startswith=unit.path)
    figures["aw_tt"] = awards.filter(unit__isnull=False).count()
    figures["aw_cn"] = awards.filter(person__isnull=False).count()
    figures["aw_nu"] = awards.filter(person__gender="F").count()
    return figures


@pytest.mark.parametrize("seed", range(5))
def test_rollups_are_consistent_with_children_and_raw_tables(tree, seed):
    rng = random.Random(seed)
    units = _random_data(tree, rng)
    counters_rebuild(year=YEAR)
    assert UnitCounter.objects.filter(value=0).count() == 0
    for unit in [tree.vn, *units]:
        unit = OrgUnit.objects.get(pk=unit.pk)
        total = rollup(unit=unit, year=YEAR)
        children, own = rollup_children(unit=unit, year=YEAR)
        metrics = set(total) | set(own) | {m for _, f in children for m in f}
        for metric in metrics:
            assert total[metric] == own.get(metric, 0) + sum(f.get(metric, 0) for _, f in children), (
                unit.code,
                metric,
            )
        raw = _raw(unit)
        assert {m: total.get(m, 0) for m in raw} == raw, unit.code
        # the dashboard's single scan gives the same totals and the same children's figures
        years, tree_children, tree_own = rollup_tree(unit=unit, years=[YEAR - 1, YEAR], year=YEAR)
        assert {m: v for m, v in years[YEAR].items() if v} == {m: v for m, v in total.items() if v}
        assert not any(years[YEAR - 1].values())
        assert tree_own == own and [(c.pk, f) for c, f in tree_children] == [(c.pk, f) for c, f in children]
        for subject in ("tt", "cn", "nu"):  # by level and by type: each award counted once
            by_level = sum(v for m, v in total.items() if m.startswith("awl_") and m.endswith(f"_{subject}"))
            by_type = sum(v for m, v in total.items() if m.startswith("awt_") and m.endswith(f"_{subject}"))
            assert by_level == by_type == raw[f"aw_{subject}"], (unit.code, subject)
