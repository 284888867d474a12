"""Bridge between nominations and the eligibility engine: verdict snapshots for nominees and the vote
threshold of the rule set in force. Histories come from the commendations selectors (bounded queries)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from commendations.engine.engine import evaluate


def _rule_set(received_on: dt.date):
    from commendations.selectors import ruleset_for

    return ruleset_for(received_on=received_on).to_spec()


def evidence_text(evidence) -> str:
    """The engine's evidence (a tuple of Vietnamese sentences) as one line for screens and snapshots."""
    return "; ".join(str(e) for e in evidence or ())


def check_items(*, items, received_on: dt.date, year: int) -> None:
    """Run the engine for every item and store the verdict snapshot on it (explanations included)."""
    compute_verdicts(items=items, received_on=received_on, year=year)
    for item in items:
        item.save(update_fields=["verdict"])


def compute_verdicts(*, items, received_on: dt.date, year: int) -> None:
    """The engine's verdict snapshot of every item, set on `item.verdict` without saving (the items may
    be unsaved: an import's plan, a bulk add) — the histories are read once for all items."""
    from commendations.selectors import person_histories, unit_histories

    if not items:
        return
    spec = _rule_set(received_on)
    persons = {i.person_id: i.person for i in items if i.person_id}
    units = {i.unit_id: i.unit for i in items if i.unit_id}
    person_history = person_histories(persons=list(persons.values()), year=year) if persons else {}
    unit_history = unit_histories(units=list(units.values()), year=year) if units else {}
    for item in items:
        subject = person_history.get(item.person_id) if item.person_id else unit_history.get(item.unit_id)
        if subject is not None and item.achievement_id:  # the achievement this nomination cites (R-GEN-01)
            subject = dataclasses.replace(subject, achievement_id=item.achievement_id)
        verdict = evaluate(award=item.award_type.code, year=year, subject=subject, rule_set=spec)
        item.verdict = {
            "eligible": verdict.eligible,
            "rules": list(verdict.rules),  # every rule the verdict rests on
            "deciding": list(verdict.deciding),
            "rule_set": verdict.rule_set,
            "explanation": verdict.explanation,
            "criteria": [
                {
                    "rule": c.rule_id,
                    "passed": c.passed,
                    "explanation": c.explanation,
                    "evidence": evidence_text(c.evidence),
                }
                for c in verdict.criteria
            ],
        }


def vote_threshold(*, received_on: dt.date | None) -> tuple[float, str]:
    spec = _rule_set(received_on or timezone.localdate())
    return float(spec.params["vote_threshold"]), spec.code
