"""Past-award import benchmark: python bench/award_import.py [--rows 10000]

Generates an award-history .xlsx the way an office keeps it (xlsxwriter, as the roster bench: the issuing federation's name and
the list's title in merged rows, a header row, the "(1) (2) …" column-number row, an STT column), then
times
  1. reading it with `core.uploads.read_sheet` alone (the sandboxed read: the floor),
  2. the full import: read + rows to SourceRows + plan (every row matched to a member or a collective, the
     issuer, the award type) + commit (one transaction, bulk insert),
  3. the re-import of the same file (every row found in the registry and skipped),
and prints the ratio full / floor. SQLite (a fresh temporary file) by default; PostgreSQL when
DATABASE_URL is set (an empty database).

The rows read go through the framework's own reading, as on the screens and in `manage.py import_awards`:
`imports.command.read_table` (guard + sandbox), `imports.reading.find_header` / `guess_mapping` (core.tabular)
and `rows_to_sources` (noise rows, typed cells) — all timed in "read+map".
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
from django.db import connection, transaction  # noqa: E402

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân", "Sơn"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quốc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GROUPS = 20
HEADERS = [
    "STT",
    "Họ và tên / Tên tập thể",
    "Năm sinh",
    "Đơn vị công tác",
    "Danh hiệu / Hình thức khen thưởng",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp khen",
    "Năm",
    "Tóm tắt thành tích",
]
# (award as written, issuer as written, year, decision number) — one per row of a person, in turn
AWARDS = [
    ("LĐTT", "Công đoàn cơ sở bench", 2022, "15/QĐ-CĐCS"),
    ("CSTĐCS", "LĐLĐ huyện bench", 2023, "120/QĐ-LĐLĐ"),
    ("Giấy khen", "LĐLĐ huyện bench", 2024, "205/QĐ-LĐLĐ"),
]


def person_name(i: int) -> str:
    return f"{FAMILY[i % 8]} {MIDDLE[i % 7]} {GIVEN[i % 13]}"


def birth(i: int) -> dt.date:
    return dt.date(1965 + i % 40, 1 + i % 12, 1 + i % 28)


def make_file(path: Path, rows: int, people: int) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Khen thưởng")
    bold = workbook.add_format({"bold": True, "align": "center"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range(0, 0, 0, 3, "LIÊN ĐOÀN LAO ĐỘNG HUYỆN BENCH", bold)
    sheet.merge_range(1, 0, 1, 9, "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG CÁC NĂM 2022–2024", bold)
    for col, text in enumerate(HEADERS):
        sheet.write_string(3, col, text, bold)
    for col in range(len(HEADERS)):
        sheet.write_string(4, col, f"({col + 1})")
    for i in range(rows):
        r = i + 5
        person = i % people
        award, issuer, year, number = AWARDS[(i // people) % len(AWARDS)]
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, person_name(person))
        sheet.write_number(r, 2, birth(person).year)
        sheet.write_string(r, 3, f"Tổ CĐ số {person % GROUPS + 1}")
        sheet.write_string(r, 4, award)
        sheet.write_string(r, 5, number)
        sheet.write_datetime(r, 6, dt.datetime(year + 1, 1, 15), date)
        sheet.write_string(r, 7, issuer)
        sheet.write_number(r, 8, year)
        sheet.write_string(r, 9, "Hoàn thành xuất sắc nhiệm vụ")
    sheet.write_string(rows + 6, 7, "TM. BAN THƯỜNG VỤ")
    workbook.close()


def setup_tree(people: int):
    from accounts.models import RoleAssignment, User
    from accounts.roles import Role
    from members.models import Membership, Person
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    stamp = str(int(time.time()))

    def add(parent, code, name, type_code):
        fields = {
            "code": f"B{stamp}-{code}",
            "name": name,
            "unit_type": OrgUnitType.objects.get(code=type_code),
        }
        if parent is None:
            return OrgUnit.objects.add_root(create_kwargs=fields)
        parent.refresh_from_db()
        return OrgUnit.objects.add_child(parent, create_kwargs=fields)

    root = add(None, "TLD", f"Tổng Liên đoàn bench {stamp}", "TLD")
    province = add(root, "T", "Liên đoàn Lao động tỉnh bench", "LDLD_TINH")
    district = add(province, "H", "Liên đoàn Lao động huyện bench", "LDLD_HUYEN")
    grassroots = add(district, "CS", "Công đoàn cơ sở bench", "CDCS")
    groups = [add(grassroots, f"T{n:02d}", f"Tổ công đoàn số {n}", "TO_CD") for n in range(1, GROUPS + 1)]
    persons = []
    for i in range(people):
        words = person_name(i).split()
        person = Person(family_name=words[0], middle_name=words[1], given_name=words[2], gender="F")
        person.birth_date = birth(i)
        person.refresh_derived()
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(person=p, unit=groups[i % GROUPS], started_on=dt.date(2015, 1, 1))
            for i, p in enumerate(persons)
        ],
        batch_size=1000,
    )
    user = User.objects.create_user(username=f"bench{stamp}", password="bench-only", full_name="Bench")
    RoleAssignment.objects.create(
        user=user, role=Role.OFFICER, unit=district, include_subtree=True, valid_from=dt.date(2020, 1, 1)
    )
    district.refresh_from_db()
    return district, user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--profile", action="store_true", help="print the top functions (cProfile, by own time) of each run"
    )
    args = parser.parse_args()

    from core import uploads
    from imports import kinds, reading
    from imports.command import read_table
    from imports.kinds import Source

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    people = max(1, args.rows // len(AWARDS) + (1 if args.rows % len(AWARDS) else 0))
    unit, user = setup_tree(people)
    kind = kinds.get("khen-thuong")
    path = TMP / f"khen_thuong_{args.rows}.xlsx"
    started = time.perf_counter()
    make_file(path, args.rows, people)
    print(f"generated {args.rows} rows ({people} members) in {time.perf_counter() - started:.1f} s")

    def read() -> list[list]:
        dest = TMP / "rows.jsonl.gz"
        uploads.read_sheet(path, dest, filename=path.name)
        with open(dest, "rb") as handle:
            return uploads.load_rows(handle)

    started = time.perf_counter()
    read()
    floor = time.perf_counter() - started
    print(f"read_sheet alone (floor):        {floor:7.2f} s")

    def framework() -> list:
        table = read_table(path)
        header_row, header_rows = reading.find_header(kind, table["rows"], table["merged"])
        mapping = reading.guess_mapping(kind, table["rows"], table["merged"], header_row, header_rows)
        rows, _skipped = reading.rows_to_sources(
            kind, table["rows"], table["merged"], header_row, header_rows, mapping
        )
        return rows

    def timed() -> tuple[float, dict, dict]:
        begin = time.perf_counter()
        rows = framework()
        read_done = time.perf_counter()
        plans = kind.plan(rows, unit=unit, user=user, options={})
        planned = time.perf_counter()
        errors = [p for p in plans if p.outcome == "error"]
        if errors:
            raise SystemExit(f"{len(errors)} error rows, e.g. row {errors[0].number}: {errors[0].errors}")
        with transaction.atomic():
            summary = kind.commit(rows, unit=unit, user=user, options={}, source=Source(filename=path.name))
        end = time.perf_counter()
        stages = {"read+map": read_done - begin, "plan": planned - read_done, "commit": end - planned}
        return end - begin, summary, stages

    def run() -> tuple[float, dict, dict]:
        if not args.profile:
            return timed()
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            return timed()
        finally:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

    def show(label, total, summary, stages):
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
        counts = {k: v for k, v in summary.items() if k != "message"}
        print(f"{label} {total:7.2f} s  ({parts})  {counts}  ratio {total / floor:.1f}x")

    show("full import (new records):      ", *run())
    show("re-import (all in the registry):", *run())


if __name__ == "__main__":
    main()
