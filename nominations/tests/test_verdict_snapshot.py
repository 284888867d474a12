"""The verdict snapshot of a nominee (issue 11): the rules it rests on, the deciding ones, and the engine's
evidence as readable text — not the repr of a Python tuple."""

import pytest

from accounts.roles import Role
from nominations import services
from nominations.eligibility import evidence_text

pytestmark = pytest.mark.django_db


def test_evidence_text_joins_the_sentences():
    assert evidence_text(("Xếp loại 2026: HTXS",)) == "Xếp loại 2026: HTXS"
    assert evidence_text(("Số ngày nghỉ năm 2025: 3", "Nghỉ thai sản năm 2025: 2 ngày")) == (
        "Số ngày nghỉ năm 2025: 3; Nghỉ thai sản năm 2025: 2 ngày"
    )
    assert evidence_text(()) == "" and evidence_text(None) == ""


def test_snapshot_names_its_rules_and_prints_evidence_as_text(tree, make_user):
    from commendations.models import AwardType

    officer = make_user(Role.OFFICER, tree.ubnd)
    dossier = services.dossier_create(
        acting_user=officer, proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Hồ sơ LĐTT"
    )
    item = services.item_add(
        acting_user=officer,
        dossier=dossier,
        award_type=AwardType.objects.get(code="LDTT"),
        person=tree.an,
        achievement_summary="Hoàn thành tốt nhiệm vụ",
        override_reason="Thử",
    )
    verdict = item.verdict
    assert verdict["rules"] == ["R-LDTT-01", "R-LDTT-02"]  # an LĐTT verdict rests on both rules
    assert set(verdict["deciding"]) <= set(verdict["rules"])
    evidence = [c["evidence"] for c in verdict["criteria"] if c["evidence"]]
    assert evidence and all("('" not in e and not e.startswith("(") for e in evidence)
    assert "2025: —" in evidence  # no rating entered for 2025
