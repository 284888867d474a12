"""The figures of movements, registrations, evaluations and progress reports in the per-unit counters
(registered with `core.metrics`, found by `ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef

from core.metrics import Row, only, register
from members.metrics import memberships_sitting

from .choices import MovementStatus
from .models import CollectiveEvaluation, Evaluation, Movement, ProgressReport, Registration

RATINGS = ("HTXS", "HTT", "HT", "KHT")


def movements(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Movements of the year each unit launched (drafts left out)."""
    rows = (
        only(Movement.objects.filter(year=year, organiser__path__startswith=prefix), "organiser_id", unit_ids)
        .exclude(status=MovementStatus.DRAFT)
        .values("organiser_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["organiser_id"], "movements", r["n"]


def registered_members(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """The members sitting in the unit on 31 December of the year (as `members.metrics.members` counts
    them) who registered in a movement of the year, so registration coverage never exceeds 100 %."""
    registered = Registration.objects.filter(person_id=OuterRef("person_id"), movement__year=year)
    rows = (
        memberships_sitting(year, prefix, unit_ids)
        .filter(Exists(registered))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], "reg_persons", r["n"]


def registrations(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """1 when the unit registered as a collective in a movement of the year."""
    ids = (
        only(
            Registration.objects.filter(
                movement__year=year, unit__path__startswith=prefix, person__isnull=True
            ),
            "unit_id",
            unit_ids,
        )
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in ids:
        yield unit_id, "reg_collectives", 1


def evaluations(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Year-end ratings of the members by unit and rating, and 1 for the rating of each collective."""
    rows = (
        only(Evaluation.objects.filter(year=year, unit__path__startswith=prefix), "unit_id", unit_ids)
        .values("unit_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], f"eval_{r['rating']}", r["n"]
    collective = only(
        CollectiveEvaluation.objects.filter(year=year, unit__path__startswith=prefix), "unit_id", unit_ids
    ).values_list("unit_id", "rating")
    for unit_id, rating in collective:
        yield unit_id, f"ceval_{rating}", 1


def reports(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Progress reports (sơ kết, tổng kết) sent by each unit for the movements of the year."""
    rows = (
        only(
            ProgressReport.objects.filter(movement__year=year, unit__path__startswith=prefix),
            "unit_id",
            unit_ids,
        )
        .values("unit_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], f"reports_{r['stage'].lower()}", r["n"]


register(movements, {"movements": "Phong trào thi đua phát động"})
register(registered_members, {"reg_persons": "Đoàn viên đã đăng ký thi đua"})
register(registrations, {"reg_collectives": "Tập thể đăng ký thi đua"})
register(
    evaluations,
    {
        "eval_HTXS": "Hoàn thành xuất sắc nhiệm vụ",
        "eval_HTT": "Hoàn thành tốt nhiệm vụ",
        "eval_HT": "Hoàn thành nhiệm vụ",
        "eval_KHT": "Không hoàn thành nhiệm vụ",
        "ceval_HTXS": "Tập thể hoàn thành xuất sắc nhiệm vụ",
        "ceval_HTT": "Tập thể hoàn thành tốt nhiệm vụ",
        "ceval_HT": "Tập thể hoàn thành nhiệm vụ",
        "ceval_KHT": "Tập thể không hoàn thành nhiệm vụ",
    },
)
register(reports, {"reports_midyear": "Báo cáo sơ kết đã gửi", "reports_final": "Báo cáo tổng kết đã gửi"})
