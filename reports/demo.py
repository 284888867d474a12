"""Demo hook (the last part of `load_demo`, `demo_part` below, after the other apps' content): the 2024
year-end awards of LĐLĐ huyện Mỹ Đức, then a rebuild of the counters of every year from two years before the demo year to the
current one (`counter_years`: 2022–2026, for the year-over-year figures), so dashboards, the statistical form and the summaries show figures right after
`load_demo`.

The commendations demo gives the district's award registry a history (mostly Lao động tiên tiến of 2022
and 2023) but only a handful of awards for 2024. The year-end review of 2024 (the district news of the
seed: "trao thưởng cho 45 tập thể và 22 cá nhân") is added here: Giấy khen and Tập thể lao động tiên
tiến of the district, Bằng khen of the city federation and of the Tổng Liên đoàn, Giấy khen of a
grassroots union — for the demo's own units and members (no new people). Idempotent: nothing is added
when the district's year-end decision is already in the registry.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from .models import UnitCounter
from .services import counters_rebuild

DEMO_ORDER = 90  # last: counts what the parts before it created
DEMO_LABELS = {"counters": "số liệu tổng hợp"}

YEAR_END_DECISION = "112/QĐ-LĐLĐ"


def build_demo(*, rng: random.Random | None = None, year: int = 2024) -> int:
    """Adds the year-end awards when missing, then always rebuilds the counters (cheap, follows the
    data); returns the counter rows created only when the years had no counters before, so a second
    `load_demo` still reports that nothing changed."""
    build_demo_awards(year=year)
    years = counter_years(year)
    existed = UnitCounter.objects.filter(year__in=years).exists()
    rows = sum(counters_rebuild(year=y)["rows"] for y in years)
    return 0 if existed else rows


def counter_years(year: int) -> list[int]:
    """Every year the demo has data for, up to the current one (2022–2026 in 2026), so each dashboard
    year and its "so với năm trước" column are built."""
    return list(range(year - 2, max(year + 2, timezone.localdate().year) + 1))


@transaction.atomic
def build_demo_awards(*, year: int = 2024) -> int:
    """The district's year-end awards of `year` (see the module docstring); returns the records added."""
    from commendations.models import AwardRecord, AwardType
    from commendations.reference import ensure_catalogue
    from members.models import Membership
    from organizations.models import OrgUnit

    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["VN", "HN", "HN-MD", "HN-MD-UBND"])}
    md, hn, vn, ubnd = (units.get(code) for code in ("HN-MD", "HN", "VN", "HN-MD-UBND"))
    if md is None or hn is None or vn is None:
        return 0
    if AwardRecord.objects.filter(issuing_unit=md, year=year, decision_number=YEAR_END_DECISION).exists():
        return 0
    ensure_catalogue()
    types = {t.code: t for t in AwardType.objects.filter(code__in=["GK", "TTLDTT", "BK_LDLD", "BK_TLD"])}
    rng = random.Random(f"thidua-awards-{year}")  # its own seed: the same awards whatever ran before
    end = dt.date(year, 12, 31)
    # the district's units as they stood on 31 December (the demo dissolves it on 01/07/2025)
    collectives = list(  # in the order they were built (a grassroots union, then its union groups)
        OrgUnit.objects.filter(pk__in=_below_on(md, end)).select_related("unit_type").order_by("pk")
    )
    if not collectives:
        return 0
    grassroots = [u for u in collectives if u.unit_type.is_grassroots]
    # members sitting in the district on 31 December, not yet awarded anything for the year
    awarded = set(
        AwardRecord.objects.filter(year=year, person__isnull=False).values_list("person_id", flat=True)
    )
    seats = [
        (pid, unit_id)
        for pid, unit_id in Membership.objects.filter(
            unit__in=[md, *collectives], started_on__lte=end, ended_on__isnull=True
        )
        .order_by("person_id")
        .values_list("person_id", "unit_id")
        if pid not in awarded
    ]
    seats = list(dict(seats).items())  # one seat per person
    rng.shuffle(seats)
    records: list[AwardRecord] = []

    def add(code, issuer, number, on, *, unit=None, seat=None, summary=""):
        if code not in types:
            return
        records.append(
            AwardRecord(
                unit=unit,
                person_id=seat[0] if seat else None,
                scope_unit_id=unit.pk if unit is not None else seat[1],
                award_type=types[code],
                year=year,
                decision_number=number,
                decision_date=on,
                issuing_unit=issuer,
                achievement_id=f"TK{year}-{code}-{unit.pk if unit is not None else seat[0]}",
                achievement_summary=summary,
            )
        )

    review = dt.date(year + 1, 1, 10)
    district_summary = f"Có thành tích xuất sắc trong hoạt động công đoàn và phong trào thi đua năm {year}"
    # Giấy khen of the district: every collective (grassroots unions and their union groups), 10 people
    for unit in collectives:
        add("GK", md, YEAR_END_DECISION, review, unit=unit, summary=district_summary)
    for seat in seats[:10]:
        add("GK", md, YEAR_END_DECISION, review, seat=seat, summary=district_summary)
    # Tập thể lao động tiên tiến: the grassroots unions and about half of the union groups
    groups = [u for u in collectives if not u.unit_type.is_grassroots]
    for unit in grassroots + rng.sample(groups, len(groups) // 2):
        add("TTLDTT", md, "113/QĐ-LĐLĐ", review, unit=unit, summary="Hoàn thành tốt nhiệm vụ năm")
    # Bằng khen of the city federation and of the Tổng Liên đoàn
    leaders = rng.sample(grassroots, min(3, len(grassroots)))
    for unit in leaders[:2]:
        add("BK_LDLD", hn, "95/QĐ-LĐLĐ", dt.date(year + 1, 1, 6), unit=unit, summary=district_summary)
    for seat in seats[10:12]:
        add("BK_LDLD", hn, "95/QĐ-LĐLĐ", dt.date(year + 1, 1, 6), seat=seat, summary=district_summary)
    if leaders:
        add("BK_TLD", vn, "210/QĐ-TLĐ", dt.date(year + 1, 1, 3), unit=leaders[-1], summary=district_summary)
    for seat in seats[12:13]:
        add("BK_TLD", vn, "210/QĐ-TLĐ", dt.date(year + 1, 1, 3), seat=seat, summary=district_summary)
    # Giấy khen of the grassroots union of the district's people's committee to its own members
    if ubnd is not None:
        own = [s for s in seats[13:] if s[1] in {u.pk for u in collectives if u.path.startswith(ubnd.path)}]
        for seat in own[:4]:
            add("GK", ubnd, "05/QĐ-CĐCS", dt.date(year + 1, 1, 8), seat=seat, summary="Đoàn viên tiêu biểu")
    AwardRecord.objects.bulk_create(records)
    return len(records)


def _below_on(unit, day: dt.date) -> list[int]:
    """The ids of the units under `unit` (at any depth) in the tree of `day`."""
    from organizations.tree import parents_on

    children: dict[int | None, list[int]] = {}
    for pk, parent in parents_on(day).items():
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit.pk]
    while todo:
        below = children.get(todo.pop(), [])
        found.extend(below)
        todo.extend(below)
    return found


def demo_part(demo) -> dict[str, int]:
    """Part of `load_demo` (see `demo/parts.py`)."""
    return {"counters": build_demo(rng=demo.rng, year=demo.year)}
