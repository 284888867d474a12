"""Rollup benchmark (PostgreSQL): python bench/rollup.py [--members 1000000] [--units 15000]

Builds a national-shaped tree in an EMPTY PostgreSQL database (DATABASE_URL required; migrations are
applied) with COPY: one Tổng LĐ, provinces, districts, grassroots unions (CĐCS) and union groups, about
`--units` units; `--members` people with one open membership each, a yearly movement with registrations
for ~90 % of them and a year-end evaluation for each. Then it
  1. rebuilds the per-unit counters for the year (reports.services.counters_rebuild),
  2. times the federation dashboard rollup — everything the dashboard computes (reports.dashboard.build:
     two years of subtree totals, the per-child figures, awards by sector, the award catalogue, and the
     tables built from them) — for the root and for a province,
  3. times the floor: reading exactly the counter rows the dashboard's figures need (issue 16) — the
     unit's pre-rolled totals (reports_unittotal) of the two years, its children's of the year and its
     own counters of the year, one raw SQL by their unique indexes — interleaved with the dashboard,
     round after round, and prints the ratio dashboard / floor (medians); the plain
     SELECT count(*) FROM members_membership and the raw subtree member count are printed for scale.

Then the dated tree (issue 15, `organizations.tree`): a past year must cost what the current year costs.
  4. adds the current year's movement (registrations, evaluations: the same shape as YEAR's) and rebuilds
     the counters of the current year NOW (timezone.localdate().year) and of NOW-1,
  5. the 2025 restructuring: dissolves every district (LDLD_HUYEN) of `--provinces` provinces (6: ~10 %
     of the districts) into its province (organizations.services.orgunit_dissolve, effective 01/07/NOW-1,
     by a superuser) and prints the time of the first dissolve (which also materialises the trees of the
     past years with counters, YEAR-1 and YEAR, and re-paths their counters) and of the next ones,
  6. VACUUM ANALYZE of the counters, then for the federation and for the first restructured province:
     the dashboard time of YEAR (a past year with its own tree) and of NOW (today's tree), with its ratio
     to its floor (step 3, for that unit and year), its query count (CaptureQueriesContext), the rows
     its floor reads, the number of own counter rows the by-sector table still scans (a COUNT with
     `_in_subtree`'s filter, years Y-1 and Y; `rollup_by_sector`) and EXPLAIN (ANALYZE, BUFFERS) of that
     scan: an index (only) scan on unitcounter_year_path for a province; for the federation, whose prefix
     keeps every counter row of the two years, the planner may take the (year, metric) index instead (a
     NOTE, with the plan it rejected: the same scan with bitmap and sequential scans off); a sequential
     scan is a PROBLEM. It asserts that YEAR costs no more queries than NOW and that the federation's and
     the province's figures of YEAR-1, YEAR, NOW-1 and NOW are those of before the restructuring.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench python bench/rollup.py --members 200000
    psql -h 127.0.0.1 -U postgres -c "DROP DATABASE thidua_bench"
"""

import argparse
import datetime as dt
import os
import random
import re
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Q, Sum  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Membership, Person  # noqa: E402
from movements.models import Evaluation, Movement, Registration  # noqa: E402
from organizations import tree  # noqa: E402
from organizations.models import OrgUnit, OrgUnitType, TreeYear  # noqa: E402
from organizations.reference import ensure_reference_data  # noqa: E402
from organizations.services import orgunit_dissolve  # noqa: E402
from reports.dashboard import build as dashboard_build  # noqa: E402
from reports.models import UnitCounter  # noqa: E402
from reports.selectors import _in_subtree, rollup_years  # noqa: E402
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
        [
            "id",
            "path",
            "depth",
            "numchild",
            "name",
            "short_name",
            "code",
            "unit_type",
            "area",
            "area_code",
            "search_text",
        ],
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
    add_movement(YEAR, seat_of, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"units": len(nodes), "members": members, "seconds": time.perf_counter() - t0, "seats": seat_of}


