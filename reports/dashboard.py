"""The figures of a unit's dashboard, built once and used by the page, the charts, the .xlsx exports,
the year-end summary and the news draft: every figure comes from the counters, none is typed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from commendations.metrics import (
    AWARD_TOTALS,
    LEVEL_CODES,
    LEVEL_SHORT,
    LEVELS,
    SUBJECTS,
    level_key,
    type_key,
)
from core.metrics import labels
from core.numbers import fmt_int
from movements.metrics import RATINGS
from nominations.metrics import NOMINATION_METRICS
from organizations.models import OrgUnit

from .selectors import award_catalogue, rollup_by_sector, rollup_tree

LABELS = labels()  # {metric: label}, a live view of what the apps' `metrics` modules registered
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
    *AWARD_TOTALS,
    *NOMINATION_METRICS,
]
AWARD_HEADERS = ["Tập thể", "Cá nhân", "Trong đó nữ"]
NO_SECTOR = "Chưa xác định khối"


def percent(part, whole) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def vn_int(value) -> str:
    return fmt_int(int(value))


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


def awards_by_type(figures: dict, catalogue: list[dict]) -> list[tuple[dict, list[int]]]:
    """[(award type, [collectives, individuals, women])...] summed over the levels, in catalogue order."""
    result = []
    for t in catalogue:
        values = [sum(figures.get(type_key(lv, t["token"], s), 0) for lv in LEVEL_CODES) for s in SUBJECTS]
        result.append((t, values))
    return result


def award_values(figures: dict, keys) -> list[int]:
    return [figures.get(k, 0) for k in keys]


def _nomination_row(label: str, f: dict) -> list:
    return [label, *award_values(f, NOMINATION_METRICS)]


def award_tables(*, unit: OrgUnit, year: int, now: dict, children, own: dict) -> dict:
    """The award and nomination tables and chart data (2 queries: the catalogue, the sector rollup)."""
    catalogue = award_catalogue()
    totals = award_values(now, AWARD_TOTALS)
    by_type = Table(
        "khen-thuong-hinh-thuc",
        f"Khen thưởng theo hình thức năm {year}",
        ["Hình thức khen thưởng", *AWARD_HEADERS],
        rows=[[t["name"], *values] for t, values in awards_by_type(now, catalogue) if any(values)],
        footer=["Tổng cộng", *totals],
    )
    by_level = Table(
        "khen-thuong-cap",
        f"Khen thưởng theo cấp năm {year}",
        ["Cấp khen thưởng", *AWARD_HEADERS],
        rows=[[LEVEL_SHORT[lv], *[now.get(level_key(lv, s), 0) for s in SUBJECTS]] for lv in LEVEL_CODES],
        footer=["Tổng cộng", *totals],
    )
    by_sector = Table(
        "khen-thuong-khoi",
        f"Khen thưởng theo khối năm {year}",
        ["Khối", *AWARD_HEADERS],
        footer=["Tổng cộng", *totals],
    )
    for _, name, figures in rollup_by_sector(unit=unit, year=year, metrics=AWARD_TOTALS):
        values = award_values(figures, AWARD_TOTALS)
        if any(values):
            by_sector.rows.append([name or NO_SECTOR, *values])
    proposals = Table(
        "de-nghi",
        f"Đề nghị khen thưởng năm {year}",
        [
            "Đơn vị đề nghị",
            "Hồ sơ đã gửi",
            "Cá nhân đề nghị",
            "Tập thể đề nghị",
            "Cá nhân được khen",
            "Tập thể được khen",
        ],
        rows=[
            _nomination_row(unit_label(c), f)
            for c, f in children
            if any(f.get(m) for m in NOMINATION_METRICS)
        ],
        footer=_nomination_row("Tổng cộng", now),
    )
    if any(own.get(m) for m in NOMINATION_METRICS):
        proposals.rows.append(_nomination_row(f"Trực tiếp tại {unit_label(unit)}", own))
    chart_rows = [(t["label"], values) for t, values in awards_by_type(now, catalogue) if any(values)]
    chart = {
        "labels": [label for label, _ in chart_rows],
        "collective": [values[0] for _, values in chart_rows],
        "individual": [values[1] for _, values in chart_rows],
        "women": [values[2] for _, values in chart_rows],
        "series": AWARD_HEADERS,
    }
    return {
        "catalogue": catalogue,
        "tables": [by_type, by_level, by_sector, proposals],
        "chart": chart,
    }


def build(*, unit: OrgUnit, year: int, user=None) -> dict:
    """Everything the dashboard shows: 4 queries (the children, one scan of the subtree's counters for
    two years of totals and the children's figures, the award catalogue, the awards by sector)."""
    totals, children, own = rollup_tree(unit=unit, years=[year - 1, year], year=year, user=user)
    now, before = totals[year], totals[year - 1]

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
        *AWARD_TOTALS,
        "nom_dossiers",
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
    awards = award_tables(unit=unit, year=year, now=now, children=children, own=own)
    chart = {
        "awards": awards["chart"],
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
        "tables": {t.key: t for t in (summary, by_child, ratings, *awards["tables"])},
        "table_summary": summary,
        "table_children": by_child,
        "table_ratings": ratings,
        "table_award_types": awards["tables"][0],
        "table_award_levels": awards["tables"][1],
        "table_award_sectors": awards["tables"][2],
        "table_nominations": awards["tables"][3],
        "award_catalogue": awards["catalogue"],
        "award_totals": dict(zip(SUBJECTS, award_values(now, AWARD_TOTALS), strict=True)),
        "chart": chart,
    }


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
NOT_APPLICABLE = "x"


@dataclass
class FormLine:
    """A line of the statistical form: kind `total`, `group` (a level, with its subtotal) or `item`."""

    kind: str
    number: str
    label: str
    collective: int | str
    individual: int | str
    women: int | str
    note: str = ""

    @property
    def total(self) -> int:
        return sum(v for v in (self.collective, self.individual) if isinstance(v, int))


def award_form_lines(figures: dict, catalogue: list[dict]) -> list[FormLine]:
    """Biểu số 02/TĐKT: the total, then for each level its subtotal and one line per form of commendation
    the level may confer (or has figures for), from the rolled-up counters only. Cells of a subject the
    form does not apply to hold "x" (unless figures exist there)."""
    from commendations.choices import AwardSubject

    lines = [FormLine("total", "", "Tổng số", *award_values(figures, AWARD_TOTALS))]
    for index, (level, title, _) in enumerate(LEVELS):
        group = FormLine(
            "group",
            ROMAN[index],
            title,
            *[figures.get(level_key(level, s), 0) for s in SUBJECTS],
            note="Tổng Liên đoàn đề nghị, Nhà nước quyết định" if level == "NN" else "",
        )
        lines.append(group)
        number = 0
        for t in catalogue:
            values = [figures.get(type_key(level, t["token"], s), 0) for s in SUBJECTS]
            if level not in t["levels"] and not any(values):
                continue
            if not t["active"] and not any(values):
                continue
            number += 1
            cells: list[int | str] = list(values)
            if t["subject"] == AwardSubject.INDIVIDUAL and not values[0]:
                cells[0] = NOT_APPLICABLE
            if t["subject"] == AwardSubject.COLLECTIVE and not values[1] and not values[2]:
                cells[1] = cells[2] = NOT_APPLICABLE
            lines.append(FormLine("item", str(number), t["name"], *cells))
    return lines


def award_form(*, unit: OrgUnit, year: int) -> dict:
    """Everything the statistical form shows (4 queries: the figures, the catalogue and its conferring
    unit types, the ancestors for the receiving unit and the place)."""
    from django.utils import timezone

    from documents.numbering import nd30_date, place_name
    from documents.plans import heading_parts

    from .selectors import rollup

    figures = rollup(unit=unit, year=year)
    catalogue = award_catalogue(with_levels=True)
    parent, _, ancestors = heading_parts(unit)
    return {
        "unit": unit,
        "year": year,
        "reporting_unit": unit.name,
        "receiving_unit": parent.name if parent else "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)",
        "lines": award_form_lines(figures, catalogue),
        "place_date": f"{place_name(unit, ancestors)}, {nd30_date(timezone.localdate())}",
    }
