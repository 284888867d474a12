"""The emulation clusters' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from core.metrics import Row, only, register

from .models import Cluster, ClusterMember


def clusters(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """The clusters of the year each unit organises, the covenants signed in them, and 1 for each unit
    taking part in a cluster of the year."""
    rows = (
        only(Cluster.objects.filter(year=year, organiser__path__startswith=prefix), "organiser_id", unit_ids)
        .values("organiser_id")
        .annotate(n=Count("id"), signed=Count("covenant"))
        .order_by()
    )
    for r in rows:
        yield r["organiser_id"], "clusters", r["n"]
        if r["signed"]:
            yield r["organiser_id"], "covenants", r["signed"]
    in_cluster = (
        only(ClusterMember.objects.filter(year=year, unit__path__startswith=prefix), "unit_id", unit_ids)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in in_cluster:
        yield unit_id, "cluster_units", 1


register(
    clusters,
    {
        "clusters": "Cụm, khối thi đua",
        "covenants": "Giao ước thi đua đã ký",
        "cluster_units": "Đơn vị tham gia cụm, khối",
    },
)
