"""Eligibility benchmark through the real path: python bench/eligibility.py [--n 5000] [--rounds 7]

The unit eligibility page and the whole-unit job ("Đánh giá toàn đơn vị") load the histories of a set of
people from the database (`commendations.selectors.person_histories`: five ORM queries) and run the engine
on them (`commendations.eligibility.member_verdicts`). This benchmark stores N synthetic members in one
CĐCS (seeded RNG, realistic proportions: ratings, registrations, initiatives, discipline, awards), then,
in chunks of `commendations.builders.CHUNK` people as the job reads them, measures CPU time
(`time.process_time`, this process only) of
- the real path: `person_histories` of the chunk, then the engine's verdict for every individual award
  type the page and job judge (`eligibility._award_types("person")`) — reported per verdict;
- the floor: the same rows read with plain SQL (one cursor query per source, no ORM: evaluations,
  registrations, recognised initiatives, awards, memberships) and the same `PersonHistory` objects built
  from them — what any implementation must at least do to have the engine's inputs.
Floor and real path alternate in each round (the order flips every round), so machine noise reaches both;
it prints each round's times and ratio, then the median ratio and the median µs per verdict.

SQLite (a fresh temporary file, in process: its CPU is counted) by default; PostgreSQL when DATABASE_URL
is set (an EMPTY database; the server's CPU is then not in process_time, for either side):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE thidua_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench python bench/eligibility.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: no per-query logging

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

YEAR = 2024
YEARS = range(2015, YEAR + 1)
RATINGS = ("HTXS", "HTT", "HT", "KHT")
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân", "Sơn"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quốc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]


# ------------------------------------------------------------------------------------------------ data
def raw_person(rng: random.Random) -> dict:
    """One member's history as plain data."""
    skill = rng.random()  # a person's steady level, so that good years come in runs
    weights = (0.05 + 0.4 * skill, 0.55, 0.3 - 0.25 * skill, 0.05)
    hired = rng.choice(YEARS) if rng.random() < 0.25 else 2010
    out = {"years": [], "initiatives": [], "awards": []}
    for year in YEARS:
        if year < hired:
            continue
        rating = rng.choices(RATINGS, weights)[0]
        months = 12 - rng.randint(0, 11) if year == hired else 12
        leave = 130 if rng.random() < 0.03 else 0
        discipline = ""
        if rng.random() < 0.015:
            discipline = "KHIEN_TRACH" if rng.random() < 0.7 else "CANH_CAO"
        registered = rng.random() < 0.9
        out["years"].append(
            (year, rating, months, int(rng.expovariate(1 / 6)), leave, discipline, registered)
        )
        if rng.random() < 0.3 * (0.5 + skill):
            scope = rng.choices(("CO_SO", "TINH_BO", "TOAN_QUOC"), (0.8, 0.17, 0.03))[0]
            on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            out["initiatives"].append((on, scope, rng.randint(0, 2) * 50_000_000))
        if rating in ("HTXS", "HTT") and registered and year < YEAR:
            out["awards"].append(("LDTT", year))
            if out["initiatives"] and out["initiatives"][-1][0].year == year and rng.random() < 0.8:
                out["awards"].append(("CSTDCS", year))
    return out


