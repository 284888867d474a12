"""Award figures in the per-unit counters (the provider is registered with `core.metrics` and found by
`ReportsConfig.ready` through `autodiscover_modules("metrics")`), and the award keys the reports read.

Which unit an award counts for: its `AwardRecord.scope_unit` — the awarded collective itself, or the union
unit the person was a member of when the award was recorded (both services that write awards set it so).
Every record has exactly one scope unit, so rolling up any subtree counts each award once. Revoked
awards are left out; women are the individuals whose `Person.gender` is female.

The level of an award (Nhà nước / Tổng Liên đoàn / LĐLĐ tỉnh, CĐ ngành TW / LĐLĐ huyện, CĐ cấp trên cơ sở /
CĐCS) is decided ONCE here, by `award_level`: awards conferred by the State (`AwardType.conferred_by_state`)
are of the State level, the others of the level of the issuing unit's type.

Metric keys (UnitCounter.metric, at most 32 characters), subject suffix `tt` collectives, `cn`
individuals, `nu` women among the individuals:
- `aw_tt`, `aw_cn`, `aw_nu`: valid awards of the year;
- `awl_<LEVEL>_<s>`: the same by level;
- `awt_<LEVEL>_<CODE>_<s>`: by level and award type (`#<id>` instead of a code too long for the key).
The nominations' figures (`nom_*`) are in `nominations/metrics.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from core.metrics import Row, only, register
from members.choices import Gender

from .choices import RecordStatus
from .engine.catalogue import AWARD_NAMES
from .models import AwardRecord

SUBJECTS = ("tt", "cn", "nu")
SUBJECT_LABELS = {"tt": "Tập thể", "cn": "Cá nhân", "nu": "Trong đó nữ"}

# (code, title in the statistical form, short label in tables and charts, name in the news draft)
LEVELS: list[tuple[str, str, str]] = [
    ("NN", "Khen thưởng cấp Nhà nước", "Nhà nước"),
    ("TLD", "Khen thưởng cấp Tổng Liên đoàn Lao động Việt Nam", "Tổng Liên đoàn"),
    (
        "TINH",
        "Khen thưởng của LĐLĐ tỉnh, thành phố, công đoàn ngành Trung ương",
        "LĐLĐ tỉnh, CĐ ngành TW",
    ),
    (
        "HUYEN",
        "Khen thưởng của LĐLĐ quận, huyện, công đoàn cấp trên trực tiếp cơ sở",
        "LĐLĐ huyện, CĐ cấp trên cơ sở",
    ),
    ("CDCS", "Khen thưởng của công đoàn cơ sở", "Công đoàn cơ sở"),
]
LEVEL_CODES = [code for code, _, _ in LEVELS]
LEVEL_TITLES = {code: title for code, title, _ in LEVELS}
LEVEL_SHORT = {code: short for code, _, short in LEVELS}

# The level of the awards an issuing unit of each type confers (organizations.choices.UNIT_TYPES).
LEVEL_OF_UNIT_TYPE = {
    "TLD": "TLD",
    "LDLD_TINH": "TINH",
    "CD_NGANH": "TINH",
    "CD_VIEN_CHUC": "TINH",
    "LDLD_HUYEN": "HUYEN",
    "CD_CTTCS": "HUYEN",
    "CDCS": "CDCS",
    "CD_BO_PHAN": "CDCS",
    "TO_CD": "CDCS",
}


def award_level(*, by_state: bool, issuer_type: str | None, issuer_rank: int | None = None) -> str:
    """The level of an award: the State for awards the State confers, else the issuing unit's level
    (a unit type added later falls back on its rank: 0 Tổng LĐ, ≤ 20 province, ≤ 30 district)."""
    if by_state:
        return "NN"
    if issuer_type in LEVEL_OF_UNIT_TYPE:
        return LEVEL_OF_UNIT_TYPE[issuer_type]
    rank = issuer_rank or 0
    return "TLD" if rank == 0 else "TINH" if rank <= 20 else "HUYEN" if rank <= 30 else "CDCS"


def type_token(code: str, pk: int) -> str:
    """The award type's part of a metric key: its code, or `#id` when the code would make the key too long."""
    return code if len(code) <= 19 else f"#{pk}"


def total_key(subject: str) -> str:
    return f"aw_{subject}"


def level_key(level: str, subject: str) -> str:
    return f"awl_{level}_{subject}"


def type_key(level: str, token: str, subject: str) -> str:
    return f"awt_{level}_{token}_{subject}"


AWARD_TOTALS = tuple(total_key(s) for s in SUBJECTS)


def _labels() -> dict[str, str]:
    labels = {
        "aw_tt": "Tập thể được khen thưởng",
        "aw_cn": "Cá nhân được khen thưởng",
        "aw_nu": "Nữ được khen thưởng",
    }
    words = {"tt": "tập thể", "cn": "cá nhân", "nu": "cá nhân nữ"}
    for level, _, short in LEVELS:
        for s in SUBJECTS:
            labels[level_key(level, s)] = f"Khen thưởng cấp {short}: {words[s]}"
            for code, (name, _short) in AWARD_NAMES.items():
                labels[type_key(level, type_token(code, 0), s)] = f"{name} ({short}): {words[s]}"
    return labels


def awards(year: int, prefix: str, unit_ids=None) -> Iterable[Row]:
    """Valid awards of the year by scope unit, award type, level and subject (one grouped query)."""
    rows = (
        only(
            AwardRecord.objects.filter(
                year=year, status=RecordStatus.VALID, scope_unit__path__startswith=prefix
            ),
            "scope_unit_id",
            unit_ids,
        )
        .values(
            "scope_unit_id",
            "award_type_id",
            "award_type__code",
            "award_type__conferred_by_state",
            "issuing_unit__unit_type__code",
            "issuing_unit__unit_type__rank",
        )
        .annotate(
            tt=Count("id", filter=Q(unit__isnull=False)),
            cn=Count("id", filter=Q(person__isnull=False)),
            nu=Count("id", filter=Q(person__gender=Gender.FEMALE)),
        )
        .order_by()
    )
    for r in rows:
        unit_id = r["scope_unit_id"]
        level = award_level(
            by_state=r["award_type__conferred_by_state"],
            issuer_type=r["issuing_unit__unit_type__code"],
            issuer_rank=r["issuing_unit__unit_type__rank"],
        )
        token = type_token(r["award_type__code"], r["award_type_id"])
        for s in SUBJECTS:
            if r[s]:
                yield unit_id, total_key(s), r[s]
                yield unit_id, level_key(level, s), r[s]
                yield unit_id, type_key(level, token, s), r[s]


register(awards, _labels())
