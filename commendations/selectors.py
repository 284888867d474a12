"""Reads of the commendations app: rule sets by date (R-GEN-02), the award registry, and the histories the
eligibility engine reads, assembled from the database in a number of queries that does not depend on the
number of persons or units (one query per source)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.access import Action, restrict
from core.exceptions import ServiceError
from core.text import fold

from .choices import RecordStatus
from .engine import evaluate, evaluate_batch
from .engine.rulesets import RuleSetSpec
from .engine.types import (
    RATING_RANK,
    Batch,
    Candidate,
    CollectiveHistory,
    Discipline,
    PersonHistory,
    ServicePeriod,
    Verdict,
)
from .engine.types import (
    AwardRecord as EngineAward,
)
from .engine.types import (
    Initiative as EngineInitiative,
)
from .engine.vietnamese import fmt_date
from .models import AwardRecord, AwardType, RuleSet

NON_STATE_SECTORS = frozenset({"NGOAI_NN", "FDI"})
LEADER_TITLE_PREFIXES = ("truong", "pho truong", "pho ", "giam doc", "pho giam doc", "chu tich", "chanh")


class RuleSetNotFound(ServiceError):
    """No rule set covers the date (R-GEN-02)."""


# --- rule sets ------------------------------------------------------------------------------------------


def default_received_on(year: int) -> dt.date:
    """The reception date assumed on screens for a cycle year: dossiers are received early the next year."""
    return dt.date(year + 1, 1, 15)


def ruleset_for(*, received_on: dt.date) -> RuleSet:
    """R-GEN-02: the rule set in force on the date the dossier was received."""
    found = list(
        RuleSet.objects.filter(valid_from__lte=received_on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=received_on))
        .order_by("-valid_from")[:2]
    )
    if len(found) == 1:
        return found[0]
    if not found:
        known = "; ".join(
            f"{r.name} ({fmt_date(r.valid_from)}–{fmt_date(r.valid_to) if r.valid_to else 'nay'})"
            for r in RuleSet.objects.order_by("valid_from")
        )
        raise RuleSetNotFound(
            f"Không có bộ quy tắc nào có hiệu lực vào ngày nhận hồ sơ {fmt_date(received_on)}. "
            f"Các bộ quy tắc hiện có: {known or 'chưa có'}."
        )
    raise RuleSetNotFound(
        f"Các bộ quy tắc chồng chéo vào ngày {fmt_date(received_on)}: {'; '.join(r.name for r in found)}."
    )


def ruleset_list() -> list[RuleSet]:
    return list(RuleSet.objects.select_related("created_by").order_by("-valid_from"))


# --- award registry -------------------------------------------------------------------------------------


def award_records(*, user, unit=None, year: int | None = None, query: str = "") -> QuerySet[AwardRecord]:
    """The registry the user may read, optionally inside a unit's subtree, of a year, and matching `query`:
    the person's or collective's name without accents ("nguyen van an" finds "Nguyễn Văn An") or a part of
    the decision number (of the award or of its revocation)."""
    qs = restrict(
        AwardRecord.objects.select_related("person", "unit", "award_type", "issuing_unit", "scope_unit"),
        user,
        Action.PERSON_VIEW,
    )
    if unit is not None:
        qs = qs.filter(scope_unit__path__startswith=unit.path)
    if year:
        qs = qs.filter(year=year)
    query = (query or "").strip()
    if query:
        folded = fold(query)
        qs = qs.filter(
            Q(person__search_text__contains=folded)
            | Q(unit__search_text__contains=folded)
            | Q(decision_number__icontains=query)
            | Q(revocation_ref__icontains=query)
            # "15/QD-LDLD" typed without accents finds "15/QĐ-LĐLĐ"
            | Q(decision_number__icontains=query.upper().replace("D", "Đ"))
            | Q(revocation_ref__icontains=query.upper().replace("D", "Đ"))
        )
    # the order of the index awardrecord_registry_order: PostgreSQL reads one page, never sorts the scope
    return qs.order_by("-year", "-decision_date", "-id")


def award_summary(*, unit, year: int) -> list[tuple[AwardType, int]]:
    """Valid awards of the year recorded in the unit's subtree, per award type (one query)."""
    rows = (
        AwardRecord.objects.filter(
            scope_unit__path__startswith=unit.path, year=year, status=RecordStatus.VALID
        )
        .values("award_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["award_type"]: r["n"] for r in rows}
    if not counts:
        return []
    return [(a, counts[a.pk]) for a in AwardType.objects.filter(pk__in=counts).order_by("position")]


# --- histories ------------------------------------------------------------------------------------------


def _ids(objects: Iterable) -> list[int]:
    return sorted({o if isinstance(o, int) else o.pk for o in objects})


def _is_leader(job_title: str) -> bool:
    folded = fold(job_title or "")
    return folded.startswith(LEADER_TITLE_PREFIXES)


def person_histories(*, persons: Iterable, year: int) -> dict[int, PersonHistory]:
    """{person_id: PersonHistory} for the persons (objects or ids), from five queries in all: evaluations,
    registrations, recognised initiatives, awards in the registry and memberships."""
    from initiatives.choices import Status as InitiativeStatus
    from initiatives.models import InitiativeAuthor
    from members.choices import WorkMode
    from members.models import Membership
    from movements.models import Evaluation, Registration

    ids = _ids(persons)
    if not ids:
        return {}
    data: dict[int, dict] = {
        pid: {
            "ratings": {},
            "months": {},
            "absent": {},
            "maternity": {},
            "discipline": [],
            "registered": set(),
            "initiatives": [],
            "awards": [],
            "service": [],
            "leader": False,
            "current_start": None,
        }
        for pid in ids
    }
    for pid, y, rating, months, absent, maternity, discipline, disc_on in Evaluation.objects.filter(
        person_id__in=ids, year__lte=year
    ).values_list(
        "person_id",
        "year",
        "rating",
        "months_worked",
        "absent_days",
        "maternity_days",
        "discipline",
        "discipline_on",
    ):
        d = data[pid]
        d["ratings"][y] = rating
        d["months"][y] = months
        # the evaluation stores absences without maternity leave; the engine deducts maternity itself
        d["absent"][y] = absent + maternity
        if maternity:
            d["maternity"][y] = maternity
        if discipline:
            d["discipline"].append(Discipline(level=discipline, on=disc_on or dt.date(y, 12, 31)))
    for pid, y in Registration.objects.filter(person_id__in=ids).values_list("person_id", "movement__year"):
        data[pid]["registered"].add(y)
    # the people's authorships by the person index, the initiative by its key, filtered here: with the
    # status in the WHERE clause SQLite (no statistics) walks every recognised initiative of the database
    # and probes the chunk's ids for each — seconds a chunk once there are 10,000 initiatives
    # (bench/eligibility.py)
    last_day = dt.date(year, 12, 31)
    for pid, status, recognized_on, level, benefit in InitiativeAuthor.objects.filter(
        person_id__in=ids
    ).values_list(
        "person_id",
        "initiative__status",
        "initiative__recognized_on",
        "initiative__recognition_level",
        "initiative__benefit_vnd",
    ):
        if status != InitiativeStatus.RECOGNIZED or recognized_on is None or recognized_on > last_day:
            continue
        if level:
            data[pid]["initiatives"].append(
                EngineInitiative(recognized_on=recognized_on, scope=level, benefit_vnd=benefit or 0)
            )
    for pid, code, y, used_for, achievement in AwardRecord.objects.filter(
        person_id__in=ids, status=RecordStatus.VALID
    ).values_list("person_id", "award_type__code", "year", "used_for_id", "achievement_id"):
        data[pid]["awards"].append(
            EngineAward(code=code, year=y, used=used_for is not None, achievement_id=achievement or None)
        )
    for pid, start, end, mode, sector, job_title in Membership.objects.filter(person_id__in=ids).values_list(
        "person_id", "started_on", "ended_on", "work_mode", "unit__sector__code", "job_title"
    ):
        d = data[pid]
        if mode == WorkMode.FULL_TIME:
            d["service"].append(ServicePeriod(start=start, end=end, mode="FULL_TIME"))
        elif mode == WorkMode.PART_TIME:
            kind = "PART_TIME_NON_STATE" if sector in NON_STATE_SECTORS else "PART_TIME"
            d["service"].append(ServicePeriod(start=start, end=end, mode=kind))
        if end is None:
            d["leader"] = _is_leader(job_title)
    return {
        pid: PersonHistory(
            ratings=d["ratings"],
            registered_years=frozenset(d["registered"]),
            months_worked=d["months"],
            absent_days=d["absent"],
            maternity_days=d["maternity"],
            discipline=tuple(sorted(d["discipline"], key=lambda x: x.on)),
            awards=tuple(sorted(d["awards"], key=lambda a: (a.year, a.code))),
            initiatives=tuple(sorted(d["initiatives"], key=lambda i: i.recognized_on)),
            union_service=tuple(sorted(d["service"], key=lambda s: s.start)),
            is_leader=d["leader"],
        )
        for pid, d in data.items()
    }


@dataclass
class Member:
    person: object  # members.Person
    seat: object  # the unit where the person takes part in union life that year


@dataclass
class CollectiveAssessment:
    """A collective's members in the year, their histories and LĐTT/CSTĐCS verdicts, and its history."""

    unit: object
    members: list[Member]
    history: CollectiveHistory
    histories: dict[int, PersonHistory] = field(default_factory=dict)
    ldtt: dict[int, Verdict] = field(default_factory=dict)
    cstdcs: dict[int, Verdict] = field(default_factory=dict)
    ldtt_ids: set[int] = field(default_factory=set)  # eligible or awarded LĐTT in the year
    cstdcs_batch: object | None = None  # BatchVerdict of R-CSCS-02 (name order as priority)
    cstdcs_ids: set[int] = field(default_factory=set)  # accepted within the quota, or awarded


def members_in_year(*, units: list, year: int) -> dict[int, list[Member]]:
    """Members of each unit's subtree during the year (one query), in Vietnamese name order."""
    from members.models import Membership

    result: dict[int, list[Member]] = {u.pk: [] for u in units}
    if not units:
        return result
    scope = Q()
    for u in units:
        scope |= Q(unit__path__startswith=u.path)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        Membership.objects.filter(scope, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("person", "unit")
        .order_by("person__sort_key", "person_id", "started_on")
    )
    seen: dict[int, dict[int, Member]] = {u.pk: {} for u in units}
    for m in rows:
        for u in units:
            if m.unit.path.startswith(u.path):
                seen[u.pk][m.person_id] = Member(person=m.person, seat=m.unit)  # latest seat wins
    for u in units:
        result[u.pk] = list(seen[u.pk].values())
    return result


def _in_year(year: int) -> Q:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def unit_persons_in_year(*, unit, year: int) -> QuerySet:
    """The persons with a membership in the unit's subtree during the year (the people of
    `members_in_year`), as a queryset in Vietnamese name order — the order of the index on
    `Person.sort_key`, so a page of them is `ORDER BY sort_key, id LIMIT …` with a correlated EXISTS, never
    the whole subtree read into Python."""
    from members.models import Membership, Person

    seats = Membership.objects.filter(_in_year(year), person=OuterRef("pk"), unit__path__startswith=unit.path)
    return Person.objects.filter(Exists(seats)).order_by("sort_key", "id")


def seats_in_year(*, unit, year: int, persons: Iterable) -> dict[int, object]:
    """{person_id: OrgUnit}: where each person takes part in union life in the unit's subtree that year (the
    latest seat, as in `members_in_year`), in one query."""
    from members.models import Membership

    ids = _ids(persons)
    seats: dict[int, object] = {}
    rows = (
        Membership.objects.filter(_in_year(year), person_id__in=ids, unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("person_id", "started_on")
    )
    for m in rows:
        seats[m.person_id] = m.unit  # latest seat wins
    return seats


def assess_collectives(*, units: list, year: int, rule_set: RuleSetSpec) -> dict[int, CollectiveAssessment]:
    """Members, their histories and verdicts, and the collective history of each unit. Queries: one for the
    members, five for their histories, one for cluster leadership, one per generation of predecessors whose
    titles pass (R-ORG-01, `organizations.selectors.title_predecessors`), one for the collectives' awards."""
    by_unit = members_in_year(units=units, year=year)
    persons = {m.person.pk for members in by_unit.values() for m in members}
    histories = person_histories(persons=persons, year=year)
    ldtt = {
        pid: evaluate(award="LDTT", year=year, subject=h, rule_set=rule_set) for pid, h in histories.items()
    }
    cstdcs = {
        pid: evaluate(award="CSTDCS", year=year, subject=h, rule_set=rule_set) for pid, h in histories.items()
    }
    context = collective_context(units=units, year=year, rule_set=rule_set)
    result = {}
    for unit in units:
        members = by_unit[unit.pk]
        ids = [m.person.pk for m in members]
        tally = CollectiveTally(year=year)
        for pid in ids:
            tally.add(pid=pid, history=histories[pid], ldtt=ldtt[pid], cstdcs=cstdcs[pid])
        history, batch, cstdcs_ids = collective_history(unit=unit, tally=tally, context=context)
        result[unit.pk] = CollectiveAssessment(
            unit=unit,
            members=members,
            history=history,
            histories={pid: histories[pid] for pid in ids},
            ldtt={pid: ldtt[pid] for pid in ids},
            cstdcs={pid: cstdcs[pid] for pid in ids},
            ldtt_ids=tally.ldtt_ids,
            cstdcs_batch=batch,
            cstdcs_ids=cstdcs_ids,
        )
    return result


@dataclass
class CollectiveTally:
    """What a collective's history reads from its members' histories and LĐTT/CSTĐCS verdicts, added one
    member at a time in name order (the whole-unit evaluation adds them chunk by chunk, keeping only
    this)."""

    year: int
    size: int = 0
    completed: int = 0
    ldtt_ids: set[int] = field(default_factory=set)  # eligible or awarded LĐTT in the year
    candidates: list[int] = field(default_factory=list)  # CSTĐCS eligible individually, in name order
    cstdcs_awarded: set[int] = field(default_factory=set)
    discipline: list = field(default_factory=list)

    def add(self, *, pid: int, history: PersonHistory, ldtt: Verdict, cstdcs: Verdict) -> None:
        year = self.year
        self.size += 1
        awarded = {a.code for a in history.awards if a.year == year}
        if ldtt.eligible or "LDTT" in awarded:
            self.ldtt_ids.add(pid)
        if cstdcs.eligible:
            self.candidates.append(pid)
        if "CSTDCS" in awarded:
            self.cstdcs_awarded.add(pid)
        rating = history.ratings.get(year)
        if rating and RATING_RANK[rating] >= RATING_RANK["HT"]:
            self.completed += 1
        self.discipline.extend(d for d in history.discipline if d.on is None or d.on.year == year)


@dataclass
class CollectiveContext:
    year: int
    rule_set: RuleSetSpec
    leaders: set[int]  # units leading their cluster in the year
    awards: dict[int, list[EngineAward]]  # a unit's own awards and those of its predecessors (R-ORG-01)


def collective_context(*, units: list, year: int, rule_set: RuleSetSpec) -> CollectiveContext:
    """What the collectives' histories read besides their members: cluster leadership (one query), the
    predecessors whose titles pass (one query per generation) and the collectives' awards (one query)."""
    from clusters.choices import ClusterRole
    from clusters.models import ClusterMember
    from organizations.selectors import title_predecessors

    leaders = set(
        ClusterMember.objects.filter(unit__in=units, year=year, role=ClusterRole.LEADER).values_list(
            "unit_id", flat=True
        )
    )
    # R-ORG-01: a collective's titles include those of the units it carries on (merged into it; formed
    # by consolidation only when the rule set says so), as the successions stood at the end of the year
    predecessors = title_predecessors(
        units,
        inherit_on_consolidation=bool(rule_set.params.get("inherit_on_consolidation", False)),
        as_of=dt.date(year, 12, 31),
    )
    counts_for: dict[int, list[int]] = defaultdict(list)  # unit whose awards → the assessed units
    for unit in units:
        for uid in (unit.pk, *predecessors[unit.pk]):
            counts_for[uid].append(unit.pk)
    unit_awards: dict[int, list[EngineAward]] = defaultdict(list)
    for uid, code, y, used_for, achievement in AwardRecord.objects.filter(
        unit_id__in=list(counts_for), status=RecordStatus.VALID
    ).values_list("unit_id", "award_type__code", "year", "used_for_id", "achievement_id"):
        award = EngineAward(code=code, year=y, used=used_for is not None, achievement_id=achievement or None)
        for heir in counts_for[uid]:
            unit_awards[heir].append(award)
    return CollectiveContext(year=year, rule_set=rule_set, leaders=leaders, awards=unit_awards)


def collective_history(
    *, unit, tally: CollectiveTally, context: CollectiveContext
) -> tuple[CollectiveHistory, object, set[int]]:
    """The collective's history from its members' tally: (history, the R-CSCS-02 batch verdict in name
    order, the ids counted as CSTĐCS — accepted within the quota, or awarded)."""
    batch = evaluate_batch(
        award="CSTDCS",
        year=context.year,
        batch=Batch(
            unit=unit.name,
            candidates=tuple(Candidate(id=str(pid)) for pid in tally.candidates),
            ldtt_count=len(tally.ldtt_ids),
        ),
        rule_set=context.rule_set,
    )
    cstdcs_ids = {int(pid) for pid in batch.accepted} | tally.cstdcs_awarded
    history = CollectiveHistory(
        size=tally.size,
        completed_duties=tally.completed,
        ldtt_count=len(tally.ldtt_ids),
        cstdcs_count=len(cstdcs_ids),
        discipline=tuple(tally.discipline),
        led_cluster=unit.pk in context.leaders,
        awards=tuple(context.awards.get(unit.pk, ())),
    )
    return history, batch, cstdcs_ids


def unit_histories(
    *, units: Iterable, year: int, rule_set: RuleSetSpec | None = None
) -> dict[int, CollectiveHistory]:
    """{unit_id: CollectiveHistory} — members' LĐTT and CSTĐCS are judged by the engine under the rule set
    (default: the one in force on the assumed reception date of the year's dossiers)."""
    units = list(units)
    if not units:
        return {}
    spec = rule_set or ruleset_for(received_on=default_received_on(year)).to_spec()
    return {pk: a.history for pk, a in assess_collectives(units=units, year=year, rule_set=spec).items()}


def ruleset_names(codes) -> dict[str, str]:
    """{code: name} of the rule sets with these codes, in one query (verdicts keep the code; screens
    print the name)."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(RuleSet.objects.filter(code__in=codes).values_list("code", "name"))
