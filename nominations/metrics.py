"""The nominations' figures in the per-unit counters (registered with `core.metrics`, found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`).

- `nom_dossiers`: dossiers of the year submitted by the unit (not withdrawn), `nom_cn`/`nom_tt` the
  individuals/collectives they propose, `nom_ok_cn`/`nom_ok_tt` those of them accepted (awarded).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from core.metrics import Row, only, register

from .choices import DossierState, ItemStatus
from .models import Dossier

NOMINATION_METRICS = ("nom_dossiers", "nom_cn", "nom_tt", "nom_ok_cn", "nom_ok_tt")


def nominations(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Dossiers of the year submitted by each proposing unit (withdrawn ones left out), the individuals
    and collectives they propose and those accepted (one grouped query)."""
    person, unit = Q(items__person__isnull=False), Q(items__unit__isnull=False)
    ok = Q(items__status=ItemStatus.ACCEPTED)
    rows = (
        only(
            Dossier.objects.filter(
                year=year, proposing_unit__path__startswith=prefix, submitted_at__isnull=False
            ),
            "proposing_unit_id",
            unit_ids,
        )
        .exclude(state__in=[DossierState.DRAFT, DossierState.RECALLED])
        .values("proposing_unit_id")
        .annotate(
            nom_dossiers=Count("id", distinct=True),
            nom_cn=Count("items", filter=person),
            nom_tt=Count("items", filter=unit),
            nom_ok_cn=Count("items", filter=person & ok),
            nom_ok_tt=Count("items", filter=unit & ok),
        )
        .order_by()
    )
    for r in rows:
        for metric in NOMINATION_METRICS:
            if r[metric]:
                yield r["proposing_unit_id"], metric, r[metric]


register(
    nominations,
    {
        "nom_dossiers": "Hồ sơ đề nghị khen thưởng đã gửi",
        "nom_cn": "Cá nhân được đề nghị khen thưởng",
        "nom_tt": "Tập thể được đề nghị khen thưởng",
        "nom_ok_cn": "Cá nhân được khen thưởng theo đề nghị",
        "nom_ok_tt": "Tập thể được khen thưởng theo đề nghị",
    },
)
