"""Rule and award catalogue: IDs in the order of rules.md, Vietnamese names of awards (declarations.py)."""

from __future__ import annotations

from collections.abc import Iterable

from .declarations import AWARD_NAMES  # code -> (full name, short name), read live from the declarations

RULE_IDS: tuple[str, ...] = (
    "R-GEN-01",
    "R-GEN-02",
    "R-LDTT-01",
    "R-LDTT-02",
    "R-CSCS-01",
    "R-CSCS-02",
    "R-CSBO-01",
    "R-CSTQ-01",
    "R-TTTT-01",
    "R-TTXS-01",
    "R-COCP-01",
    "R-BK-01",
    "R-BKTTG-01",
    "R-BKCD-01",
    "R-LDST-01",
    "R-KNC-01",
    "R-KNC-02",
    "R-VOTE-01",
    "R-ORG-01",
    "R-ORG-02",
    "R-REV-01",
)
_RULE_POSITION = {rule_id: index for index, rule_id in enumerate(RULE_IDS)}


def award_name(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[0]


def award_short(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[1]


def ordered_rules(rule_ids: Iterable[str]) -> tuple[str, ...]:
    """Unique rule IDs in catalogue order (unknown IDs last, in order of appearance)."""
    unique = list(dict.fromkeys(rule_ids))
    return tuple(sorted(unique, key=lambda r: (_RULE_POSITION.get(r, len(RULE_IDS)), unique.index(r))))
