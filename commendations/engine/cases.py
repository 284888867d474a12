"""Case files (see CASE_FORMAT.md): parse a case, run it through the engine, compare with `expect`."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from .awards import AWARDS
from .engine import evaluate, evaluate_batch, evaluate_vote
from .rulesets import DEFAULT_CALENDAR, RuleSetError, RuleSetSpec, apply_override, select_rule_set
from .types import (
    EDUCATION_LEVELS,
    RATING_RANK,
    SCOPE_RANK,
    SERVICE_MODES,
    UNION_OFFICES,
    AwardRecord,
    Batch,
    Candidate,
    CollectiveHistory,
    Discipline,
    Dossier,
    EngineInputError,
    Initiative,
    Issuer,
    PersonHistory,
    ResearchTopic,
    ServicePeriod,
    Subject,
    UnionOffice,
    Vote,
)

T = TypeVar("T")


class CaseError(ValueError):
    """A case cannot be run; the message (Vietnamese) names the case id and the field."""

    def __init__(self, *, case_id: str, field: str, message: str) -> None:
        self.case_id = case_id
        self.field = field
        super().__init__(f"Tình huống «{case_id}», trường «{field}»: {message}")


class CaseFileError(ValueError):
    """The case file itself cannot be read (message in Vietnamese)."""


@dataclass(frozen=True)
class Case:
    id: str
    award: str
    year: int
    received_on: date
    rule_set: RuleSetSpec
    subject: Subject | None = None
    batch: Batch | None = None
    candidate_subjects: Mapping[str, Subject] = field(default_factory=dict)
    vote: Vote | None = None
    dossier: Dossier = Dossier()
    expect: Mapping[str, Any] | None = None


class _Reader:
    """Typed access to raw JSON values, failing with the case id and the field path."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id

    def fail(self, path: str, message: str) -> NoReturn:
        raise CaseError(case_id=self.case_id, field=path, message=message)

    def obj(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(path, f"phải là một đối tượng JSON {{...}}, nhận được {value!r}")
        return value

    def items(self, value: Any, path: str, parse: Callable[[Any, str], T]) -> tuple[T, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, f"phải là một danh sách [...], nhận được {value!r}")
        return tuple(parse(item, f"{path}[{i}]") for i, item in enumerate(value))

    def integer(
        self, value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                self.fail(path, f"phải là số nguyên, nhận được {value!r}")
        if minimum is not None and value < minimum:
            self.fail(path, f"phải từ {minimum} trở lên, nhận được {value}")
        if maximum is not None and value > maximum:
            self.fail(path, f"không được vượt {maximum}, nhận được {value}")
        return value

    def year(self, value: Any, path: str) -> int:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        return self.integer(value, path, minimum=1945, maximum=2200)

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"phải là true hoặc false, nhận được {value!r}")
        return value

    def text(self, value: Any, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"phải là chuỗi ký tự không rỗng, nhận được {value!r}")
        return value.strip()

    def code(self, value: Any, path: str, allowed: Collection) -> str:
        if value not in allowed:
            self.fail(path, f"giá trị {value!r} không hợp lệ (hợp lệ: {', '.join(sorted(allowed))})")
        return value

    def day(self, value: Any, path: str) -> date:
        if not isinstance(value, str):
            self.fail(path, f"phải là ngày dạng YYYY-MM-DD, nhận được {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"phải là ngày dạng YYYY-MM-DD, nhận được {value!r}")

    def optional_day(self, value: Any, path: str) -> date | None:
        return None if value is None else self.day(value, path)

    def year_map(self, value: Any, path: str, parse: Callable[[Any, str], T]) -> dict[int, T]:
        if value is None:
            return {}
        data = self.obj(value, path)
        return {self.year(k, f"{path}.{k}"): parse(v, f"{path}.{k}") for k, v in data.items()}


def _discipline(r: _Reader, raw: Any, path: str) -> Discipline:
    data = r.obj(raw, path)
    return Discipline(
        level=r.text(data.get("level"), f"{path}.level"), on=r.optional_day(data.get("date"), f"{path}.date")
    )


def _award(r: _Reader, raw: Any, path: str) -> AwardRecord:
    data = r.obj(raw, path)
    achievement = data.get("achievement_id")
    return AwardRecord(
        code=r.text(data.get("code"), f"{path}.code"),
        year=r.year(data.get("year"), f"{path}.year"),
        used=r.boolean(data.get("used", False), f"{path}.used"),
        achievement_id=None if achievement is None else r.text(achievement, f"{path}.achievement_id"),
    )


def _initiative(r: _Reader, raw: Any, path: str) -> Initiative:
    data = r.obj(raw, path)
    return Initiative(
        recognized_on=r.day(data.get("recognized_on"), f"{path}.recognized_on"),
        scope=r.code(data.get("scope"), f"{path}.scope", SCOPE_RANK),
        benefit_vnd=r.integer(data.get("benefit_vnd", 0), f"{path}.benefit_vnd", minimum=0),
    )


def _service(r: _Reader, raw: Any, path: str) -> ServicePeriod:
    data = r.obj(raw, path)
    start = r.day(data.get("from"), f"{path}.from")
    end = r.optional_day(data.get("to"), f"{path}.to")
    if end is not None and end < start:
        r.fail(f"{path}.to", f"ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}")
    return ServicePeriod(start=start, end=end, mode=r.code(data.get("mode"), f"{path}.mode", SERVICE_MODES))


def _office(r: _Reader, raw: Any, path: str) -> UnionOffice:
    data = r.obj(raw, path)
    start = r.day(data.get("from"), f"{path}.from")
    end = r.optional_day(data.get("to"), f"{path}.to")
    if end is not None and end < start:
        r.fail(f"{path}.to", f"ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}")
    return UnionOffice(
        office=r.code(data.get("office"), f"{path}.office", UNION_OFFICES),
        start=start,
        end=end,
        full_term=r.boolean(data.get("full_term", False), f"{path}.full_term"),
    )


def _optional_text(r: _Reader, value: Any, path: str) -> str | None:
    return None if value is None else r.text(value, path)


def parse_subject(r: _Reader, raw: Any, path: str = "subject") -> Subject:
    data = r.obj(raw, path)
    kind = data.get("kind", "collective" if "size" in data else "person")
    r.code(kind, f"{path}.kind", ("person", "collective"))
    discipline = r.items(data.get("discipline"), f"{path}.discipline", lambda v, p: _discipline(r, v, p))
    awards = r.items(data.get("awards"), f"{path}.awards", lambda v, p: _award(r, v, p))
    achievement = _optional_text(r, data.get("achievement_id"), f"{path}.achievement_id")
    if kind == "collective":
        size = r.integer(data.get("size"), f"{path}.size", minimum=1)

        def count(key: str, default: int | None = None) -> int:
            value = data.get(key, default)
            return r.integer(value, f"{path}.{key}", minimum=0, maximum=size)

        return CollectiveHistory(
            size=size,
            completed_duties=count("completed_duties"),
            ldtt_count=count("ldtt_count"),
            cstdcs_count=count("cstdcs_count", 0),
            discipline=discipline,
            led_cluster=r.boolean(data.get("led_cluster", False), f"{path}.led_cluster"),
            awards=awards,
            achievement_id=achievement,
        )
    education = data.get("education")
    return PersonHistory(
        ratings=r.year_map(data.get("ratings"), f"{path}.ratings", lambda v, p: r.code(v, p, RATING_RANK)),
        registered_years=frozenset(
            r.items(data.get("registered_years"), f"{path}.registered_years", lambda v, p: r.year(v, p))
        ),
        months_worked=r.year_map(
            data.get("months_worked"),
            f"{path}.months_worked",
            lambda v, p: r.integer(v, p, minimum=0, maximum=12),
        ),
        absent_days=r.year_map(
            data.get("absent_days"), f"{path}.absent_days", lambda v, p: r.integer(v, p, minimum=0)
        ),
        maternity_days=r.year_map(
            data.get("maternity_days"), f"{path}.maternity_days", lambda v, p: r.integer(v, p, minimum=0)
        ),
        discipline=discipline,
        awards=awards,
        initiatives=r.items(
            data.get("initiatives"), f"{path}.initiatives", lambda v, p: _initiative(r, v, p)
        ),
        research_topics=r.items(
            data.get("research_topics"),
            f"{path}.research_topics",
            lambda v, p: ResearchTopic(accepted_on=r.day(r.obj(v, p).get("accepted_on"), f"{p}.accepted_on")),
        ),
        union_service=r.items(
            data.get("union_service"), f"{path}.union_service", lambda v, p: _service(r, v, p)
        ),
        union_offices=r.items(
            data.get("union_offices"), f"{path}.union_offices", lambda v, p: _office(r, v, p)
        ),
        education=None if education is None else r.code(education, f"{path}.education", EDUCATION_LEVELS),
        is_leader=r.boolean(data.get("is_leader", False), f"{path}.is_leader"),
        management_improvement_recognized=r.boolean(
            data.get("management_improvement_recognized", False), f"{path}.management_improvement_recognized"
        ),
        achievement_id=achievement,
    )


def _vote(r: _Reader, raw: Any) -> Vote:
    data = r.obj(raw, "vote")
    yes = r.integer(data.get("yes"), "vote.yes", minimum=0)
    no = r.integer(data.get("no", 0), "vote.no", minimum=0)
    size = r.integer(data.get("council_size"), "vote.council_size", minimum=1)
    present = r.integer(data.get("present", yes + no), "vote.present", minimum=0, maximum=size)
    if yes + no > present:
        r.fail("vote", f"số đồng ý + không đồng ý ({yes} + {no}) vượt số có mặt ({present})")
    return Vote(council_size=size, present=present, yes=yes, no=no)


def _batch(r: _Reader, raw: Any) -> tuple[Batch, dict[str, Subject]]:
    data = r.obj(raw, "batch")
    subjects: dict[str, Subject] = {}

    def candidate(value: Any, path: str) -> Candidate:
        if not isinstance(value, Mapping):
            return Candidate(id=r.text(value, path))
        ident = r.text(value.get("id"), f"{path}.id")
        if value.get("subject") is not None:
            subjects[ident] = parse_subject(r, value["subject"], f"{path}.subject")
        return Candidate(
            id=ident, federation=_optional_text(r, value.get("federation"), f"{path}.federation")
        )

    candidates = r.items(data.get("candidates"), "batch.candidates", candidate)
    if not candidates:
        r.fail("batch.candidates", "danh sách ứng viên rỗng")
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        r.fail("batch.candidates", "có mã ứng viên trùng nhau")

    def optional_count(key: str) -> int | None:
        return None if data.get(key) is None else r.integer(data[key], f"batch.{key}", minimum=0)

    before = r.obj(data.get("federation_accepted_before", {}), "batch.federation_accepted_before")
    batch = Batch(
        unit=r.text(data.get("unit", "đơn vị"), "batch.unit"),
        candidates=candidates,
        ldtt_count=optional_count("ldtt_count"),
        cluster_leaders=optional_count("cluster_leaders"),
        national_accepted_before=optional_count("national_accepted_before") or 0,
        federation_accepted_before={
            k: r.integer(v, f"batch.federation_accepted_before.{k}", minimum=0) for k, v in before.items()
        },
    )
    return batch, subjects


def _dossier(r: _Reader, data: Mapping[str, Any], received_on: date) -> Dossier:
    issuer = None
    if data.get("issuer") is not None:
        raw = r.obj(data["issuer"], "issuer")
        codes = raw.get("award_codes")
        issuer = Issuer(
            name=r.text(raw.get("name", "Đơn vị ban hành"), "issuer.name"),
            valid_from=r.optional_day(raw.get("valid_from"), "issuer.valid_from"),
            valid_to=r.optional_day(raw.get("valid_to"), "issuer.valid_to"),
            award_codes=None
            if codes is None
            else frozenset(r.items(codes, "issuer.award_codes", lambda v, p: r.code(v, p, AWARDS))),
        )
        if data.get("decision_date") is None:
            r.fail("decision_date", "bắt buộc khi có «issuer» (để kiểm tra R-ORG-02)")
    decision_date = r.optional_day(data.get("decision_date"), "decision_date")
    return Dossier(received_on=received_on, decision_date=decision_date, issuer=issuer)


def parse_case(*, raw: Any, index: int = 0, calendar: Sequence[RuleSetSpec] = DEFAULT_CALENDAR) -> Case:
    fallback_id = f"#{index + 1}"
    if not isinstance(raw, Mapping):
        raise CaseError(
            case_id=fallback_id, field="(tình huống)", message="mỗi tình huống phải là một đối tượng JSON"
        )
    raw_id = raw.get("id")
    case_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id).strip() else fallback_id
    r = _Reader(case_id)
    if raw_id is None:
        r.fail("id", "thiếu mã tình huống")
    award = r.code(raw.get("award"), "award", AWARDS)
    year = r.year(raw.get("year"), "year")
    received_on = r.day(raw.get("received_on"), "received_on")
    try:
        spec = select_rule_set(received_on=received_on, calendar=calendar)
    except RuleSetError as exc:
        r.fail("received_on", str(exc))
    overrides = r.obj(raw.get("rule_set_override") or {}, "rule_set_override")
    try:
        spec = apply_override(spec=spec, overrides=overrides)
    except RuleSetError as exc:
        r.fail("rule_set_override", str(exc))

    present = [key for key in ("subject", "batch", "vote") if raw.get(key) is not None]
    if not present:
        r.fail("subject", "mỗi tình huống cần «subject», «batch» hoặc «vote»")
    if "batch" in present and len(present) > 1:
        r.fail("batch", "tình huống theo lô không được kèm «subject» hoặc «vote»")
    subject = parse_subject(r, raw["subject"]) if "subject" in present else None
    batch, candidate_subjects = _batch(r, raw["batch"]) if "batch" in present else (None, {})
    vote = _vote(r, raw["vote"]) if "vote" in present else None
    expect = raw.get("expect")
    return Case(
        id=case_id,
        award=award,
        year=year,
        received_on=received_on,
        rule_set=spec,
        subject=subject,
        batch=batch,
        candidate_subjects=candidate_subjects,
        vote=vote,
        dossier=_dossier(r, raw, received_on),
        expect=None if expect is None else r.obj(expect, "expect"),
    )


def run_parsed(*, case: Case) -> dict[str, Any]:
    r = _Reader(case.id)
    if case.batch is not None:
        verdicts = {}
        for ident, subject in case.candidate_subjects.items():
            try:
                verdicts[ident] = evaluate(
                    award=case.award,
                    year=case.year,
                    subject=subject,
                    rule_set=case.rule_set,
                    dossier=case.dossier,
                )
            except EngineInputError as exc:
                r.fail(f"batch.candidates[{ident}].subject", str(exc))
        try:
            result = evaluate_batch(
                award=case.award,
                year=case.year,
                batch=case.batch,
                rule_set=case.rule_set,
                candidate_verdicts=verdicts,
            )
        except EngineInputError as exc:
            r.fail("batch", str(exc))
        return {
            "id": case.id,
            "accepted": list(result.accepted),
            "refused": list(result.refused),
            "rules": list(result.rules),
            "deciding": list(result.rules),
            "rule_set": result.rule_set,
            "explanation": result.explanation,
        }
    try:
        if case.subject is None:
            verdict = evaluate_vote(vote=case.vote, rule_set=case.rule_set, award=case.award, year=case.year)
        else:
            verdict = evaluate(
                award=case.award,
                year=case.year,
                subject=case.subject,
                rule_set=case.rule_set,
                dossier=case.dossier,
                vote=case.vote,
            )
    except (EngineInputError, RuleSetError) as exc:
        r.fail("subject" if case.subject is not None else "vote", str(exc))
    return {
        "id": case.id,
        "eligible": verdict.eligible,
        "rules": list(verdict.rules),
        "deciding": list(verdict.deciding),
        "rule_set": verdict.rule_set,
        "explanation": verdict.explanation,
    }


def run_case(
    *, raw: Any, index: int = 0, calendar: Sequence[RuleSetSpec] = DEFAULT_CALENDAR
) -> dict[str, Any]:
    """Parse and run one raw case; returns the output dict printed by the checker."""
    return run_parsed(case=parse_case(raw=raw, index=index, calendar=calendar))


def compare_expectation(*, output: Mapping[str, Any], expect: Mapping[str, Any] | None) -> list[str]:
    """Differences between an output and the case's `expect` (empty list: they agree). Accepted/refused
    lists are compared in order. `rules` names at least the deciding rules and only rules the verdict rests
    on (deciding ⊆ expected ⊆ rules, as sets); `rests_on`, when given, is every rule the verdict rests on."""
    if not expect:
        return ["tình huống không có «expect» để so sánh"]
    problems = []
    compared = False
    for key in ("eligible", "accepted", "refused"):
        if key in expect:
            compared = True
            if output.get(key) != expect[key]:
                problems.append(f"«{key}»: mong đợi {expect[key]!r}, kết quả {output.get(key)!r}")
    rules, deciding = set(output.get("rules", [])), set(output.get("deciding", output.get("rules", [])))
    if "rules" in expect:
        compared = True
        expected = set(expect["rules"])
        if not deciding <= expected <= rules:
            problems.append(
                f"«rules»: mong đợi {expect['rules']!r}, kết quả {output.get('rules')!r} "
                f"(quyết định bởi {output.get('deciding')!r})"
            )
    if "rests_on" in expect:
        compared = True
        if set(expect["rests_on"]) != rules:
            problems.append(f"«rests_on»: mong đợi {expect['rests_on']!r}, kết quả {output.get('rules')!r}")
    if not compared:
        problems.append("«expect» không có trường nào để so sánh (eligible/accepted/refused/rules)")
    return problems


def load_case_file(*, path: str | Path) -> list[Any]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(f"Không tìm thấy tệp tình huống: {file}") from None
    except OSError as exc:
        raise CaseFileError(f"Không đọc được tệp tình huống {file}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"Tệp {file} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(data, list):
        raise CaseFileError(f"Tệp {file} phải chứa một danh sách JSON các tình huống [...]")
    return data
