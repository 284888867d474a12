"""Demo content for movements (a part of `load_demo`, `demo_part` below): LĐLĐ huyện Mỹ Đức's 2024
yearly movement and the "Giỏi việc nước, đảm việc nhà" campaign, registrations, year-end evaluations and
progress reports. Idempotent: nothing is created when the 2024 yearly movement of Mỹ Đức already exists."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from members.choices import Gender
from members.models import Membership
from organizations.models import OrgUnit

from . import services
from .choices import Audience, Discipline, MilestoneKind, MovementKind, Rating
from .models import Evaluation, Movement, ProgressFigure, ProgressReport, Registration

DEMO_ORDER = 10  # the first part: the others build on its movements and evaluations
DEMO_LABELS = {"movements": "phong trào", "registrations": "đăng ký thi đua", "evaluations": "lượt xếp loại"}

YEARLY_NAME = "Phong trào thi đua “Lao động giỏi, Lao động sáng tạo” năm 2024"
WOMEN_NAME = "Phong trào thi đua “Giỏi việc nước, đảm việc nhà” năm 2024"
TARGETS = [
    ("Tỷ lệ đoàn viên đăng ký thi đua", "%", 100),
    ("Số sáng kiến, cải tiến được công nhận", "sáng kiến", 40),
    ("Tỷ lệ CĐCS đạt vững mạnh", "%", 85),
    ("Số đoàn viên mới kết nạp", "người", 150),
]


@transaction.atomic
def build_demo(*, rng: random.Random, officer) -> dict[str, int]:
    my_duc = OrgUnit.objects.get(code="HN-MD")
    if Movement.objects.filter(organiser=my_duc, name=YEARLY_NAME).exists():
        return {"movements": 0, "registrations": 0, "evaluations": 0}
    yearly = services.movement_create(
        acting_user=officer,
        organiser=my_duc,
        name=YEARLY_NAME,
        kind=MovementKind.YEARLY,
        year=2024,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        description="Đẩy mạnh phong trào thi đua yêu nước trong công nhân, viên chức, lao động huyện Mỹ Đức; "
        "gắn với chủ đề năm 2024 của Tổng Liên đoàn và thành phố Hà Nội.",
        targets=[{"name": n, "unit_of_measure": u, "target_value": Decimal(v)} for n, u, v in TARGETS],
        milestones={
            MilestoneKind.LAUNCH: dt.date(2024, 2, 20),
            MilestoneKind.MIDYEAR: dt.date(2024, 7, 10),
            MilestoneKind.FINAL: dt.date(2024, 12, 20),
        },
    )
    services.movement_launch(acting_user=officer, movement=yearly, launched_on=dt.date(2024, 2, 20))
    women = services.movement_create(
        acting_user=officer,
        organiser=my_duc,
        name=WOMEN_NAME,
        kind=MovementKind.CAMPAIGN,
        year=2024,
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2024, 12, 31),
        audience=Audience.WOMEN,
        description="Phát huy vai trò nữ đoàn viên, xây dựng gia đình no ấm, bình đẳng, tiến bộ, hạnh phúc.",
        targets=[{"name": "Tỷ lệ nữ đoàn viên đăng ký", "unit_of_measure": "%", "target_value": Decimal(90)}],
        milestones={MilestoneKind.LAUNCH: dt.date(2024, 3, 8)},
    )
    services.movement_launch(acting_user=officer, movement=women, launched_on=dt.date(2024, 3, 8))

    memberships = list(
        Membership.objects.filter(unit__path__startswith=my_duc.path, ended_on__isnull=True).select_related(
            "person", "unit"
        )
    )
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    registrations = []
    for m in memberships:
        in_ubnd = m.unit.path.startswith(ubnd.path)  # "100% cán bộ đã đăng ký" at the UBND union
        if in_ubnd or rng.random() < 0.9:
            titles = ["LDTT"] + (["CSTDCS"] if rng.random() < 0.18 else [])
            registrations.append(
                Registration(
                    movement=yearly,
                    person=m.person,
                    unit=m.unit,
                    titles=titles,
                    commitments="Hoàn thành tốt nhiệm vụ được giao",
                    registered_by=officer,
                )
            )
        if m.person.gender == Gender.FEMALE and rng.random() < 0.85:
            registrations.append(
                Registration(
                    movement=women, person=m.person, unit=m.unit, titles=["GVNDVN"], registered_by=officer
                )
            )
    Registration.objects.bulk_create(registrations)
    cdcs_list = list(
        OrgUnit.objects.filter(path__startswith=my_duc.path, unit_type__code="CDCS").order_by("path")
    )
    Registration.objects.bulk_create(
        [
            Registration(
                movement=yearly,
                unit=u,
                titles=["TTLDXS" if rng.random() < 0.4 else "TTLDTT"],
                registered_by=officer,
            )
            for u in cdcs_list
        ]
    )
    reports = 0
    targets = list(yearly.targets.all())
    for unit in cdcs_list:
        for stage in ("MIDYEAR", "FINAL"):
            report = ProgressReport.objects.create(
                movement=yearly,
                unit=unit,
                stage=stage,
                submitted_by=officer,
                narrative="Các chỉ tiêu cơ bản hoàn thành theo kế hoạch.",
            )
            factor = Decimal("0.5") if stage == "MIDYEAR" else Decimal(1)
            ProgressFigure.objects.bulk_create(
                [
                    ProgressFigure(report=report, target=targets[0], value=Decimal(rng.randint(92, 100))),
                    ProgressFigure(
                        report=report,
                        target=targets[1],
                        value=(Decimal(rng.randint(2, 9)) * factor).quantize(1),
                    ),
                    ProgressFigure(
                        report=report, target=targets[2], value=Decimal(rng.choice([80, 90, 100]))
                    ),
                    ProgressFigure(
                        report=report,
                        target=targets[3],
                        value=(Decimal(rng.randint(5, 30)) * factor).quantize(1),
                    ),
                ]
            )
            reports += 1
    services.movement_close(acting_user=officer, movement=yearly, closed_on=dt.date(2024, 12, 20))
    audit_record(
        actor=officer,
        action="demo.load",
        obj=yearly,
        unit=my_duc,
        summary=f"Nạp dữ liệu mẫu: {len(registrations)} đăng ký, {reports} báo cáo cho phong trào năm 2024",
    )
    return {"movements": 2, "registrations": len(registrations), "evaluations": 0}


RATING_WEIGHTS = [(Rating.HTXS, 15), (Rating.HTT, 64), (Rating.HT, 18), (Rating.KHT, 3)]


@transaction.atomic
def build_demo_evaluations(
    *, rng: random.Random, officer, years=(2024,), root_code: str = "VN", skip_codes=()
) -> int:
    """Year-end evaluations for every current member under `root_code` (but those under `skip_codes`),
    for each year not yet rated."""
    root = OrgUnit.objects.get(code=root_code)
    found = Membership.objects.filter(unit__path__startswith=root.path, ended_on__isnull=True)
    for skipped in OrgUnit.objects.filter(code__in=skip_codes):
        found = found.exclude(unit__path__startswith=skipped.path)
    memberships = list(found.select_related("person"))
    created = 0
    for year in years:
        done = set(
            Evaluation.objects.filter(year=year, person__in=[m.person_id for m in memberships]).values_list(
                "person_id", flat=True
            )
        )
        rows = []
        for m in memberships:
            if m.person_id in done or m.started_on.year > year:
                continue
            rating = rng.choices([r for r, _ in RATING_WEIGHTS], weights=[w for _, w in RATING_WEIGHTS])[0]
            maternity = rng.choice([0] * 30 + [180]) if m.person.gender == Gender.FEMALE else 0
            discipline = Discipline.KHIEN_TRACH if rating == Rating.KHT and rng.random() < 0.3 else ""
            rows.append(
                Evaluation(
                    person_id=m.person_id,
                    year=year,
                    unit_id=m.unit_id,
                    rating=rating,
                    evaluated_by=officer,
                    months_worked=12 if rng.random() > 0.02 else rng.randint(6, 11),
                    absent_days=rng.choice([0] * 12 + [2, 3, 5, 8, 12, 45]),
                    maternity_days=maternity,
                    discipline=discipline,
                    discipline_on=dt.date(year, rng.randint(1, 12), 10) if discipline else None,
                )
            )
        Evaluation.objects.bulk_create(rows, batch_size=2000)
        created += len(rows)
    return created


def demo_part(demo) -> dict[str, int]:
    """Part of `load_demo`: the movements and registrations, the 2024 evaluations of everyone and those
    of 2022, 2023 and 2025 in LĐLĐ huyện Mỹ Đức (entered by its officer, demo account canbo.myduc)."""
    officer = User.objects.get(username="canbo.myduc")
    result = build_demo(rng=demo.rng, officer=officer)
    # the two provinces the demo adds for 2025 (demo.builder.provinces_2025) draw from their own generator
    added = ("HNA", "ND")
    result["evaluations"] = build_demo_evaluations(
        rng=demo.rng, officer=officer, years=(2024,), skip_codes=added
    )
    for code in added:
        if OrgUnit.objects.filter(code=code).exists():
            result["evaluations"] += build_demo_evaluations(
                rng=random.Random(f"thidua-demo-2025-{code}"), officer=officer, years=(2024,), root_code=code
            )
    result["evaluations"] += build_demo_evaluations(
        rng=demo.rng, officer=officer, years=(2022, 2023, 2025), root_code="HN-MD"
    )
    return result
