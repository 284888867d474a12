"""Roster import benchmark: python bench/roster_import.py [--rows 100000]

Generates a roster .xlsx (xlsxwriter), then times
  1. reading it with python-calamine alone (the floor),
  2. the full import: read + header detection + mapping + validation + one-transaction bulk commit,
  3. the re-import of the same file (every row matched, nothing changed),
and prints the ratio full / floor. SQLite (a fresh temporary file) by default; PostgreSQL when
DATABASE_URL is set (an empty database:
`psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"`).
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
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
from django.db import connection  # noqa: E402

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân", "Sơn"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quốc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GROUPS = 20


def make_file(path: Path, rows: int) -> None:
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
        sheet.write_string(r, 4, f"0{i % 90 + 10:02d}0{900000000 + i:09d}"[:12])
        sheet.write_string(r, 5, f"Tổ công đoàn số {i % GROUPS + 1}")
        sheet.write_string(r, 6, "Công nhân")
        sheet.write_string(r, 7, f"BX{i:08d}")
    workbook.close()


def setup_tree():
    from accounts.models import User
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    stamp = str(int(time.time()))
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
    parser.add_argument(
        "--profile", action="store_true", help="print the top functions (cProfile, by own time) of each run"
    )
    args = parser.parse_args()

    from members import roster
    from members.services import roster_import

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    unit, user = setup_tree()
    path = TMP / f"roster_{args.rows}.xlsx"
    started = time.perf_counter()
    make_file(path, args.rows)
    size = path.stat().st_size / 1e6
    print(f"generated {args.rows} rows in {time.perf_counter() - started:.1f} s ({size:.1f} MB)")

    started = time.perf_counter()
    roster.read_rows(path.read_bytes(), path.name)
    floor = time.perf_counter() - started
    print(f"calamine read alone (floor):      {floor:7.2f} s")

    def full() -> tuple[float, dict]:
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            try:
                return timed()
            finally:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return timed()

    def timed() -> tuple[float, dict]:
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

    first, summary = full()
    print(f"full import (new people):        {first:7.2f} s  {summary}  ratio {first / floor:.1f}x")
    second, summary = full()
    print(f"re-import (all matched):         {second:7.2f} s  {summary}  ratio {second / floor:.1f}x")
    print(f"rows/s: import {args.rows / first:,.0f}, re-import {args.rows / second:,.0f}")


if __name__ == "__main__":
    main()
