"""Roster import benchmark: python bench/roster_import.py [--rows 100000]

Generates a roster .xlsx (xlsxwriter), then, in each of `--rounds` rounds (a new grassroots union each),
interleaved:
  1. the read floor: reading the file with python-calamine alone,
  2. the full import: read + header detection + mapping + validation + one-transaction bulk commit,
  3. the write floor: the very rows the import wrote — persons, memberships and their two history
     tables, read back — written again with raw COPY (PostgreSQL; batched INSERTs on SQLite) into the
     same four indexed tables, inside a transaction that deletes them first and is rolled back after,
  4. the re-import of the same file (every row matched, nothing changed);
and prints the medians and the ratio of the full import to the sum of the two floors (read + write).
SQLite (a fresh temporary file) by default; PostgreSQL when DATABASE_URL is set (an empty database:
`psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"`).
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: no per-query logging
os.environ.setdefault("THIDUA_MEDIA_ROOT", str(TMP / "media"))

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân", "Sơn"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quốc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GROUPS = 20


def make_file(path: Path, rows: int, offset: int = 0) -> None:
    """`rows` people; `offset` gives other citizen IDs and card numbers (another round's file)."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "DANH SÁCH ĐOÀN VIÊN (bench)")
    headers = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Tổ công đoàn", "Chức vụ", "Số thẻ"]
    for col, text in enumerate(headers):
        sheet.write_string(2, col, text)
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for i in range(rows):
        r = i + 3
        birth = dt.datetime(1965 + i % 40, 1 + i % 12, 1 + i % 28)
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, f"{FAMILY[i % 8]} {MIDDLE[i % 7]} {GIVEN[i % 13]}")
        if i % 2:
            sheet.write_datetime(r, 2, birth, date)
        else:
            sheet.write_string(r, 2, birth.strftime("%d/%m/%Y"))
        sheet.write_string(r, 3, "Nam" if i % 2 else "Nữ")
        sheet.write_string(r, 4, f"0{i % 90 + 10:02d}{offset % 10}{900000000 + i:09d}"[:12])
        sheet.write_string(r, 5, f"Tổ công đoàn số {i % GROUPS + 1}")
        sheet.write_string(r, 6, "Công nhân")
        sheet.write_string(r, 7, f"BX{offset}-{i:08d}")
    workbook.close()


def write_floor(before: dict) -> float:
    """Seconds to COPY again the rows the import wrote (ids past `before`) into the same tables."""
    from demo.dataset import Rows

    tables = []
    for model, first in before.items():
        names = [f.name for f in model._meta.concrete_fields]
        rows = list(model.objects.filter(pk__gt=first).order_by("pk").values_list(*names))
        tables.append((model, names, rows))
    with transaction.atomic():
        point = transaction.savepoint()
        for model, _, _ in reversed(tables):  # history tables, memberships, then persons
            model.objects.filter(pk__gt=before[model])._raw_delete(connection.alias)
        started = time.perf_counter()
        for model, names, rows in tables:
            Rows(model, names).write(rows)
        seconds = time.perf_counter() - started
        transaction.savepoint_rollback(point)
    return seconds


def last_ids() -> dict:
    from members.models import Membership, Person

    models = [Person, Membership, Person.history.model, Membership.history.model]
    return {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in models}


SERIAL = iter(range(1, 1000))


def setup_tree():
    from accounts.models import User
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    stamp = f"{int(time.time())}-{next(SERIAL)}"
    cdcs = OrgUnitType.objects.get(code="CDCS")
    root = OrgUnit.objects.add_root(
        create_kwargs={"code": f"BENCH-{stamp}", "name": f"Công đoàn bench {stamp}", "unit_type": cdcs}
    )
    to_cd = OrgUnitType.objects.get(code="TO_CD")
    for n in range(1, GROUPS + 1):
        root.refresh_from_db()
        fields = {"code": f"BENCH-{stamp}-{n:02d}", "name": f"Tổ công đoàn số {n}", "unit_type": to_cd}
        OrgUnit.objects.add_child(root, create_kwargs=fields)
    root.refresh_from_db()
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        username="bench", password="bench-only", full_name="Bench"
    )
    return root, user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profile", action="store_true", help="print the top functions (cProfile, by own time) of each run"
    )
    args = parser.parse_args()

    from members import roster
    from members.services import roster_import

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    files = []
    for round_number in range(args.rounds):  # each round imports other people
        files.append(TMP / f"roster_{args.rows}_{round_number}.xlsx")
        make_file(files[-1], args.rows, offset=round_number)
    size = files[0].stat().st_size / 1e6
    print(
        f"generated {args.rounds} × {args.rows} rows in {time.perf_counter() - started:.1f} s ({size:.1f} MB each)"
    )

    def full(path, unit, user) -> tuple[float, dict]:
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            try:
                return timed(path, unit, user)
            finally:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return timed(path, unit, user)

    def timed(path, unit, user) -> tuple[float, dict]:
        begin = time.perf_counter()
        data = roster.read_rows(path.read_bytes(), path.name)
        header = roster.detect_header(data)
        summary = roster_import(
            acting_user=user,
            unit=unit,
            rows=data,
            header_row=header,
            mapping=roster.guess_mapping(data[header]),
        )
        return time.perf_counter() - begin, summary

    reads, writes, imports, reimports = [], [], [], []
    for round_number, path in enumerate(files, start=1):
        unit, user = setup_tree()
        started = time.perf_counter()
        roster.read_rows(path.read_bytes(), path.name)
        reads.append(time.perf_counter() - started)
        before = last_ids()
        seconds, summary = full(path, unit, user)
        imports.append(seconds)
        writes.append(write_floor(before))
        seconds, again = full(path, unit, user)
        reimports.append(seconds)
        print(
            f"  round {round_number}: read {reads[-1]:.2f} s, import {imports[-1]:.2f} s {summary}, "
            f"COPY {writes[-1]:.2f} s, re-import {reimports[-1]:.2f} s {again}"
        )
    read, write = statistics.median(reads), statistics.median(writes)
    first, second = statistics.median(imports), statistics.median(reimports)
    print(f"calamine read alone (floor 1):   {read:7.2f} s")
    print(f"raw COPY of the same rows into the 4 indexed tables (floor 2): {write:7.2f} s")
    print(f"re-import (all matched):         {second:7.2f} s  ratio {second / read:.1f}x to the read floor")
    print(f"rows/s: import {args.rows / first:,.0f}, re-import {args.rows / second:,.0f}")
    print(
        f"full import (new people):        {first:7.2f} s  ({first / read:.1f}x the read floor, "
        f"{first / write:.1f}x the COPY floor)  ratio {first / (read + write):.1f}x"
    )


if __name__ == "__main__":
    main()
