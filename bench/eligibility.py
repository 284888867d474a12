"""Benchmark of the eligibility engine (pure Python, no Django, no database).

    .venv/bin/python bench/eligibility.py [--n 100000] [--seed 2025]

Generates N synthetic person histories (seeded RNG, realistic proportions), then measures
- the floor: merely constructing/iterating the same subjects (PersonHistory objects from raw data);
- the evaluation of LĐTT 2025, CSTĐ cơ sở 2025, CSTĐ cấp bộ 2025 and Kỷ niệm chương 2026 for each,
and prints subjects per second and the ratio evaluation time ÷ floor.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from commendations.engine import DEFAULT_CALENDAR, Dossier, PersonHistory, evaluate  # noqa: E402
from commendations.engine.types import (  # noqa: E402
    AwardRecord,
    Discipline,
    Initiative,
    ServicePeriod,
)

YEARS = range(2016, 2026)
AWARDS = (("LDTT", 2025), ("CSTDCS", 2025), ("CSTD_BO", 2025), ("KNC_CD", 2026))
RATINGS = ("HTXS", "HTT", "HT", "KHT")


def raw_person(rng: random.Random) -> dict:
    """One history as plain data (what a selector would read from the database)."""
    skill = rng.random()  # a person's steady level, so that good years come in runs
    weights = (0.05 + 0.4 * skill, 0.55, 0.3 - 0.25 * skill, 0.05)
    hired = rng.choice(YEARS) if rng.random() < 0.25 else 2010
    ratings, months, absent, maternity, registered = {}, {}, {}, {}, []
    initiatives, discipline, awards = [], [], []
    for year in YEARS:
        if year < hired:
            continue
        ratings[year] = rng.choices(RATINGS, weights)[0]
        months[year] = 12 - rng.randint(0, 11) if year == hired else 12
        sick = int(rng.expovariate(1 / 6))
        leave = 130 if rng.random() < 0.03 else 0
        absent[year], maternity[year] = sick + leave, leave
        if rng.random() < 0.9:
            registered.append(year)
        if rng.random() < 0.015:
            level = "KHIEN_TRACH" if rng.random() < 0.7 else "CANH_CAO"
            discipline.append((level, date(year, rng.randint(1, 12), rng.randint(1, 28))))
        if rng.random() < 0.3 * (0.5 + skill):
            scope = rng.choices(("CO_SO", "TINH_BO", "TOAN_QUOC"), (0.8, 0.17, 0.03))[0]
            initiatives.append(
                (date(year, rng.randint(1, 12), rng.randint(1, 28)), scope, rng.randint(0, 2) * 50_000_000)
            )
        good_year = ratings[year] in ("HTXS", "HTT") and year in registered and months[year] >= 10
        has_initiative = any(on.year == year for on, _, _ in initiatives)
        if good_year and has_initiative and rng.random() < 0.8:
            awards.append(("CSTDCS", year, rng.random() < 0.1))
    if rng.random() < 0.02:
        awards.append(("KNC_CD", rng.randint(2005, 2024), False))
    service = []
    if rng.random() < 0.35:
        start = date(rng.randint(1985, 2020), rng.randint(1, 12), 1)
        end = None if rng.random() < 0.7 else date(rng.randint(start.year, 2025), 12, 31)
        mode = rng.choices(("FULL_TIME", "PART_TIME", "PART_TIME_NON_STATE"), (0.2, 0.6, 0.2))[0]
        service.append((start, end, mode))
    return {
        "ratings": ratings,
        "registered": registered,
        "months": months,
        "absent": absent,
        "maternity": maternity,
        "discipline": discipline,
        "awards": awards,
        "initiatives": initiatives,
        "service": service,
    }


def build(raw: dict) -> PersonHistory:
    return PersonHistory(
        ratings=raw["ratings"],
        registered_years=frozenset(raw["registered"]),
        months_worked=raw["months"],
        absent_days=raw["absent"],
        maternity_days=raw["maternity"],
        discipline=tuple(Discipline(level, on) for level, on in raw["discipline"]),
        awards=tuple(AwardRecord(code, year, used) for code, year, used in raw["awards"]),
        initiatives=tuple(Initiative(on, scope, benefit) for on, scope, benefit in raw["initiatives"]),
        union_service=tuple(ServicePeriod(start, end, mode) for start, end, mode in raw["service"]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of synthetic persons (default 100000)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    spec = DEFAULT_CALENDAR[-1]
    dossier = Dossier(received_on=date(2026, 1, 15))

    started = time.perf_counter()
    raws = [raw_person(rng) for _ in range(args.n)]
    generated = time.perf_counter() - started

    # Keep the collector's view of the generated data out of both timings (same treatment for both).
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    subjects = [build(raw) for raw in raws]
    floor = time.perf_counter() - started

    tally: Counter[str] = Counter()
    started = time.perf_counter()
    for subject in subjects:
        for award, year in AWARDS:
            if evaluate(award=award, year=year, subject=subject, rule_set=spec, dossier=dossier).eligible:
                tally[award] += 1
    evaluation = time.perf_counter() - started

    verdicts = args.n * len(AWARDS)
    print(
        f"Rule set: {spec.ref}; {args.n:,} synthetic persons (seed {args.seed}), "
        f"generated in {generated:.2f} s"
    )
    print("Eligible: " + ", ".join(f"{award} {tally[award] / args.n:.1%}" for award, _ in AWARDS))
    print(f"Floor (construct/iterate the same subjects): {floor:.3f} s = {args.n / floor:,.0f} subjects/s")
    print(
        f"Evaluation ({len(AWARDS)} awards each): {evaluation:.3f} s = "
        f"{args.n / evaluation:,.0f} subjects/s, {verdicts / evaluation:,.0f} verdicts/s, "
        f"{evaluation / verdicts * 1e6:.1f} µs/verdict"
    )
    print(f"Ratio evaluation ÷ floor: {evaluation / floor:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