def populate(n: int, seed: int):
    """N members of one CĐCS with their histories, by bulk inserts. Returns the CĐCS."""
    from commendations.models import AwardRecord, AwardType
    from core.text import fold, person_sort_key
    from initiatives.models import Initiative, InitiativeAuthor
    from members.models import Membership, Person
    from movements.models import Evaluation, Movement, Registration
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    rng = random.Random(seed)
    root = OrgUnit.objects.add_root(
        create_kwargs={
            "code": "BENCH",
            "name": "Liên đoàn Lao động bench",
            "unit_type": OrgUnitType.objects.get(code="LDLD_TINH"),
        }
    )
    unit = OrgUnit.objects.add_child(
        root,
        create_kwargs={
            "code": "BENCH-CS",
            "name": "Công đoàn bench",
            "unit_type": OrgUnitType.objects.get(code="CDCS"),
        },
    )
    movements = {
        y: Movement.objects.create(
            organiser=root,
            name=f"Phong trào {y}",
            kind="YEARLY",
            year=y,
            start_date=dt.date(y, 1, 1),
            end_date=dt.date(y, 12, 31),
        )
        for y in YEARS
    }
    types = {a.code: a for a in AwardType.objects.filter(code__in=["LDTT", "CSTDCS"])}
    people = []
    for i in range(n):
        family, middle, given = FAMILY[i % 8], MIDDLE[(i // 8) % 7], f"{GIVEN[i % 13]} {i}"
        people.append(
            Person(
                family_name=family,
                middle_name=middle,
                given_name=given,
                gender="M" if i % 2 else "F",
                full_name=f"{family} {middle} {given}",
                search_text=fold(f"{family} {middle} {given}"),
                sort_key=person_sort_key(family_name=family, middle_name=middle, given_name=given),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    memberships, evaluations, registrations, authors, awards, initiatives = [], [], [], [], [], []
    for person in people:
        raw = raw_person(rng)
        memberships.append(
            Membership(person=person, unit=unit, started_on=dt.date(2010, 1, 1), job_title="Chuyên viên")
        )
        for year, rating, months, sick, leave, discipline, registered in raw["years"]:
            evaluations.append(
                Evaluation(
                    person=person,
                    unit=unit,
                    year=year,
                    rating=rating,
                    months_worked=months,
                    absent_days=sick,
                    maternity_days=leave,
                    discipline=discipline,
                    discipline_on=dt.date(year, 6, 1) if discipline else None,
                )
            )
            if registered:
                registrations.append(
                    Registration(movement=movements[year], person=person, unit=unit, titles=["LDTT"])
                )
        for on, scope, benefit in raw["initiatives"]:
            initiatives.append(
                (
                    person,
                    Initiative(
                        title=f"Sáng kiến {person.pk} {on}",
                        unit=unit,
                        year=on.year,
                        status="RECOGNIZED",
                        recognition_level=scope,
                        recognized_on=on,
                        benefit_vnd=benefit or None,
                    ),
                )
            )
        for code, year in raw["awards"]:
            awards.append(
                AwardRecord(
                    person=person,
                    scope_unit=unit,
                    award_type=types[code],
                    year=year,
                    decision_number=f"{year % 100}/QĐ-BENCH",
                    decision_date=dt.date(year + 1, 1, 20),
                    issuing_unit=root,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    made = Initiative.objects.bulk_create([i for _, i in initiatives], batch_size=2000)
    for (person, _), initiative in zip(initiatives, made, strict=True):
        authors.append(InitiativeAuthor(initiative=initiative, person=person, share_percent=100))
    InitiativeAuthor.objects.bulk_create(authors, batch_size=2000)
    AwardRecord.objects.bulk_create(awards, batch_size=2000)
    return unit, {
        "evaluations": len(evaluations),
        "registrations": len(registrations),
        "initiatives": len(made),
        "awards": len(awards),
    }


# ----------------------------------------------------------------------------------------------- floor
def floor_histories(ids: list[int], year: int) -> dict:
    """The same inputs as `person_histories`, from plain SQL (one query per source) and minimal Python."""
    from commendations.engine.types import (
        AwardRecord as EngineAward,
    )
    from commendations.engine.types import (
        Discipline,
        PersonHistory,
        ServicePeriod,
    )
    from commendations.engine.types import Initiative as EngineInitiative

    marks = ",".join(["%s"] * len(ids))
    data = {pid: ({}, {}, {}, {}, [], set(), [], [], []) for pid in ids}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT person_id, year, rating, months_worked, absent_days, maternity_days, discipline, discipline_on"
            f" FROM movements_evaluation WHERE person_id IN ({marks}) AND year <= %s",
            [*ids, year],
        )
        for pid, y, rating, months, absent, maternity, discipline, on in cur.fetchall():
            d = data[pid]
            d[0][y], d[1][y], d[2][y] = rating, months, absent + maternity
            if maternity:
                d[3][y] = maternity
            if discipline:
                d[4].append(Discipline(level=discipline, on=on or dt.date(y, 12, 31)))
        cur.execute(
            "SELECT r.person_id, m.year FROM movements_registration r JOIN movements_movement m"
            f" ON m.id = r.movement_id WHERE r.person_id IN ({marks})",
            ids,
        )
        for pid, y in cur.fetchall():
            data[pid][5].add(y)
        cur.execute(
            # CROSS JOIN: SQLite takes the authorships (person index) first, as the selector does
            "SELECT a.person_id, i.recognized_on, i.recognition_level, i.benefit_vnd FROM"
            " initiatives_initiativeauthor a CROSS JOIN initiatives_initiative i"
            f" WHERE i.id = a.initiative_id AND a.person_id IN ({marks}) AND i.status = 'RECOGNIZED'"
            " AND i.recognized_on <= %s",
            [*ids, dt.date(year, 12, 31)],
        )
        for pid, on, level, benefit in cur.fetchall():
            if level:
                data[pid][6].append(EngineInitiative(recognized_on=on, scope=level, benefit_vnd=benefit or 0))
        cur.execute(
            "SELECT r.person_id, t.code, r.year, r.used_for_id, r.achievement_id FROM commendations_awardrecord r"
            f" JOIN commendations_awardtype t ON t.id = r.award_type_id WHERE r.person_id IN ({marks})"
            " AND r.status = 'VALID'",
            ids,
        )
        for pid, code, y, used, achievement in cur.fetchall():
            data[pid][7].append(
                EngineAward(code=code, year=y, used=used is not None, achievement_id=achievement or None)
            )
        cur.execute(
            f"SELECT person_id, started_on, ended_on, work_mode FROM members_membership WHERE person_id IN ({marks})",
            ids,
        )
        for pid, start, end, mode in cur.fetchall():
            if mode == "FULL_TIME":
                data[pid][8].append(ServicePeriod(start=start, end=end, mode="FULL_TIME"))
    return {
        pid: PersonHistory(
            ratings=d[0],
            registered_years=frozenset(d[5]),
            months_worked=d[1],
            absent_days=d[2],
            maternity_days=d[3],
            discipline=tuple(d[4]),
            awards=tuple(d[7]),
            initiatives=tuple(d[6]),
            union_service=tuple(d[8]),
        )
        for pid, d in data.items()
    }


# ------------------------------------------------------------------------------------------------- run
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="members stored and judged (default 5000)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    from commendations import builders
    from commendations.eligibility import _award_types, member_verdicts
    from commendations.selectors import (
        default_received_on,
        person_histories,
        ruleset_for,
        unit_persons_in_year,
    )

    started = time.perf_counter()
    unit, counts = populate(args.n, args.seed)
    print(
        f"{connection.vendor}: {args.n:,} members stored in {time.perf_counter() - started:.1f} s "
        f"({', '.join(f'{v:,} {k}' for k, v in counts.items())})"
    )
    spec = ruleset_for(received_on=default_received_on(YEAR)).to_spec()
    types = _award_types(kind="person")
    ids = list(unit_persons_in_year(unit=unit, year=YEAR).values_list("pk", flat=True))
    chunks = [ids[i : i + builders.CHUNK] for i in range(0, len(ids), builders.CHUNK)]
    verdicts_per_round = len(ids) * len(types)

    def real() -> tuple[float, float, Counter]:
        """(CPU s of the whole path, CPU s of its loading part, eligible per award)."""
        tally: Counter = Counter()
        loading = 0.0
        t0 = time.process_time()
        for chunk in chunks:
            t1 = time.process_time()
            histories = person_histories(persons=chunk, year=YEAR)
            loading += time.process_time() - t1
            for found in member_verdicts(histories=histories, types=types, year=YEAR, spec=spec).values():
                tally.update(a.code for a, v in zip(types, found, strict=True) if v.eligible)
        return time.process_time() - t0, loading, tally

    def floor() -> float:
        t0 = time.process_time()
        for chunk in chunks:
            floor_histories(chunk, YEAR)
        return time.process_time() - t0

    print(
        f"Rule set {spec.ref}; {len(types)} individual awards × {len(ids):,} members = "
        f"{verdicts_per_round:,} verdicts a round, in chunks of {builders.CHUNK}"
    )
    print(
        "Floor: the same rows by plain SQL (one query per source) + the PersonHistory objects built from them"
    )
    real(), floor()  # warm-up: caches, connections, imports
    gc.collect()
    gc.freeze()
    ratios, per_verdict, loading_shares = [], [], []
    tally = Counter()
    for r in range(args.rounds):
        if r % 2:
            real_s, loading_s, tally = real()
            floor_s = floor()
        else:
            floor_s = floor()
            real_s, loading_s, tally = real()
        ratios.append(real_s / floor_s)
        per_verdict.append(real_s / verdicts_per_round * 1e6)
        loading_shares.append(loading_s / real_s)
        print(
            f"  round {r + 1}: floor {floor_s:.3f} s CPU, real path {real_s:.3f} s CPU "
            f"({per_verdict[-1]:.1f} µs/verdict, loading {loading_shares[-1]:.0%}), ratio {ratios[-1]:.2f}×"
        )
    print("Eligible: " + ", ".join(f"{a.code} {tally[a.code] / len(ids):.1%}" for a in types))
    print(
        f"Median: {statistics.median(per_verdict):.1f} µs CPU per verdict through the real path "
        f"(loading the histories {statistics.median(loading_shares):.0%} of it); "
        f"ratio real ÷ floor {statistics.median(ratios):.2f}× (min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    connection.close()
    shutil.rmtree(TMP, ignore_errors=True)  # the SQLite file (nothing else is written there)
    return 0


if __name__ == "__main__":
    sys.exit(main())
