"""A national-size synthetic dataset (issue 16): `manage.py generate_dataset --units 130000 --members
11000000`, used by the benchmarks.

It grows the demo (loaded first when the database has none) to the size asked for:
- **units**: new provincial federations under the Tổng Liên đoàn until there are 34, and under every
  province — the demo's LĐLĐ thành phố Hà Nội included, which takes `hanoi_share` of everything so that
  the demo accounts (canbo.hanoi, lanhdao.hanoi, hoidong.hanoi) stand over a national-size subtree — the
  shape of after the 2025 restructuring: directly-superior unions (CĐ cấp trên trực tiếp cơ sở, ~4 %),
  grassroots unions (CĐCS, ~60 %) and union groups (tổ công đoàn);
- **members**: synthetic Vietnamese names (`demo.names`: no real person), ~60 % women, a birth year, one
  open membership each in a unit that holds members;
- for each of `years`: the Tổng Liên đoàn's yearly movement with a registration for ~90 % of the members
  and a year-end evaluation for each; award records with their decisions for ~4 % of the members (Lao
  động tiên tiến), ~0.4 % (Chiến sĩ thi đua cơ sở) and ~10 % of the CĐCS (Tập thể lao động tiên tiến);
- in the last year, one dossier in review at its province for every 20 CĐCS (the officers' inbox);
- then the dated trees of the past years and the counters of every generated year are rebuilt.

Rows are written with COPY on PostgreSQL (plain INSERTs on SQLite, for the tests' small sizes), with ids
past those in use. The same seed and sizes give the same rows. No history rows are written for the
generated people (they were never edited).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from commendations.models import AwardRecord, AwardType
from core.numbers import fmt_int, fmt_number
from core.text import fold, person_sort_key
from members.models import Membership, Person
from movements.models import Evaluation, Movement, Registration
from nominations.models import ApprovalStep, Dossier
from organizations import tree
from organizations.models import OrgUnit, OrgUnitType, Sector

from .names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE

MARK = "DS"  # the code prefix of every generated unit: a database holds one dataset
PROVINCES = 34
RATINGS = ["HTXS"] * 15 + ["HTT"] * 64 + ["HT"] * 18 + ["KHT"] * 3
PROVINCE_NAMES = [
    "Tuyên Quang", "Cao Bằng", "Lai Châu", "Lào Cai", "Thái Nguyên", "Điện Biên", "Lạng Sơn", "Sơn La",
    "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Hải Phòng", "Hưng Yên", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng",
    "Đồng Nai", "Tây Ninh", "Thành phố Hồ Chí Minh", "Đồng Tháp", "An Giang", "Vĩnh Long", "Cần Thơ",
    "Cà Mau", "Bắc Giang", "Bình Dương",
]  # fmt: skip
WORKPLACES = [
    "Trường Tiểu học", "Trường Trung học cơ sở", "Trạm Y tế", "Công ty TNHH", "Công ty Cổ phần",
    "Bệnh viện", "Ủy ban nhân dân xã", "Chi nhánh Ngân hàng", "Hợp tác xã", "Trung tâm",
]  # fmt: skip


PLAIN = {str, int, float, bool, type(None)}  # values the database driver takes as they are


class DatasetError(Exception):
    pass


# ----------------------------------------------------------------------------------------- writing rows
class Rows:
    """Writes rows of one model fast: COPY on PostgreSQL, executemany INSERT elsewhere. Every concrete
    column is written — the given values, else the field's default — so NOT NULL columns are never
    left to the database."""

    def __init__(self, model, given: list[str]):
        self.model = model
        pk = model._meta.pk
        # the id is written when given (others refer to it), else the database assigns it
        fields = [f for f in model._meta.concrete_fields if f is not pk or pk.name in given or "id" in given]
        given = ["id" if n == pk.name else n for n in given]
        self.names = ["id" if f is pk else f.name for f in fields]
        missing = [n for n in given if n not in self.names]
        if missing:
            raise DatasetError(f"{model.__name__} has no field {missing}")
        self.given = given
        self.fields = fields
        now = timezone.now()
        self.defaults = []
        for f in fields:
            if f.name in given or (f is pk):
                self.defaults.append(None)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults.append(now)
            else:  # the field's default; "" for a text field without one, None for a nullable one
                self.defaults.append(f.get_default())
        self.index = [given.index(n) if n in given else -1 for n in self.names]
        self.json = [f.get_internal_type() == "JSONField" for f in fields]

    def _full(self, row: tuple) -> list:
        out = []
        for i, pos in enumerate(self.index):
            value = row[pos] if pos >= 0 else self.defaults[i]
            if self.json[i] and value is not None and not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False)
            out.append(value)
        return out

    def write(self, rows: Iterable[tuple]) -> int:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        n = 0
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(self._full(row))
                    n += 1
            return n
        marks = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                full = self._full(row)
                batch.append(
                    [
                        v if type(v) in PLAIN else f.get_db_prep_save(v, connection)
                        for f, v in zip(self.fields, full, strict=True)
                    ]
                )
                n += 1
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        return n


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes MAX(rowid) + 1
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


# ------------------------------------------------------------------------------------------ the plan
@dataclass
class Node:
    path: str
    type_code: str
    name: str
    code: str
    parent_path: str
    sector: str | None = None
    pk: int = 0


@dataclass
class Plan:
    nodes: list[Node] = field(default_factory=list)
    added_children: dict[str, int] = field(default_factory=dict)  # existing parent path → new children


def _segment(number: int) -> str:
    return OrgUnit._int2str(number).rjust(OrgUnit.steplen, OrgUnit.alphabet[0])


class _Children:
    """Allocates child paths under a parent after those it already has."""

    def __init__(self):
        self.next: dict[str, int] = {}

    def seed_existing(self, parent_path: str, last_child_path: str | None) -> None:
        self.next[parent_path] = (
            OrgUnit._str2int(last_child_path[-OrgUnit.steplen :]) if last_child_path else 0
        ) + 1

    def take(self, parent_path: str) -> str:
        number = self.next.setdefault(parent_path, 1)
        self.next[parent_path] = number + 1
        return parent_path + _segment(number)


def plan_units(*, units: int, hanoi_share: float, rng: random.Random) -> tuple[Plan, OrgUnit, OrgUnit]:
    root = OrgUnit.objects.filter(depth=1, code="VN").first() or OrgUnit.objects.filter(depth=1).first()
    hanoi = OrgUnit.objects.filter(code="HN").first()
    if root is None or hanoi is None:
        raise DatasetError("Cần dữ liệu mẫu (Tổng Liên đoàn và LĐLĐ thành phố Hà Nội): chạy load_demo trước.")
    kids = _Children()
    province_type = "LDLD_TINH"
    existing = OrgUnit.objects.filter(
        path__startswith=root.path, depth=root.depth + 1, unit_type__code=province_type, valid_to__isnull=True
    ).count()
    plan = Plan()
    for parent in (root, hanoi):
        last = (
            OrgUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        kids.seed_existing(parent.path, last)
    new_provinces = max(1, min(PROVINCES - existing, units // 40))
    provinces: list[tuple[str, int]] = []  # (path, depth)
    for i in range(new_provinces):
        place = PROVINCE_NAMES[i % len(PROVINCE_NAMES)]
        path = kids.take(root.path)
        plan.nodes.append(
            Node(
                path,
                province_type,
                f"Liên đoàn Lao động tỉnh {place} (dữ liệu thử {i + 1})",
                f"{MARK}-P{i + 1:02d}",
                root.path,
            )
        )
        provinces.append((path, root.depth + 1))
    plan.added_children[root.path] = new_provinces
    budget = max(units - new_provinces, 0)
    hanoi_units = int(budget * hanoi_share)
    shares = [(hanoi.path, hanoi.depth, hanoi_units)]
    rest = budget - hanoi_units
    for i, (path, depth) in enumerate(provinces):
        shares.append((path, depth, rest // len(provinces) + (1 if i < rest % len(provinces) else 0)))
    sectors = list(Sector.objects.values_list("code", flat=True)) or [None]
    serial = 0
    for parent_path, _depth, n in shares:
        if n <= 0:
            continue
        uppers = max(1, round(n * 0.04))
        grassroots = max(1, round(n * 0.60))
        groups = max(n - uppers - grassroots, 0)
        upper_paths = []
        for _ in range(uppers):
            serial += 1
            path = kids.take(parent_path)
            plan.nodes.append(
                Node(
                    path,
                    "CD_CTTCS",
                    f"Công đoàn cấp trên cơ sở số {serial}",
                    f"{MARK}-U{serial}",
                    parent_path,
                )
            )
            upper_paths.append(path)
        cdcs_paths = []
        for i in range(grassroots):
            serial += 1
            parent = upper_paths[i % len(upper_paths)]
            path = kids.take(parent)
            workplace = WORKPLACES[serial % len(WORKPLACES)]
            plan.nodes.append(
                Node(
                    path,
                    "CDCS",
                    f"Công đoàn {workplace} số {serial}",
                    f"{MARK}-C{serial}",
                    parent,
                    sector=rng.choice(sectors),
                )
            )
            cdcs_paths.append(path)
        for _ in range(groups):
            serial += 1
            parent = rng.choice(cdcs_paths)
            path = kids.take(parent)
            plan.nodes.append(Node(path, "TO_CD", f"Tổ công đoàn số {serial}", f"{MARK}-T{serial}", parent))
        if parent_path == hanoi.path:
            plan.added_children[hanoi.path] = uppers
    plan.nodes.sort(key=lambda node: node.path)
    return plan, root, hanoi


# ---------------------------------------------------------------------------------------- generation
def generate(
    *,
    units: int,
    members: int,
    years: Iterable[int] | None = None,
    seed: int = 2026,
    hanoi_share: float = 0.1,
    log: Callable[[str], None] = lambda line: None,
) -> dict:
    """Grow the demo to `units` more units and `members` more members (see the module's docstring).
    Returns {"units", "members", "records", "dossiers", "seconds": {step: seconds}}."""
    if OrgUnit.objects.filter(code__startswith=f"{MARK}-").exists():
        raise DatasetError("Cơ sở dữ liệu đã có một bộ dữ liệu sinh thử: dùng một cơ sở dữ liệu mới.")
    this_year = tree.current_year()
    years = sorted(set(years or (this_year - 1, this_year)))
    rng = random.Random(seed)
    seconds: dict[str, float] = {}

    def step(name: str, started: float) -> None:
        seconds[name] = time.perf_counter() - started
        log(f"{name}: {fmt_number(seconds[name], places=1)} giây")

    with transaction.atomic():
        started = time.perf_counter()
        plan, root, hanoi = plan_units(units=units, hanoi_share=hanoi_share, rng=rng)
        unit_ids = _write_units(plan)
        step(f"{fmt_int(len(plan.nodes))} đơn vị", started)

        started = time.perf_counter()
        seats = [n.pk for n in plan.nodes if n.type_code in ("CDCS", "TO_CD")]
        hanoi_seats = [
            n.pk for n in plan.nodes if n.type_code in ("CDCS", "TO_CD") and n.path.startswith(hanoi.path)
        ]
        in_hanoi = set(hanoi_seats)  # built once: a set per seat made this quadratic in the units
        other_seats = [pk for pk in seats if pk not in in_hanoi] or seats
        people = _write_people(members, rng, hanoi_seats or seats, other_seats, hanoi_share)
        step(f"{fmt_int(members)} đoàn viên", started)

        started = time.perf_counter()
        records = dossiers = 0
        for year in years:
            _write_year(year, root, people, rng)
            records += _write_awards(year, people, plan, rng)
        dossiers = _write_dossiers(years[-1], plan, rng)
        reset_sequences(
            [OrgUnit, Person, Membership, Registration, Evaluation, AwardRecord, Dossier, ApprovalStep]
        )
        step(f"phong trào, đánh giá, {fmt_int(records)} khen thưởng, {fmt_int(dossiers)} hồ sơ", started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    started = time.perf_counter()
    from reports.services import counters_rebuild

    tree.tree_changed(on=dt.date(2000, 1, 1))  # the past years' trees take the new units
    for year in years:
        counters_rebuild(year=year)
    step("cây tổ chức các năm và bộ đếm", started)
    return {
        "units": len(unit_ids),
        "members": members,
        "records": records,
        "dossiers": dossiers,
        "seconds": seconds,
    }


def _write_units(plan: Plan) -> list[int]:
    types = dict(OrgUnitType.objects.values_list("code", "pk"))
    sectors = dict(Sector.objects.values_list("code", "pk"))
    first = next_id(OrgUnit)
    numchild: dict[str, int] = {}
    for node in plan.nodes:
        numchild[node.parent_path] = numchild.get(node.parent_path, 0) + 1
    for i, node in enumerate(plan.nodes):
        node.pk = first + i
    rows = Rows(
        OrgUnit,
        ["id", "path", "depth", "numchild", "name", "short_name", "code", "unit_type", "sector", "valid_from",
         "search_text"],
    )  # fmt: skip
    founded = dt.date(2015, 1, 1)
    rows.write(
        (
            n.pk,
            n.path,
            len(n.path) // OrgUnit.steplen,
            numchild.get(n.path, 0),
            n.name,
            "",
            n.code,
            types[n.type_code],
            sectors.get(n.sector) if n.sector else None,
            founded,
            fold(f"{n.name} {n.code}"),
        )
        for n in plan.nodes
    )
    for parent_path in plan.added_children:  # the existing parents: their children now
        depth = len(parent_path) // OrgUnit.steplen
        below = OrgUnit.objects.filter(path__startswith=parent_path, depth=depth + 1).count()
        OrgUnit.objects.filter(path=parent_path).update(numchild=below)
    return [n.pk for n in plan.nodes]


@dataclass
class People:
    first: int
    count: int
    seat_of: list[int]


def _name(rng: random.Random, female: bool) -> tuple[str, str, str]:
    family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return family, middle, given


def _write_people(members: int, rng: random.Random, hanoi_seats, other_seats, hanoi_share: float) -> People:
    first_person, first_membership = next_id(Person), next_id(Membership)
    seat_of = [
        rng.choice(hanoi_seats) if rng.random() < hanoi_share else rng.choice(other_seats)
        for _ in range(members)
    ]
    now = timezone.now()

    def persons() -> Iterator[tuple]:
        for i in range(members):
            female = rng.random() < 0.6
            family, middle, given = _name(rng, female)
            full = f"{family} {middle} {given}"
            birth = dt.date(1966 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
            yield (first_person + i, now, now, family, middle, given, full, "F" if female else "M", birth,
                   fold(full), person_sort_key(family_name=family, middle_name=middle, given_name=given))  # fmt: skip

    Rows(
        Person,
        ["id", "created_at", "updated_at", "family_name", "middle_name", "given_name", "full_name", "gender",
         "birth_date", "search_text", "sort_key"],
    ).write(persons())  # fmt: skip
    Rows(
        Membership,
        ["id", "created_at", "updated_at", "person", "unit", "union_role", "work_mode", "started_on"],
    ).write(
        (
            first_membership + i,
            now,
            now,
            first_person + i,
            seat_of[i],
            "DOAN_VIEN",
            "NONE",
            dt.date(2010 + i % 15, 1 + i % 12, 1),
        )  # fmt: skip
        for i in range(members)
    )
    return People(first_person, members, seat_of)


def _write_year(year: int, root: OrgUnit, people: People, rng: random.Random) -> None:
    movement = Movement.objects.create(
        organiser=root,
        name=f"Phong trào thi đua “Lao động giỏi, Lao động sáng tạo” năm {year} (dữ liệu thử)",
        kind="YEARLY",
        year=year,
        status="LAUNCHED",
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        launched_on=dt.date(year, 1, 5),
    )
    Rows(Registration, ["movement", "person", "unit", "titles"]).write(
        (movement.pk, people.first + i, seat, ["LDTT"])
        for i, seat in enumerate(people.seat_of)
        if rng.random() < 0.9
    )
    Rows(Evaluation, ["person", "year", "unit", "rating", "months_worked"]).write(
        (people.first + i, year, seat, rng.choice(RATINGS), 12) for i, seat in enumerate(people.seat_of)
    )


def _award(code: str) -> AwardType | None:
    return AwardType.objects.filter(code=code).first()


def _write_awards(year: int, people: People, plan: Plan, rng: random.Random) -> int:
    by_pk = {n.pk: n for n in plan.nodes}
    parent_pk = {n.path: n.pk for n in plan.nodes}
    issued = dt.date(year + 1, 1, 15) if year < tree.current_year() else dt.date(year, 11, 20)
    rows = []
    for code, share in (("LDTT", 0.04), ("CSTDCS", 0.004)):
        award = _award(code)
        if award is None:
            continue
        for i, seat in enumerate(people.seat_of):
            if rng.random() < share:
                node = by_pk[seat]
                cdcs = node if node.type_code == "CDCS" else by_pk[parent_pk[node.parent_path]]
                issuer = parent_pk.get(cdcs.parent_path, cdcs.pk)
                number = f"{issuer % 90 + 10:02d}/QĐ-CĐ"  # one decision per issuer, award and year
                rows.append((people.first + i, None, seat, award.pk, year, number, issued, issuer, "VALID"))
    collective = _award("TTLDTT")
    if collective is not None:
        for node in plan.nodes:
            if node.type_code == "CDCS" and rng.random() < 0.1:
                issuer = parent_pk.get(node.parent_path, node.pk)
                number = f"{issuer % 90 + 10:02d}/QĐ-CĐ"
                rows.append((None, node.pk, node.pk, collective.pk, year, number, issued, issuer, "VALID"))
    return Rows(
        AwardRecord,
        ["person", "unit", "scope_unit", "award_type", "year", "decision_number", "decision_date", "issuing_unit", "status"],
    ).write(rows)  # fmt: skip


def _write_dossiers(year: int, plan: Plan, rng: random.Random) -> int:
    """One dossier in review at its province for every 20 CĐCS, pending at the province's step."""
    existing = dict(OrgUnit.objects.filter(depth=2).values_list("path", "pk"))
    existing.update({n.path: n.pk for n in plan.nodes if n.type_code == "LDLD_TINH"})
    cdcs = [n for n in plan.nodes if n.type_code == "CDCS"]
    chosen = cdcs[::20]
    first = next_id(Dossier)
    now = timezone.now()
    dossiers, steps = [], []
    for node in chosen:
        province = existing.get(node.path[: 2 * OrgUnit.steplen])
        if province is None:
            continue
        pk = first + len(dossiers)
        dossiers.append((pk, now, now, node.pk, province, province, "YEARLY", year,
                         f"Đề nghị khen thưởng năm {year} — {node.name}", "IN_REVIEW", now))  # fmt: skip
        steps.append((pk, province, 1, True, "PENDING"))
    Rows(
        Dossier,
        ["id", "created_at", "updated_at", "proposing_unit", "authority", "current_level", "kind", "year", "title",
         "state", "submitted_at"],
    ).write(dossiers)  # fmt: skip
    Rows(ApprovalStep, ["dossier", "level", "round", "is_authority", "verdict"]).write(steps)
    return len(dossiers)