def add_movement(year: int, seat_of: list[int], rng: random.Random) -> None:
    """The yearly movement of `year`: registrations for ~90 % of the members, an evaluation for each."""
    now = timezone.now()
    movement = Movement.objects.create(
        organiser_id=1,
        name=f"Phong trào thi đua năm {year}",
        kind="YEARLY",
        year=year,
        status="LAUNCHED",
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
    )
    copy_rows(
        Registration,
        ["created_at", "updated_at", "movement", "person", "unit", "titles", "commitments"],
        (
            (now, now, movement.pk, i + 1, seat, '["LDTT"]', "")
            for i, seat in enumerate(seat_of)
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
        (
            (now, now, i + 1, year, seat, rng.choice(RATINGS), 12, 0, 0, "", "")
            for i, seat in enumerate(seat_of)
        ),
    )


def floor_of(unit: OrgUnit, year: int):
    """The floor of the dashboard of `unit` for `year`: one SQL reading exactly the rows its figures need
    (the pre-rolled totals of the unit for year-1 and year, of its children of the year's tree for year,
    and the unit's own counters of year) — the children listed once, outside the timing."""
    children = [c.pk for c, _ in tree.year_children(unit=fresh(unit), year=year)]
    sql = (
        "SELECT unit_id, year, metric, value FROM reports_unittotal"
        " WHERE (unit_id = %s AND year IN (%s, %s)) OR (year = %s AND unit_id = ANY(%s))"
        " UNION ALL SELECT unit_id, year, metric, value FROM reports_unitcounter WHERE unit_id = %s AND year = %s"
    )
    params = [unit.pk, year - 1, year, year, children, unit.pk, year]

    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    return run


def interleaved(fn, floor, runs: int) -> tuple[float, float]:
    """(median of fn, median of floor), timed alternately round after round (same load for both)."""
    fn(), floor()  # warm
    a, b = [], []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


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
    parser.add_argument("--provinces", type=int, default=6, help="provinces whose districts are dissolved")
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

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_unitcounter")
        cursor.execute("ANALYZE reports_unittotal")
    root = OrgUnit.objects.get(depth=1)
    province = OrgUnit.objects.filter(depth=2).order_by("path").first()

    def dashboard(unit):
        def run():
            dashboard_build(unit=unit, year=YEAR)

        return run

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM members_membership WHERE ended_on IS NULL")
            return cursor.fetchone()[0]

    def raw_subtree():
        return Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=root.path).count()

    t_count = timed(count_all, args.runs)
    t_raw = timed(raw_subtree, args.runs)
    total = rollup_years(unit=root, years=[YEAR])[YEAR]["members"]
    assert total == count_all() == args.members, (total, args.members)
    print(
        f"for scale: SELECT count(*) FROM members_membership WHERE ended_on IS NULL: {t_count * 1000:8.1f} ms"
    )
    print(f"for scale: raw subtree member count (join on unit path):                {t_raw * 1000:8.1f} ms")
    for label, unit in (("federation", root), ("one province", province)):
        floor = floor_of(unit, YEAR)
        t, t_floor = interleaved(dashboard(unit), floor, args.runs)
        print(
            f"dashboard, {label} (2 years + {unit.numchild} children): {t * 1000:8.1f} ms"
            f"  floor (the {floor():,} counter rows it needs) {t_floor * 1000:6.1f} ms  ratio {t / t_floor:.2f}"
        )
    dated_tree(args, built["seats"], rng)


def fresh(unit: OrgUnit) -> OrgUnit:
    """The unit without what a request remembers on it (`tree.unit_year_places`), as each request sees it."""
    unit.__dict__.pop("_year_places", None)
    return unit


def scan(unit: OrgUnit, year: int):
    """The range scan of the subtree's own counters (years year-1 and year, grouped by year, cut path and
    metric) — what the dashboard read before the pre-rolled totals; `rollup_by_sector` still reads this
    range (one year)."""
    years = [year - 1, year]
    places = tree.unit_year_places(fresh(unit), years)
    cut = len(places[year][0]) + unit.steplen
    rows = UnitCounter.objects.filter(_in_subtree(unit, years, places))
    grouped = (
        rows.annotate(prefix=Substr("path", 1, cut))
        .values("year", "prefix", "metric")
        .annotate(v=Sum("value"))
    )
    return rows, grouped.order_by()


