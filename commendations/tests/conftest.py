"""Helpers to build members' histories in the database (evaluations, registrations, initiatives, awards)."""

from __future__ import annotations

import datetime as dt

import pytest

from commendations.models import AwardRecord, AwardType
from conftest import add_person
from initiatives.models import Initiative, InitiativeAuthor
from movements.models import Evaluation, Movement, Registration


@pytest.fixture
def history(tree):
    movements: dict[int, Movement] = {}

    def movement(year: int) -> Movement:
        if year not in movements:
            movements[year] = Movement.objects.create(
                organiser=tree.md,
                name=f"Phong trào thi đua yêu nước năm {year}",
                kind="YEARLY",
                year=year,
                start_date=dt.date(year, 1, 1),
                end_date=dt.date(year, 12, 31),
            )
        return movements[year]

    class H:
        @staticmethod
        def rate(
            person, year, rating="HTT", *, months=12, absent=0, maternity=0, discipline="", on=None, unit=None
        ):
            return Evaluation.objects.create(
                person=person,
                year=year,
                unit=unit or person.memberships.first().unit,
                rating=rating,
                months_worked=months,
                absent_days=absent,
                maternity_days=maternity,
                discipline=discipline,
                discipline_on=on,
            )

        @staticmethod
        def register(person, year):
            return Registration.objects.create(
                movement=movement(year), person=person, unit=person.memberships.first().unit, titles=["LDTT"]
            )

        @staticmethod
        def initiative(person, on: dt.date, level="CO_SO", benefit=None):
            initiative = Initiative.objects.create(
                title=f"Sáng kiến {person.pk} {on}",
                unit=tree.ubnd,
                year=on.year,
                status="RECOGNIZED",
                recognition_level=level,
                recognized_on=on,
                benefit_vnd=benefit,
            )
            InitiativeAuthor.objects.create(initiative=initiative, person=person, share_percent=100)
            return initiative

        @staticmethod
        def award(person, code, year, *, used_for=None, achievement="", issuer=None, number=None):
            return AwardRecord.objects.create(
                person=person,
                scope_unit=person.memberships.first().unit,
                award_type=AwardType.objects.get(code=code),
                year=year,
                decision_number=number or f"{year % 100}/QĐ-LĐLĐ",
                decision_date=dt.date(year + 1, 1, 20),
                issuing_unit=issuer or tree.md,
                achievement_id=achievement,
                used_for=used_for,
            )

        @staticmethod
        def ldtt_year(person, year, rating="HTT"):
            H.rate(person, year, rating)
            H.register(person, year)

        @staticmethod
        def members(unit, count, prefix="Thành viên"):
            given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
            return [
                add_person(unit, f"Nguyễn Văn {given[i % 10]}{'' if i < 10 else i}") for i in range(count)
            ]

    return H
