"""Member search benchmark (issue 16): python bench/search.py [--rows 200000] [--rounds 5]

Fills a fresh database with `--rows` members (Vietnamese names from demo/names.py, one CĐCS each of
`--units`), then times, interleaved round by round, the first page of the member list as the view
reads it (`core.pagination.page_of` over `members.selectors.person_list`: capped count + 20 rows) for a
national user:
  - floor: the list without a search (ORDER BY sort_key LIMIT, read from its index),
  - search: the same list searched, through the index (`core.search`),
  - unindexed: the same search without the index — on PostgreSQL the same SQL with the trigram index
    dropped inside a transaction that is rolled back; on SQLite the former `search_text LIKE '%…%'`,
and prints the medians and the ratios search / floor and unindexed / search, per query.
SQLite (a fresh temporary file) by default; PostgreSQL when DATABASE_URL is set (an empty database:
`psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"`).
"""

import argparse
import datetime as dt
import os
import random
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

QUERIES = ["nguyen van an", "thi thu ha", "hoang duc", "khong co ai", "le"]  # the 4th: no one


def fill(rows: int, units: int) -> None:
    from accounts.models import User
    from core.text import fold, person_sort_key
    from demo import names
    from members import roster_db
    from members.models import Membership, Person
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    root = OrgUnit.objects.add_root(
        create_kwargs={
            "code": "B",
            "name": "Tổng Liên đoàn",
            "unit_type": OrgUnitType.objects.get(code="TLD"),
        }
    )
    cdcs = OrgUnitType.objects.get(code="CDCS")
    groups = [
        OrgUnit.objects.add_child(
            OrgUnit.objects.get(pk=root.pk),
            create_kwargs={"code": f"B{i}", "name": f"Công đoàn cơ sở {i}", "unit_type": cdcs},
        )
        for i in range(units)
    ]
    User.objects.create_superuser(username="bench", password="x", full_name="Trung ương")
    rng = random.Random(16)
    now = timezone.now()
    blank_person = {f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key}
    blank_member = {f.attname: f.get_default() for f in Membership._meta.concrete_fields if not f.primary_key}
    families, weights = zip(*names.FAMILY, strict=True)
    chunk = 20000
    for start in range(0, rows, chunk):
        people = []
        for _ in range(min(chunk, rows - start)):
            female = rng.random() < 0.5
            family = rng.choices(families, weights)[0]  # weighted as in the population
            middle = rng.choice(names.MIDDLE_FEMALE if female else names.MIDDLE_MALE)
            given = rng.choice(names.GIVEN_FEMALE if female else names.GIVEN_MALE)
            full = f"{family} {middle} {given}"
            people.append(
                {
                    **blank_person,
                    "family_name": family,
                    "middle_name": middle,
                    "given_name": given,
                    "full_name": full,
                    "gender": "F" if female else "M",
                    "citizen_id": None,
                    "search_text": fold(full),
                    "sort_key": person_sort_key(family_name=family, middle_name=middle, given_name=given),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with transaction.atomic():
            ids = roster_db.insert(Person, people)
            roster_db.insert(
                Membership,
                [
                    {
                        **blank_member,
                        "person_id": pk,
                        "unit_id": groups[pk % units].pk,
                        "union_role": "DOAN_VIEN",
                        "card_number": "",
                        "started_on": dt.date(2020, 1, 1),
                        "ended_on": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for pk in ids
                ],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def page_seconds(user, q: str, *, indexed: bool = True) -> tuple[float, int]:
    from core.pagination import page_of
    from members.models import Person
    from members.selectors import PersonFilters, person_list

    if not indexed and connection.vendor == "sqlite":  # the query before issue 16
        qs = person_list(user=user, filters=PersonFilters()).filter(search_text__contains=q)
    else:  # on PostgreSQL the unindexed query is the same SQL, run below with the index dropped
        qs = person_list(user=user, filters=PersonFilters(q=q))
    t0 = time.perf_counter()
    if not indexed and connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP INDEX "{Person._meta.db_table}_search_text_trgm"')
            t0 = time.perf_counter()
            page = page_of(qs, 1)
            seconds = time.perf_counter() - t0
            transaction.set_rollback(True)
        return seconds, page.paginator.count
    page = page_of(qs, 1)
    return time.perf_counter() - t0, page.paginator.count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    fill(args.rows, args.units)
    print(f"{connection.vendor}: {args.rows:,} members filled in {time.perf_counter() - t0:.1f} s")
    from accounts.models import User

    user = User.objects.get(username="bench")
    times: dict[tuple[str, str], list[float]] = {}
    found: dict[str, int] = {}
    for _ in range(args.rounds):
        times.setdefault(("", "floor"), []).append(page_seconds(user, "")[0])
        for q in QUERIES:
            seconds, found[q] = page_seconds(user, q)
            times.setdefault((q, "search"), []).append(seconds)
            if len(q) >= 3:
                times.setdefault((q, "unindexed"), []).append(page_seconds(user, q, indexed=False)[0])

    def ms(key):
        return statistics.median(times[key]) * 1000

    floor = ms(("", "floor"))
    print(f"floor (first page, no search): {floor:.2f} ms")
    for q in QUERIES:
        line = f"{q!r:16} found {found[q]:>5}{'+' if found[q] >= 1000 else ' '}  search {ms((q, 'search')):8.2f} ms"
        line += f"  search/floor {ms((q, 'search')) / floor:6.1f}"
        if (q, "unindexed") in times:
            line += f"  unindexed {ms((q, 'unindexed')):8.2f} ms  unindexed/search {ms((q, 'unindexed')) / ms((q, 'search')):6.1f}"
        print(line)


if __name__ == "__main__":
    main()
