"""Every case of the case files: verdict (eligible or accepted list), deciding rules, every rule the verdict
rests on, rule set. Pure engine — no database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from commendations.engine.cases import compare_expectation, run_case

DATA = Path(__file__).parent / "data"
# eligibility-cases.json is the shared file as published (domain/); the others are ours
CASE_FILES = ("eligibility-cases.json", "cases-rules-md.json", "cases-verdict-rules.json")


def _cases() -> list:
    params = []
    for name in CASE_FILES:
        for raw in json.loads((DATA / name).read_text(encoding="utf-8")):
            params.append(pytest.param(raw, id=f"{name}:{raw['id']}"))
    return params


@pytest.mark.parametrize("raw", _cases())
def test_case_verdict_rules_and_rule_set(raw):
    output = run_case(raw=raw)
    expect = raw["expect"]

    if "accepted" in expect:
        assert "eligible" not in output
        assert output["accepted"] == expect["accepted"]
        if "refused" in expect:
            assert output["refused"] == expect["refused"]
        candidates = [c if isinstance(c, str) else c["id"] for c in raw["batch"]["candidates"]]
        assert sorted(output["accepted"] + output["refused"]) == sorted(candidates)
    else:
        assert output["eligible"] is expect["eligible"]
    # `expect.rules` are the deciding rules; the verdict's `rules` name every rule it rests on (rules.md)
    assert sorted(output["deciding"]) == sorted(expect["rules"])
    assert set(expect["rules"]) <= set(output["rules"])
    if "rests_on" in expect:
        assert sorted(output["rules"]) == sorted(expect["rests_on"])
    assert compare_expectation(output=output, expect=expect) == []
    assert output["rule_set"].strip()
    assert output["rule_set"] in output["explanation"]
    assert output["id"] == raw["id"]


def test_rules_md_file_covers_all_26_numbered_cases():
    ids = {raw["id"] for raw in json.loads((DATA / "cases-rules-md.json").read_text(encoding="utf-8"))}
    numbers = {int(m.group(1)) for i in ids if (m := re.fullmatch(r"rm-(\d\d)(?:-.+)?", i))}
    assert numbers == set(range(1, 27))


@pytest.mark.parametrize(
    ("case_id", "rule_set"),
    [("rm-12", "TLD-2024-ND98"), ("rm-12-nd152", "TLD-2025-ND152"), ("rm-11", "TLD-2024-ND98")],
)
def test_reception_date_selects_the_rule_set(case_id, rule_set):
    raw = next(
        c
        for c in json.loads((DATA / "cases-rules-md.json").read_text(encoding="utf-8"))
        if c["id"] == case_id
    )
    assert run_case(raw=raw)["rule_set"] == rule_set


def test_rule_set_override_is_named_in_the_output():
    raw = next(
        c
        for c in json.loads((DATA / "eligibility-cases.json").read_text(encoding="utf-8"))
        if c["id"] == "case-12"
    )
    output = run_case(raw=raw)
    assert output["rule_set"].startswith("TLD-2024-ND98")
    assert "vote_threshold" in output["rule_set"]
    assert "81,25 %" in output["explanation"]
    assert "90 %" in output["explanation"]


def test_our_case_files_state_every_rule_a_verdict_rests_on():
    for name in CASE_FILES[1:]:
        for raw in json.loads((DATA / name).read_text(encoding="utf-8")):
            assert "rests_on" in raw["expect"], f"{name}:{raw['id']}"


def test_a_verdict_resting_on_more_rules_than_expected_fails_the_check():
    raw = next(
        c
        for c in json.loads((DATA / "cases-verdict-rules.json").read_text(encoding="utf-8"))
        if c["id"] == "vr-bkttg-used"
    )
    output = run_case(raw=raw)
    assert compare_expectation(output=output, expect={"eligible": False, "rules": ["R-GEN-01"]}) == []
    # naming a rule the verdict does not rest on, or leaving out the deciding one, is a mismatch
    assert compare_expectation(output=output, expect={"rules": ["R-GEN-01", "R-LDTT-01"]})
    assert compare_expectation(output=output, expect={"rules": ["R-BKTTG-01"]})
    assert compare_expectation(output=output, expect={"rests_on": ["R-GEN-01"]})