def dated_tree(args, seat_of: list[int], rng: random.Random) -> None:
    """Steps 4-6 of the docstring: the current year's counters, the restructuring, a past year's cost."""
    now_year = tree.current_year()
    start = time.perf_counter()
    add_movement(now_year, seat_of, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"movement {now_year} (registrations, evaluations) added in {time.perf_counter() - start:.1f} s (COPY)"
    )
    for year in (now_year, now_year - 1):
        start = time.perf_counter()
        summary = counters_rebuild(year=year)
        print(
            f"counters_rebuild({year}): {summary['rows']:,} counter rows in {time.perf_counter() - start:.1f} s"
        )

    root = OrgUnit.objects.get(depth=1)
    provinces = list(OrgUnit.objects.filter(depth=2).order_by("path"))
    chosen = provinces[:: max(1, len(provinces) // max(1, args.provinces))][: args.provinces]
    province = chosen[0]
    years = [YEAR - 1, YEAR, now_year - 1, now_year]
    before = {u.pk: rollup_years(unit=fresh(u), years=years) for u in (root, province)}

    User = get_user_model()
    admin = User.objects.create_superuser(username="bench-admin", password=None, email="")
    on = dt.date(now_year - 1, 7, 1)
    districts = list(
        OrgUnit.objects.filter(depth=3, unit_type__code="LDLD_HUYEN")
        .filter(Q(*[Q(path__startswith=p.path) for p in chosen], _connector=Q.OR))
        .order_by("path")
    )
    total = OrgUnit.objects.count()
    all_districts = OrgUnit.objects.filter(depth=3, unit_type__code="LDLD_HUYEN").count()
    times = []
    for n, district in enumerate(districts, 1):
        parent = OrgUnit.objects.get(path=district.path[: -district.steplen])
        start = time.perf_counter()
        orgunit_dissolve(
            acting_user=admin,
            unit=district,
            successor=parent,
            on=on,
            document_number=f"{n}/QĐ-TLĐ",
            document_date=on - dt.timedelta(days=15),
        )
        times.append(time.perf_counter() - start)
    own_years = sorted(TreeYear.objects.values_list("year", flat=True))
    print(
        f"restructuring {on:%d/%m/%Y}: {len(districts)} districts of {len(chosen)} provinces dissolved "
        f"({len(districts) * 100 / max(1, all_districts):.0f} % of the {all_districts} districts, "
        f"{total:,} units); years with their own tree: {own_years}"
    )
    print(f"  first dissolve (materialises {own_years}, re-paths their counters): {times[0]:8.2f} s")
    if len(times) > 1:
        rest = times[1:]
        print(
            f"  next {len(rest)} dissolves: median {statistics.median(rest):.2f} s, max {max(rest):.2f} s, "
            f"total {sum(rest):.1f} s"
        )
    assert set(own_years) == {YEAR - 1, YEAR}, own_years

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_unitcounter")
        cursor.execute("VACUUM ANALYZE reports_unittotal")
    province = OrgUnit.objects.get(pk=province.pk)
    for unit in (root, province):
        after = rollup_years(unit=fresh(unit), years=years)
        for year in years:
            assert dict(after[year]) == dict(before[unit.pk][year]), (unit.path, year)
    assert before[root.pk][YEAR]["members"] == args.members, before[root.pk][YEAR]["members"]
    print(
        f"figures of {years} for the federation and the province unchanged by the restructuring "
        f"(members {YEAR}: {before[root.pk][YEAR]['members']:,})"
    )

    for label, unit in (
        ("federation", root),
        (f"restructured province ({province.numchild} children now)", province),
    ):
        print(f"{label}:")
        queries = {}
        for year, what in ((YEAR, "past year, own tree"), (now_year, "current year, today's tree")):
            reset_queries()  # the dissolves filled DEBUG's query log (9,000 kept): the count would read 0
            with CaptureQueriesContext(connection) as captured:
                dashboard_build(unit=fresh(unit), year=year)
            queries[year] = len(captured.captured_queries)
            assert queries[year] > 0, "no query captured"

            def run(unit=unit, year=year):
                dashboard_build(unit=fresh(unit), year=year)

            floor = floor_of(unit, year)
            t, t_floor = interleaved(run, floor, args.runs)
            rows, grouped = scan(unit, year)
            read = rows.count()
            children = sum(1 for _ in tree.year_children(unit=fresh(unit), year=year))
            print(
                f"  dashboard {year} ({what}, {children} children): {t * 1000:8.1f} ms"
                f"  floor {t_floor * 1000:6.1f} ms ({floor():,} rows)  ratio {t / t_floor:.2f}"
                f"  queries {queries[year]}  by-sector scan: {read:,} own counter rows"
            )
            plan = grouped.explain(analyze=True, buffers=True).splitlines()
            for line in plan[:14]:
                print(f"      {line}")
            text = "\n".join(plan)
            indexes = sorted(
                set(
                    re.findall(r"(?:Index Only Scan using|Index Scan using|Bitmap Index Scan on) (\w+)", text)
                )
            )
            if "Seq Scan on reports_unitcounter" in text:
                print("      PROBLEM: a sequential scan of the counters")
            elif "unitcounter_year_path" not in indexes:
                print(f"      NOTE: the counter scan uses {', '.join(indexes)}, not unitcounter_year_path")
                # the whole federation: the path prefix keeps every row of the years, so the planner may
                # prefer the (year, metric) index; the plan it rejected, on unitcounter_year_path:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_bitmapscan = off")
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    forced = grouped.explain(analyze=True, buffers=True).splitlines()
                print("      the same scan with enable_bitmapscan and enable_seqscan off:")
                for line in forced[:6] + [line for line in forced if "Execution Time" in line]:
                    print(f"        {line}")
        assert queries[YEAR] <= queries[now_year], queries


if __name__ == "__main__":
    main()
