"""Immutable value types of the eligibility engine (pure Python, no Django).

A selector (later: from the database; today: from a case file) assembles a subject's history into these
objects; the engine only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# Ratings, best last, so that RATING_RANK[a] >= RATING_RANK[b] means "a is at least b".
RATING_RANK: Mapping[str, int] = {"KHT": 0, "HT": 1, "HTT": 2, "HTXS": 3}
# Recognition scope of an initiative, widest last.
SCOPE_RANK: Mapping[str, int] = {"CO_SO": 0, "TINH_BO": 1, "TOAN_QUOC": 2}
# Discipline levels: only KHIEN_TRACH is milder than CANH_CAO; any other level (known or not) counts as
# CANH_CAO or heavier.
MILD_DISCIPLINE_LEVELS = frozenset({"KHIEN_TRACH"})
SERVICE_MODES = frozenset(
    {"FULL_TIME", "PART_TIME", "PART_TIME_NON_STATE", "UNION_PUBLIC_SERVICE", "OUTSIDE_UNION"}
)
UNION_OFFICES = frozenset({"BCH_TLD", "UBKT_TLD", "DOAN_CHU_TICH_TLD"})
EDUCATION_LEVELS = frozenset({"COLLEGE_OR_BELOW", "UNIVERSITY_OR_ABOVE"})


class EngineInputError(ValueError):
    """The engine was given input it cannot evaluate (message in Vietnamese)."""


@dataclass(frozen=True, slots=True)
class Discipline:
    level: str
    on: date | None = None  # None: date unknown — counted against the subject in every year


@dataclass(frozen=True, slots=True)
class AwardRecord:
    code: str
    year: int
    used: bool = False  # already served as prerequisite of a higher award (R-GEN-01)
    achievement_id: str | None = None


@dataclass(frozen=True, slots=True)
class Initiative:
    recognized_on: date
    scope: str  # CO_SO | TINH_BO | TOAN_QUOC
    benefit_vnd: int = 0


@dataclass(frozen=True, slots=True)
class ResearchTopic:
    accepted_on: date


@dataclass(frozen=True, slots=True)
class ServicePeriod:
    start: date
    end: date | None  # None: still serving
    mode: str


@dataclass(frozen=True, slots=True)
class UnionOffice:
    office: str  # BCH_TLD | UBKT_TLD | DOAN_CHU_TICH_TLD
    start: date
    end: date | None = None
    full_term: bool = False


@dataclass(frozen=True, slots=True)
class PersonHistory:
    ratings: Mapping[int, str] = field(default_factory=dict)
    registered_years: frozenset[int] = frozenset()
    months_worked: Mapping[int, int] = field(default_factory=dict)
    absent_days: Mapping[int, int] = field(default_factory=dict)
    maternity_days: Mapping[int, int] = field(default_factory=dict)
    discipline: tuple[Discipline, ...] = ()
    awards: tuple[AwardRecord, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    research_topics: tuple[ResearchTopic, ...] = ()
    union_service: tuple[ServicePeriod, ...] = ()
    union_offices: tuple[UnionOffice, ...] = ()
    education: str | None = None
    is_leader: bool = False
    management_improvement_recognized: bool = False
    achievement_id: str | None = None  # the achievement the nomination cites

    kind = "person"


@dataclass(frozen=True, slots=True)
class CollectiveHistory:
    size: int
    completed_duties: int
    ldtt_count: int
    cstdcs_count: int = 0
    discipline: tuple[Discipline, ...] = ()
    led_cluster: bool = False
    awards: tuple[AwardRecord, ...] = ()
    achievement_id: str | None = None

    kind = "collective"


Subject = PersonHistory | CollectiveHistory


@dataclass(frozen=True, slots=True)
class Issuer:
    """The unit that signs the decision, with its period of existence/authority (R-ORG-02)."""

    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    award_codes: frozenset[str] | None = None  # None: authority for the award not restricted in the data


@dataclass(frozen=True, slots=True)
class Dossier:
    """Facts about the dossier/decision rather than about the subject."""

    received_on: date | None = None
    decision_date: date | None = None
    issuer: Issuer | None = None


@dataclass(frozen=True, slots=True)
class Vote:
    council_size: int
    present: int
    yes: int
    no: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    federation: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    unit: str
    candidates: tuple[Candidate, ...]
    ldtt_count: int | None = None
    cluster_leaders: int | None = None
    national_accepted_before: int = 0
    federation_accepted_before: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    passed: bool
    rule_id: str
    explanation: str  # Vietnamese
    evidence: tuple[str, ...] = ()  # Vietnamese
    also: tuple[str, ...] = ()  # further rules this criterion rests on (a used prerequisite: R-GEN-01 + own)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return (self.rule_id, *self.also)


@dataclass(frozen=True, slots=True)
class Verdict:
    award: str | None
    year: int | None
    eligible: bool
    criteria: tuple[CriterionResult, ...]
    rule_set: str
    explanation: str
    rules: tuple[str, ...]  # every rule the verdict rests on: each rule whose criterion was evaluated
    flags: tuple[str, ...] = ()  # e.g. ISSUER_INVALID: the award must be flagged, not registered
    # the deciding rule IDs: the failed ones if ineligible, else the award's own qualifying rules
    deciding: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CandidateDecision:
    candidate_id: str
    accepted: bool
    rules: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class BatchVerdict:
    award: str
    year: int
    accepted: tuple[str, ...]
    refused: tuple[str, ...]
    rules: tuple[str, ...]
    rule_set: str
    explanation: str
    decisions: tuple[CandidateDecision, ...]
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)
