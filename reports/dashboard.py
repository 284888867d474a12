"""The figures of a unit's dashboard, built once and used by the page, the charts, the .xlsx exports,
the year-end summary and the news draft: every figure comes from the counters, none is typed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from organizations.models import OrgUnit

from .metrics import LABELS, RATINGS
from .selectors import rollup_children, rollup_years

RATING_SHORT = {"HTXS": "HTXS", "HTT": "HTT", "HT": "HT", "KHT": "KHT"}
SUMMARY_METRICS = [
    "members",
    "members_female",
    "cdcs",
    "reg_persons",
    "reg_collectives",
    "initiatives_submitted",
    "initiatives",
    "eval_HTXS",
    "eval_HTT",
    "eval_HT",
    "eval_KHT",
    "reports_midyear",
    "reports_final",
    "movements",
    "clusters",
    "covenants",
    "cluster_units",
]


def percent(part, whole) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def vn_int(value) -> str:
    return f"{int(value):,}".replace(",", ".")


def vn_pct(value) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return vn_pct(value)
    if isinstance(value, int):
        return vn_int(value)
    return str(value)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    footer: list | None = None
    percent_columns: set[int] = field(default_factory=set)

    @property
    def display_rows(self) -> list[list[str]]:
        return [[display(v) for v in row] for row in self.rows]

    @property
    def display_footer(self) -> list[str] | None:
        return [display(v) for v in self.footer] if self.footer else None


def unit_label(unit: OrgUnit) -> str:
    return unit.short_name or unit.name


def _child_row(label: str, f: dict) -> list:
    members = f.get("members", 0)
    return [
        label,
        members,
        f.get("members_female", 0),
        percent(f.get("members_female", 0), members),
        f.get("reg_persons", 0),
        percent(f.get("reg_persons", 0), members),
        f.get("initiatives", 0),
        *[f.get(f"eval_{r}", 0) for r in RATINGS],
        f.get("reports_final", 0),
    ]


def build(*, unit: OrgUnit, year: int, user=None) -> dict:
    """Everything the dashboard shows: 3 queries (two years of totals, the children, their figures)."""
    totals = rollup_years(unit=unit, years=[year - 1, year])
    now, before = totals[year], totals[year - 1]
    children, own = rollup_children(unit=unit, year=year, user=user)

    def line(label, a, b, *, pct=False):
        change = None if a is None or b is None else round(b - a, 1) if pct else b - a
        return [label, a, b, change]

    summary = Table(
        "tong-hop",
        f"Tổng hợp số liệu năm {year} so với năm {year - 1}",
        ["Chỉ tiêu", f"Năm {year - 1}", f"Năm {year}", "Tăng (+), giảm (−)"],
    )
    for metric in ("members", "members_female"):
        summary.rows.append(line(LABELS[metric], before[metric], now[metric]))
    summary.rows.append(
        line(
            "Tỷ lệ nữ đoàn viên (%)",
            percent(before["members_female"], before["members"]),
            percent(now["members_female"], now["members"]),
            pct=True,
        )
    )
    summary.rows.append(line(LABELS["cdcs"], before["cdcs"], now["cdcs"]))
    summary.rows.append(line(LABELS["reg_persons"], before["reg_persons"], now["reg_persons"]))
    summary.rows.append(
        line(
            "Tỷ lệ đoàn viên đăng ký thi đua (%)",
            percent(before["reg_persons"], before["members"]),
            percent(now["reg_persons"], now["members"]),
            pct=True,
        )
    )
    for metric in (
        "reg_collectives",
        "initiatives_submitted",
        "initiatives",
        *[f"eval_{r}" for r in RATINGS],
        "reports_midyear",
        "reports_final",
        "clusters",
        "covenants",
    ):
        summary.rows.append(line(LABELS[metric], before[metric], now[metric]))

    by_child = Table(
        "don-vi",
        f"Số liệu năm {year} theo đơn vị trực thuộc",
        [
            "Đơn vị",
            "Đoàn viên",
            "Nữ",
            "Tỷ lệ nữ (%)",
            "Đăng ký thi đua",
            "Tỷ lệ đăng ký (%)",
            "Sáng kiến được công nhận",
            "HTXS",
            "HTT",
            "HT",
            "KHT",
            "Báo cáo tổng kết",
        ],
    )
    for child, figures in children:
        by_child.rows.append(_child_row(unit_label(child), figures))
    if any(
        own.get(m)
        for m in ("members", "reg_persons", "initiatives", "reports_final", *[f"eval_{r}" for r in RATINGS])
    ):
        by_child.rows.append(_child_row(f"Trực tiếp tại {unit_label(unit)}", own))
    by_child.footer = _child_row("Tổng cộng", now)

    rated = sum(now[f"eval_{r}"] for r in RATINGS)
    ratings = Table(
        "xep-loai",
        f"Xếp loại đoàn viên năm {year}",
        ["Xếp loại", "Số đoàn viên", "Tỷ lệ (%)"],
        rows=[[LABELS[f"eval_{r}"], now[f"eval_{r}"], percent(now[f"eval_{r}"], rated)] for r in RATINGS],
        footer=["Tổng số đoàn viên được xếp loại", rated, 100.0 if rated else None],
    )
    chart = {
        "children": {
            "labels": [unit_label(c) for c, _ in children],
            "members": [f.get("members", 0) for _, f in children],
            "registered": [f.get("reg_persons", 0) for _, f in children],
            "initiatives": [f.get("initiatives", 0) for _, f in children],
            "series": ["Đoàn viên", "Đăng ký thi đua", "Sáng kiến được công nhận"],
        },
        "ratings": {
            "labels": [LABELS[f"eval_{r}"] for r in RATINGS],
            "values": [now[f"eval_{r}"] for r in RATINGS],
        },
    }
    return {
        "unit": unit,
        "year": year,
        "now": now,
        "before": before,
        "children": children,
        "own": own,
        "rated": rated,
        "women_pct": percent(now["members_female"], now["members"]),
        "coverage_pct": percent(now["reg_persons"], now["members"]),
        "tables": {t.key: t for t in (summary, by_child, ratings)},
        "table_summary": summary,
        "table_children": by_child,
        "table_ratings": ratings,
        "chart": chart,
    }
