"""Eligibility engine for emulation titles and commendations: pure Python, no Django or database access.

A selector assembles a subject's history (types.py), a RuleSetSpec carries the parameters in force
(rulesets.py), and the engine returns explained verdicts (engine.py). Award types are declared once
(declarations.py: the registry; awards.py: the catalogue's declarations with their criteria); the Django side
reads the declarations, never the reverse.
"""

from .engine import evaluate, evaluate_batch, evaluate_vote
from .rulesets import DEFAULT_CALENDAR, RuleSetError, RuleSetSpec, apply_override, select_rule_set
from .types import (
    Batch,
    BatchVerdict,
    Candidate,
    CollectiveHistory,
    CriterionResult,
    Dossier,
    EngineInputError,
    PersonHistory,
    Verdict,
    Vote,
)

__all__ = [
    "DEFAULT_CALENDAR",
    "Batch",
    "BatchVerdict",
    "Candidate",
    "CollectiveHistory",
    "CriterionResult",
    "Dossier",
    "EngineInputError",
    "PersonHistory",
    "RuleSetError",
    "RuleSetSpec",
    "Verdict",
    "Vote",
    "apply_override",
    "evaluate",
    "evaluate_batch",
    "evaluate_vote",
    "select_rule_set",
]
