"""The figures kept per unit and year, and how each is computed from the raw tables.

A provider is a function `(year, prefix) -> iterable of (unit_id, metric, value)` computing a few
metrics for every unit whose path starts with `prefix`, in one grouped query. Other apps add providers
with `register(...)` (nominations and awards will add theirs), so counters, rollups and exports pick
them up without changes here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Count, Exists, OuterRef, Q

Row = tuple[int, str, int]
Provider = Callable[[int, str], Iterable[Row]]

RATINGS = ("HTXS", "HTT", "HT", "KHT")

LABELS: dict[str, str] = {
    "members": "Đoàn viên",
    "members_female": "Nữ đoàn viên",
    "cdcs": "Công đoàn cơ sở",
    "movements": "Phong trào thi đua phát động",
    "reg_persons": "Đoàn viên đã đăng ký thi đua",
    "reg_collectives": "Tập thể đăng ký thi đua",
    "initiatives_submitted": "Sáng kiến đăng ký, tham gia",
    "initiatives": "Sáng kiến được công nhận",
    "eval_HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "eval_HTT": "Hoàn thành tốt nhiệm vụ",
    "eval_HT": "Hoàn thành nhiệm vụ",
    "eval_KHT": "Không hoàn thành nhiệm vụ",
    "ceval_HTXS": "Tập thể hoàn thành xuất sắc nhiệm vụ",
    "ceval_HTT": "Tập thể hoàn thành tốt nhiệm vụ",
    "ceval_HT": "Tập thể hoàn thành nhiệm vụ",
    "ceval_KHT": "Tập thể không hoàn thành nhiệm vụ",
    "reports_midyear": "Báo cáo sơ kết đã gửi",
    "reports_final": "Báo cáo tổng kết đã gửi",
    "clusters": "Cụm, khối thi đua",
    "covenants": "Giao ước thi đua đã ký",
    "cluster_units": "Đơn vị tham gia cụm, khối",
}

_PROVIDERS: list[Provider] = []


def register(provider: Provider, labels: dict[str, str] | None = None) -> Provider:
    _PROVIDERS.append(provider)
    LABELS.update(labels or {})
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@register
def members(year: int, prefix: str) -> Iterable[Row]:
    """Members sitting in the unit on 31 December of the year, the women among them, and those of them
    registered in a movement of the year (so registration coverage never exceeds 100 %)."""
    from members.choices import Gender
    from members.models import Membership
    from movements.models import Registration

    _, end = year_bounds(year)
    registered = Registration.objects.filter(person_id=OuterRef("person_id"), movement__year=year)
    rows = (
        Membership.objects.filter(unit__path__startswith=prefix, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .values("unit_id")
        .annotate(
            n=Count("id"),
            f=Count("id", filter=Q(person__gender=Gender.FEMALE)),
            r=Count("id", filter=Q(Exists(registered))),
        )
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], "members", r["n"]
        yield r["unit_id"], "members_female", r["f"]
        yield r["unit_id"], "reg_persons", r["r"]


@register
def units(year: int, prefix: str) -> Iterable[Row]:
    """1 for each grassroots union in existence during the year."""
    from organizations.models import OrgUnit

    start, end = year_bounds(year)
    ids = (
        OrgUnit.objects.filter(path__startswith=prefix, unit_type__is_grassroots=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("id", flat=True)
    )
    for unit_id in ids:
        yield unit_id, "cdcs", 1


@register
def movements(year: int, prefix: str) -> Iterable[Row]:
    from movements.choices import MovementStatus
    from movements.models import Movement

    rows = (
        Movement.objects.filter(year=year, organiser__path__startswith=prefix)
        .exclude(status=MovementStatus.DRAFT)
        .values("organiser_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["organiser_id"], "movements", r["n"]


@register
def registrations(year: int, prefix: str) -> Iterable[Row]:
    """1 when the unit registered as a collective in a movement of the year."""
    from movements.models import Registration

    ids = (
        Registration.objects.filter(movement__year=year, unit__path__startswith=prefix, person__isnull=True)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in ids:
        yield unit_id, "reg_collectives", 1


@register
def initiatives(year: int, prefix: str) -> Iterable[Row]:
    from initiatives.choices import Status
    from initiatives.models import Initiative

    rows = (
        Initiative.objects.filter(year=year, unit__path__startswith=prefix)
        .exclude(status=Status.DRAFT)
        .values("unit_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(status=Status.RECOGNIZED)))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], "initiatives_submitted", r["n"]
        if r["ok"]:
            yield r["unit_id"], "initiatives", r["ok"]


@register
def evaluations(year: int, prefix: str) -> Iterable[Row]:
    from movements.models import CollectiveEvaluation, Evaluation

    rows = (
        Evaluation.objects.filter(year=year, unit__path__startswith=prefix)
        .values("unit_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], f"eval_{r['rating']}", r["n"]
    collective = CollectiveEvaluation.objects.filter(year=year, unit__path__startswith=prefix).values_list(
        "unit_id", "rating"
    )
    for unit_id, rating in collective:
        yield unit_id, f"ceval_{rating}", 1


@register
def reports(year: int, prefix: str) -> Iterable[Row]:
    from movements.models import ProgressReport

    rows = (
        ProgressReport.objects.filter(movement__year=year, unit__path__startswith=prefix)
        .values("unit_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["unit_id"], f"reports_{r['stage'].lower()}", r["n"]


@register
def clusters(year: int, prefix: str) -> Iterable[Row]:
    from clusters.models import Cluster, ClusterMember

    rows = (
        Cluster.objects.filter(year=year, organiser__path__startswith=prefix)
        .values("organiser_id")
        .annotate(n=Count("id"), signed=Count("covenant"))
        .order_by()
    )
    for r in rows:
        yield r["organiser_id"], "clusters", r["n"]
        if r["signed"]:
            yield r["organiser_id"], "covenants", r["signed"]
    in_cluster = (
        ClusterMember.objects.filter(year=year, unit__path__startswith=prefix)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in in_cluster:
        yield unit_id, "cluster_units", 1
