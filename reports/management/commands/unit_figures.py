"""python manage.py unit_figures UNIT_CODE [--year Y] [--json]

A unit's rolled-up figures for one year as its dashboard shows them — members, CĐCS, registrations,
initiatives, ratings, movements, clusters, awards (collectives, individuals, women) and awards by type —
read from the same counters by the same rollup (`reports.selectors.rollup`), for scripts and checks
(e.g. that a restructuring left a past year's figures as they were)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from core.filters import emulation_year
from core.numbers import fmt_int
from organizations.models import OrgUnit
from reports.dashboard import LABELS, SUMMARY_METRICS, awards_by_type
from reports.selectors import award_catalogue, rollup


class Command(BaseCommand):
    help = "Số liệu tổng hợp của một đơn vị trong một năm, như trang tổng hợp (theo mã đơn vị)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code")
        parser.add_argument("--year", type=int, help="năm (mặc định: năm thi đua hiện tại)")
        parser.add_argument("--json", action="store_true", help="in dạng JSON")

    def handle(self, *args, unit_code, year=None, **options):
        unit = OrgUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{unit_code}”.")
        year = year or emulation_year()
        if not 1900 <= year <= 2100:
            raise CommandError(f"Năm {year} không hợp lệ.")
        figures = rollup(unit=unit, year=year)
        summary = {metric: int(figures.get(metric, 0)) for metric in SUMMARY_METRICS}
        by_type = [
            {"code": t["code"], "name": t["name"], "collectives": v[0], "individuals": v[1], "women": v[2]}
            for t, v in awards_by_type(figures, award_catalogue())
            if any(v)
        ]
        if options.get("json"):
            payload = {
                "unit": unit.code,
                "name": unit.name,
                "year": year,
                "figures": summary,
                "awards_by_type": by_type,
            }
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(f"{unit.name} ({unit.code}) — năm {year}")
        for metric, value in summary.items():
            self.stdout.write(f"  {LABELS.get(metric, metric)}: {fmt_int(value)}")
        for row in by_type:
            self.stdout.write(
                f"  {row['name']}: {fmt_int(row['collectives'])} tập thể, {fmt_int(row['individuals'])} cá nhân"
            )


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=1)
