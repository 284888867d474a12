"""Demo award history for LĐLĐ huyện Mỹ Đức (a part of `load_demo`, `demo_part` below).

Members of Công đoàn UBND huyện Mỹ Đức get realistic past awards: Lao động tiên tiến for many (2022, 2023),
three years of Chiến sĩ thi đua cơ sở for two authors of an initiative recognised at the city level (so
that one is eligible for CSTĐ cấp bộ, ngành, tỉnh in 2024 and the other in 2025), a few Giấy khen, a Bằng
khen of the city federation and a Kỷ niệm chương. Idempotent: nothing is created when the registry already
holds awards under LĐLĐ huyện Mỹ Đức.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from initiatives.choices import Level, Status
from initiatives.models import Initiative, InitiativeAuthor
from members.models import Membership
from movements.models import Evaluation
from organizations.models import OrgUnit
from organizations.tree import subtree_q

from .choices import SubjectCategory
from .models import AwardRecord, AwardType
from .reference import ensure_catalogue, ensure_rulesets

DEMO_ORDER = 40  # after the initiatives: some awards rest on recognised initiatives
DEMO_LABELS = {"awards": "khen thưởng đã có trong sổ"}


# phân loại đối tượng of the demo's awarded members (by person id: the random sequence is left as it was) —
# an office of the district people's committee: mostly civil servants, some leaders and direct workers
_CATEGORIES = (
    SubjectCategory.OFFICIAL,
    SubjectCategory.DIRECT_WORKER,
    SubjectCategory.OFFICIAL,
    SubjectCategory.LEADER,
    SubjectCategory.OFFICIAL,
    SubjectCategory.DIRECT_WORKER,
    SubjectCategory.UNION_STAFF,
)


def build_demo(*, rng: random.Random, year: int = 2024) -> int:
    ensure_catalogue()
    ensure_rulesets()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["VN", "HN", "HN-MD", "HN-MD-UBND"])}
    md, ubnd = units.get("HN-MD"), units.get("HN-MD-UBND")
    if (
        md is None
        or ubnd is None
        # the district's units of 31/12/`year` (the demo dissolves it on 01/07/2025: today it has none)
        or AwardRecord.objects.filter(subtree_q("scope_unit", md, year)).exists()
    ):
        return 0
    seats = dict(
        Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
        .order_by("person_id")
        .values_list("person_id", "unit_id")
    )
    if not seats:
        return 0
    types = {a.code: a for a in AwardType.objects.all()}
    today = timezone.localdate()
    with transaction.atomic():
        stars = _initiative_authors(ubnd=ubnd, hn=units.get("HN"), year=year, seats=seats)
        _star_evaluations(stars=stars, years=range(year - 2, year + 2))
        ratings = {
            (pid, y): (rating, months, discipline)
            for pid, y, rating, months, discipline in Evaluation.objects.filter(
                person_id__in=seats, year__in=[year - 2, year - 1]
            ).values_list("person_id", "year", "rating", "months_worked", "discipline")
        }
        records: list[AwardRecord] = []

        def add(pid, code, award_year, number, on, issuer, summary=""):
            if on > today or code not in types or issuer is None:
                return
            records.append(
                AwardRecord(
                    person_id=pid,
                    scope_unit_id=seats[pid],
                    award_type=types[code],
                    year=award_year,
                    decision_number=number,
                    decision_date=on,
                    issuing_unit=issuer,
                    achievement_id=f"{code}-{award_year}-{pid}",
                    achievement_summary=summary,
                    subject_category=_CATEGORIES[pid % len(_CATEGORIES)],
                )
            )

        # Lao động tiên tiến for the members rated HTT or better, without discipline, in 2022 and 2023
        for award_year, number in ((year - 2, "12/QĐ-LĐLĐ"), (year - 1, "15/QĐ-LĐLĐ")):
            decided = dt.date(award_year + 1, 1, 16)
            for pid in seats:
                rating, months, discipline = ratings.get((pid, award_year), ("", 0, ""))
                if (pid in stars or rating in ("HTXS", "HTT")) and months >= 10 and not discipline:
                    add(
                        pid,
                        "LDTT",
                        award_year,
                        number,
                        decided,
                        md,
                        "Hoàn thành tốt nhiệm vụ, đăng ký thi đua",
                    )
        # three consecutive CSTĐ cơ sở: the first star up to `year`, the second up to `year + 1`
        numbers = {year - 2: "45/QĐ-LĐLĐ", year - 1: "52/QĐ-LĐLĐ", year: "38/QĐ-LĐLĐ", year + 1: "41/QĐ-LĐLĐ"}
        for index, pid in enumerate(stars[:2]):
            for award_year in range(year - 2 + index, year + 1 + index):
                decided = dt.date(award_year + 1, 1, 20)
                if award_year >= year:
                    add(pid, "LDTT", award_year, numbers[award_year], decided, md)
                add(
                    pid,
                    "CSTDCS",
                    award_year,
                    numbers[award_year],
                    decided,
                    md,
                    "Hoàn thành xuất sắc nhiệm vụ, có sáng kiến được công nhận",
                )
        # a few Giấy khen of LĐLĐ huyện, a Bằng khen of the city federation, a Kỷ niệm chương
        others = [pid for pid in seats if pid not in stars]
        for pid in rng.sample(others, min(3, len(others))):
            add(pid, "GK", year - 1, "78/QĐ-LĐLĐ", dt.date(year - 1, 12, 22), md, "Thành tích xuất sắc năm")
        if others:
            add(
                rng.choice(others),
                "BK_LDLD",
                year,
                "250/QĐ-LĐLĐ",
                dt.date(year + 1, 2, 3),
                units.get("HN"),
                "Thành tích xuất sắc trong cải cách hành chính",
            )
        chair = next(iter(seats))  # the first member created is the chair of the CĐCS
        add(
            chair,
            "KNC_CD",
            year - 1,
            "1520/QĐ-TLĐ",
            dt.date(year - 1, 7, 25),
            units.get("VN"),
            "Đóng góp xây dựng tổ chức Công đoàn",
        )
        AwardRecord.objects.bulk_create(records)
        audit_record(
            actor=None,
            action="demo.load",
            obj=md,
            unit=md,
            summary=f"Nạp dữ liệu mẫu: {len(records)} khen thưởng trong sổ khen thưởng của “{md.name}”",
        )
    return len(records)


def _initiative_authors(*, ubnd, hn, year: int, seats: dict[int, int]) -> list[int]:
    """Authors (members of the CĐCS) of initiatives recognised at the city level; when the initiatives demo
    gave the CĐCS none, one of its recognised initiatives is raised to that level (decided by the city)."""

    def authors() -> list[int]:
        rows = InitiativeAuthor.objects.filter(
            initiative__unit__path__startswith=ubnd.path,
            initiative__status=Status.RECOGNIZED,
            initiative__recognition_level__in=[Level.TINH_BO, Level.TOAN_QUOC],
            person_id__in=list(seats),
        ).order_by("initiative_id", "position")
        return list(dict.fromkeys(rows.values_list("person_id", flat=True)))

    found = authors()
    if len(found) < 2 and hn is not None:
        for initiative in Initiative.objects.filter(
            unit__path__startswith=ubnd.path,
            status=Status.RECOGNIZED,
            recognition_level=Level.CO_SO,
            year=year,
        ).order_by("id")[:2]:
            initiative.recognition_level = Level.TINH_BO
            initiative.decision_unit = hn
            initiative.save(update_fields=["recognition_level", "decision_unit", "search_text"])
        found = authors()
    return found[:3]


def _star_evaluations(*, stars: list[int], years) -> None:
    """The demo stars completed their duties excellently in each year they were evaluated."""
    Evaluation.objects.filter(person_id__in=stars[:2], year__in=list(years)).update(
        rating="HTXS", months_worked=12, absent_days=0, discipline="", discipline_on=None
    )


def demo_part(demo) -> dict[str, int]:
    """Part of `load_demo` (see `demo/parts.py`)."""
    return {"awards": build_demo(rng=demo.rng, year=demo.year)}
