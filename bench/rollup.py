"""Rollup benchmark (PostgreSQL): python bench/rollup.py [--members 1000000] [--units 15000]

Builds a national-shaped tree in an EMPTY PostgreSQL database (DATABASE_URL required; migrations are
applied) with COPY: one Tổng LĐ, provinces, districts, grassroots unions (CĐCS) and union groups, about
`--units` units; `--members` people with one open membership each, a yearly movement with registrations
for ~90 % of them and a year-end evaluation for each. Then it
  1. rebuilds the per-unit counters for the year (reports.services.counters_rebuild),
  2. times the federation dashboard rollup — everything the dashboard computes (reports.dashboard.build:
     two years of subtree totals, the per-child figures, awards by sector, the award catalogue, and the
     tables built from them) — for the root and for a province,
  3. times the floor: one plain aggregate over the member table,
       SELECT count(*) FROM members_membership WHERE ended_on IS NULL
and prints the ratio rollup / floor (median of several runs each).

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench python bench/rollup.py --members 200000
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must point to an empty PostgreSQL database (see the docstring).")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Membership, Person  # noqa: E402
from movements.models import Evaluation, Movement, Registration  # noqa: E402
from organizations.models import OrgUnit, OrgUnitType  # noqa: E402
from organizations.reference import ensure_reference_data  # noqa: E402
from reports.dashboard import build as dashboard_build  # noqa: E402
from reports.selectors import rollup_years  # noqa: E402
from reports.services import counters_rebuild  # noqa: E402

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
YEAR = 2024
RATINGS = ["HTXS"] * 15 + ["HTT"] * 64 + ["HT"] * 18 + ["KHT"] * 3


def segment(i: int) -> str:
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = ALPHABET[r] + out
        if not i:
            break
    return out.rjust(4, "0")


def plan_tree(units: int, rng: random.Random) -> list[tuple[str, int, str]]:
    """[(path, depth, type code)] in path order: 1 root, 63 provinces, ~700 districts, CĐCS, groups."""
    provinces = 63
    districts = max(provinces, min(705, units // 20))
    remaining = max(units - 1 - provinces - districts, districts)
    cdcs = max(districts, int(remaining * 0.65))
    groups = max(remaining - cdcs, 0)
    nodes = [("0001", 1, "TLD")]
    district_paths, cdcs_paths = [], []
    for p in range(provinces):
        ppath = "0001" + segment(p + 1)
        nodes.append((ppath, 2, "LDLD_TINH"))
        for d in range(districts // provinces + (1 if p < districts % provinces else 0)):
            dpath = ppath + segment(d + 1)
            nodes.append((dpath, 3, "LDLD_HUYEN"))
            district_paths.append(dpath)
    per_district = [0] * len(district_paths)
    for i in range(cdcs):
        per_district[
            i % len(district_paths) if i < len(district_paths) else rng.randrange(len(district_paths))
        ] += 1
    for dpath, n in zip(district_paths, per_district, strict=True):
        for c in range(n):
            cpath = dpath + segment(c + 1)
            nodes.append((cpath, 4, "CDCS"))
            cdcs_paths.append(cpath)
    per_cdcs: dict[str, int] = {}
    for _ in range(groups):
        path = rng.choice(cdcs_paths)
        per_cdcs[path] = per_cdcs.get(path, 0) + 1
    for cpath, n in per_cdcs.items():
        for g in range(n):
            nodes.append((cpath + segment(g + 1), 5, "TO_CD"))
    nodes.sort()
    return nodes


def copy_rows(model, fields: list[str], rows) -> int:
    columns = [model._meta.get_field(f).column for f in fields]
    n = 0
    connection.ensure_connection()
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def reset_sequence(model) -> None:
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def build(members: int, units: int, rng: random.Random) -> dict:
    ensure_reference_data()
    types = {t.code: t.pk for t in OrgUnitType.objects.all()}
    nodes = plan_tree(units, rng)
    children = {}
    for path, depth, _ in nodes:
        if depth > 1:
            children[path[:-4]] = children.get(path[:-4], 0) + 1
    t0 = time.perf_counter()
    copy_rows(
        OrgUnit,
        ["id", "path", "depth", "numchild", "name", "short_name", "code", "unit_type", "area", "search_text"],
        (
            (
                i + 1,
                path,
                depth,
                children.get(path, 0),
                f"Đơn vị {path}",
                "",
                f"B{path}",
                types[code],
                "",
                f"don vi {path}".lower(),
            )
            for i, (path, depth, code) in enumerate(nodes)
        ),
    )
    reset_sequence(OrgUnit)
    seats = [i + 1 for i, (_, _, code) in enumerate(nodes) if code in ("CDCS", "TO_CD")]
    now = timezone.now()
    copy_rows(
        Person,
        [
            "id",
            "created_at",
            "updated_at",
            "family_name",
            "middle_name",
            "given_name",
            "full_name",
            "gender",
            "phone",
            "email",
            "search_text",
            "sort_key",
        ],
        (
            (
                i + 1,
                now,
                now,
                "Nguyễn",
                "Văn",
                f"A{i}",
                f"Nguyễn Văn A{i}",
                "F" if i % 5 < 3 else "M",
                "",
                "",
                f"nguyen van a{i}",
                f"a{i}",
            )
            for i in range(members)
        ),
    )
    reset_sequence(Person)
    seat_of = [rng.choice(seats) for _ in range(members)]
    copy_rows(
        Membership,
        [
            "id",
            "created_at",
            "updated_at",
            "person",
            "unit",
            "union_role",
            "job_title",
            "work_mode",
            "card_number",
            "started_on",
            "end_reason",
        ],
        (
            (i + 1, now, now, i + 1, seat_of[i], "DOAN_VIEN", "", "NONE", "", dt.date(2015 + i % 9, 1, 1), "")
            for i in range(members)
        ),
    )
    reset_sequence(Membership)
    movement = Movement.objects.create(
        organiser_id=1,
        name=f"Phong trào thi đua năm {YEAR}",
        kind="YEARLY",
        year=YEAR,
        status="LAUNCHED",
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 12, 31),
    )
    copy_rows(
        Registration,
        ["created_at", "updated_at", "movement", "person", "unit", "titles", "commitments"],
        (
            (now, now, movement.pk, i + 1, seat_of[i], '["LDTT"]', "")
            for i in range(members)
            if rng.random() < 0.9
        ),
    )
    copy_rows(
        Evaluation,
        [
            "created_at",
            "updated_at",
            "person",
            "year",
            "unit",
            "rating",
            "months_worked",
            "absent_days",
            "maternity_days",
            "discipline",
            "note",
        ],
        ((now, now, i + 1, YEAR, seat_of[i], rng.choice(RATINGS), 12, 0, 0, "", "") for i in range(members)),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"units": len(nodes), "members": members, "seconds": time.perf_counter() - t0}


def timed(fn, runs: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if OrgUnit.objects.exists():
        sys.exit("The database is not empty: use a fresh database (see the docstring).")
    rng = random.Random(2024)
    built = build(args.members, args.units, rng)
    print(f"built {built['units']:,} units, {built['members']:,} members in {built['seconds']:.1f} s (COPY)")

    start = time.perf_counter()
    summary = counters_rebuild(year=YEAR)
    counters_rebuild(year=YEAR - 1)
    print(
        f"counters_rebuild({YEAR}): {summary['rows']:,} counter rows in {time.perf_counter() - start:.1f} s"
    )

    root = OrgUnit.objects.get(depth=1)
    province = OrgUnit.objects.filter(depth=2).order_by("path").first()

    def dashboard(unit):
        def run():
            dashboard_build(unit=unit, year=YEAR)

        return run

    def floor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM members_membership WHERE ended_on IS NULL")
            return cursor.fetchone()[0]

    def raw_subtree():
        return Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=root.path).count()

    t_floor = timed(floor, args.runs)
    t_root = timed(dashboard(root), args.runs)
    t_province = timed(dashboard(province), args.runs)
    t_raw = timed(raw_subtree, args.runs)
    total = rollup_years(unit=root, years=[YEAR])[YEAR]["members"]
    assert total == floor() == args.members, (total, args.members)
    print(f"floor  SELECT count(*) FROM members_membership WHERE ended_on IS NULL: {t_floor * 1000:8.1f} ms")
    print(f"raw subtree member count (join on unit path):                    {t_raw * 1000:8.1f} ms")
    print(
        f"dashboard rollup, federation (2 years + {root.numchild} children):           {t_root * 1000:8.1f} ms  ratio {t_root / t_floor:.2f}"
    )
    print(
        f"dashboard rollup, one province ({province.numchild} children):                {t_province * 1000:8.1f} ms  ratio {t_province / t_floor:.2f}"
    )


if __name__ == "__main__":
    main()
