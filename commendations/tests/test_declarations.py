"""One declaration per award type (issue 11): the catalogue, the engine, the rule-set parameters and their
labels, the required documents, prerequisite consumption, registration titles and document wording are
derived from it — and a new award type needs one declaration plus its rule-set parameters."""

from __future__ import annotations

import dataclasses
import io
from types import MappingProxyType

import pytest
from docx import Document

from commendations.choices import AwardSubject, catalogue_rows
from commendations.engine import DEFAULT_CALENDAR, CollectiveHistory, PersonHistory, RuleSetError, evaluate
from commendations.engine import criteria as c
from commendations.engine.awards import QUALIFYING, Check
from commendations.engine.catalogue import award_name, award_short
from commendations.engine.declarations import (
    ACHIEVEMENT_REPORT,
    DECLARATIONS,
    GENERAL_PARAMS,
    PERSON,
    PROVINCE,
    TITLE,
    AwardDeclaration,
    Param,
    default_params,
    missing_params,
    param_decls,
    register,
    unregister,
)
from commendations.models import AwardType, RuleSet
from commendations.params import PARAM_LABELS, param_rows
from commendations.reference import backfill_params, ensure_catalogue, ensure_rulesets
from nominations.choices import DocumentKind

pytestmark = pytest.mark.django_db


# --- every award type has a declaration, every rule set every parameter ------------------------------


def test_every_award_type_has_a_declaration_and_every_declaration_a_row():
    rows = set(AwardType.objects.values_list("code", flat=True))
    assert rows, "the catalogue is seeded by a data migration"
    assert rows <= set(DECLARATIONS)
    assert {row[0] for row in catalogue_rows()} == set(DECLARATIONS) == rows


def test_every_rule_set_has_every_parameter_its_declarations_need():
    rule_sets = list(RuleSet.objects.all())
    assert rule_sets
    for ruleset in rule_sets:
        assert missing_params(ruleset.params) == [], ruleset.code
    for spec in DEFAULT_CALENDAR:
        assert missing_params(spec.params) == [], spec.code


def test_each_declaration_declares_the_parameters_its_criteria_read():
    """Evaluated with ONLY its own declared parameters (and the general ones), no award misses one."""
    subjects = {
        "person": PersonHistory(ratings={2025: "HTXS"}, registered_years=frozenset({2025})),
        "collective": CollectiveHistory(size=10, completed_duties=10, ldtt_count=8, cstdcs_count=1),
    }
    base = DEFAULT_CALENDAR[-1]
    for code, decl in DECLARATIONS.items():
        params = {p.key: p.default for p in (*decl.params, *GENERAL_PARAMS)}
        spec = dataclasses.replace(base, params=MappingProxyType(params))
        for kind in sorted(decl.subject_kinds):
            evaluate(award=code, year=2025, subject=subjects[kind], rule_set=spec)  # no RuleSetError


def test_parameters_are_declared_once_with_labels_rules_and_defaults():
    keys = [p.key for p in param_decls()]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(DEFAULT_CALENDAR[0].params) == set(PARAM_LABELS)
    for param in param_decls():
        assert param.label and param.rule.startswith("R-"), param.key
    assert PARAM_LABELS["ldtt_min_months"] == (
        "R-LDTT-02",
        "Số tháng công tác tối thiểu trong năm (dưới mức này không xét LĐTT)",
        "tháng",
    )
    assert default_params()["vote_threshold"] == 0.9 and DEFAULT_CALENDAR[1].params["vote_threshold"] == 0.8


def test_tables_derived_from_the_declarations():
    from movements.choices import collective_titles, individual_titles
    from nominations.services import required_documents

    extra = {code for code, d in DECLARATIONS.items() if d.documents}
    assert extra == {"CSTD_BO", "CSTD_TQ", "BK_TLD", "BK_TTG", "CO_TD_TLD", "CO_TD_CP", "LDST"}
    assert required_documents({"GK"}) == [DocumentKind.TO_TRINH, DocumentKind.DANH_SACH]
    assert required_documents({"GK", "CSTD_BO"}) == [
        DocumentKind.TO_TRINH,
        DocumentKind.DANH_SACH,
        DocumentKind.BAO_CAO,
        DocumentKind.BIEN_BAN,
    ]
    prerequisites = {
        code: (d.prerequisite.code, d.prerequisite.count)
        for code, d in DECLARATIONS.items()
        if d.prerequisite
    }
    assert prerequisites == {"CSTD_BO": ("CSTDCS", 3), "CSTD_TQ": ("CSTD_BO", 2), "BK_TTG": ("BK_TLD", 1)}
    assert [code for code, _ in individual_titles()] == ["LDTT", "CSTDCS", "CSTD_BO", "GVNDVN", "LDG_LDST"]
    assert ("CSTD_BO", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh, Tổng LĐ") in individual_titles()
    assert ("GVNDVN", "Giỏi việc nước, đảm việc nhà") in individual_titles()  # a movement title, no award
    assert [code for code, _ in collective_titles()] == ["TTLDTT", "TTLDXS", "CO_TD_TLD", "CDCS_VMXS"]
    assert award_short("CSTDCS") == "CSTĐ cơ sở" and award_name("XYZ") == "XYZ"


def test_register_refuses_a_duplicate_code_or_a_conflicting_parameter():
    with pytest.raises(ValueError, match="đã được khai báo"):
        register(DECLARATIONS["GK"])
    clash = AwardDeclaration(
        "X_CLASH",
        "Thử",
        "Thử",
        TITLE,
        PERSON,
        PROVINCE,
        params=(Param("ldtt_min_months", 6, "R-X-01", "Khác"),),
    )
    with pytest.raises(ValueError, match="ldtt_min_months"):
        register(clash)
    assert "X_CLASH" not in DECLARATIONS


# --- back-filling parameters into existing rule sets --------------------------------------------------


def test_backfill_adds_the_missing_parameters_with_their_defaults_and_keeps_edited_values():
    ruleset = RuleSet.objects.get(code="TLD-2025-ND152")
    params = dict(ruleset.params)
    del params["knc_years"], params["bkttg_prior_awards"]
    params["ldtt_min_months"] = 9  # edited by an administrator
    RuleSet.objects.filter(pk=ruleset.pk).update(params=params)
    assert backfill_params() == {"TLD-2025-ND152": ["bkttg_prior_awards", "knc_years"]}
    ruleset.refresh_from_db()
    assert ruleset.params["knc_years"] == 20 and ruleset.params["bkttg_prior_awards"] == ["BK_TLD"]
    assert ruleset.params["ldtt_min_months"] == 9
    assert backfill_params() == {}  # idempotent


def test_the_data_migration_back_fills_parameters():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("commendations.migrations.0005_ruleset_document_basis_backfill_params")
    ruleset = RuleSet.objects.get(code="TLD-2024-ND98")
    RuleSet.objects.filter(pk=ruleset.pk).update(
        params={k: v for k, v in ruleset.params.items() if k != "cstq_years"}, document_basis=""
    )
    migration.forward(apps, None)
    ruleset.refresh_from_db()
    assert ruleset.params["cstq_years"] == 2
    assert "Nghị định số 98/2023/NĐ-CP" in ruleset.document_basis


# --- a NEW award type: one declaration plus its rule-set parameters -----------------------------------


def _build_test_award(*, subject, year, spec, as_of):
    return [
        Check(
            QUALIFYING,
            c.rating_at_least(
                subject=subject, year=year, minimum=spec.param("dhtn_min_rating"), rule_id="R-DHTN-01"
            ),
        )
    ]


NEW_AWARD = AwardDeclaration(
    "DH_THU_NGHIEM",
    "Danh hiệu Lao động thử nghiệm",
    "LĐ thử nghiệm",
    TITLE,
    PERSON,
    PROVINCE,
    build=_build_test_award,
    rules=("R-DHTN-01",),
    params=(Param("dhtn_min_rating", "HTXS", "R-DHTN-01", "Xếp loại tối thiểu để xét danh hiệu thử nghiệm"),),
    documents=(ACHIEVEMENT_REPORT,),
    registration_title="Lao động thử nghiệm",
)


@pytest.fixture
def new_award():
    register(NEW_AWARD)
    try:
        yield NEW_AWARD
    finally:
        unregister(NEW_AWARD.code)


def test_a_new_award_type_is_picked_up_everywhere(new_award, tree, make_user):
    from accounts.roles import Role
    from commendations.eligibility import _award_types
    from documents.nominations_docs import dossier_to_trinh_docx
    from nominations import services
    from nominations.services import required_documents

    # the catalogue
    row = next(r for r in catalogue_rows() if r[0] == "DH_THU_NGHIEM")
    assert row[1:5] == ("Danh hiệu Lao động thử nghiệm", "LĐ thử nghiệm", "TITLE", AwardSubject.INDIVIDUAL)
    ensure_catalogue()
    award_type = AwardType.objects.get(code="DH_THU_NGHIEM")
    assert award_type.name == "Danh hiệu Lao động thử nghiệm"
    assert set(award_type.conferring_unit_types.values_list("code", flat=True)) == set(PROVINCE)

    # the rule-set parameters: existing rows lack it until the back-fill gives them the declared default
    assert all(missing_params(r.params) == ["dhtn_min_rating"] for r in RuleSet.objects.all())
    ensure_rulesets()  # back-fills (the demo loader path; a data migration calls backfill_params)
    assert all(missing_params(r.params) == [] for r in RuleSet.objects.all())
    spec = RuleSet.objects.get(code="TLD-2025-ND152").to_spec()
    assert spec.params["dhtn_min_rating"] == "HTXS"

    # the labels
    assert PARAM_LABELS["dhtn_min_rating"] == (
        "R-DHTN-01",
        "Xếp loại tối thiểu để xét danh hiệu thử nghiệm",
        "",
    )
    shown = {r["key"]: r for r in param_rows(RuleSet.objects.get(code="TLD-2025-ND152").params)}
    assert shown["dhtn_min_rating"]["label"] == "Xếp loại tối thiểu để xét danh hiệu thử nghiệm"
    assert shown["dhtn_min_rating"]["rule"] == "R-DHTN-01"

    # the engine
    good = PersonHistory(ratings={2025: "HTXS"})
    verdict = evaluate(award="DH_THU_NGHIEM", year=2025, subject=good, rule_set=spec)
    assert verdict.eligible and verdict.rules == ("R-DHTN-01",)
    assert verdict.explanation.startswith("Danh hiệu Lao động thử nghiệm năm 2025: Đủ điều kiện")
    assert not evaluate(
        award="DH_THU_NGHIEM", year=2025, subject=PersonHistory(ratings={2025: "HTT"}), rule_set=spec
    ).eligible
    without = dataclasses.replace(spec, params=MappingProxyType(dict(DEFAULT_CALENDAR[1].params)))
    with pytest.raises(RuleSetError, match="dhtn_min_rating"):
        evaluate(award="DH_THU_NGHIEM", year=2025, subject=good, rule_set=without)
    assert award_type in _award_types(kind="person")

    # the titles offered when registering for a movement (movements reads commendations' source lazily)
    from movements.choices import individual_titles

    assert individual_titles()[3] == ("DH_THU_NGHIEM", "Lao động thử nghiệm")  # after the catalogue's

    # the documents: required ones and the wording of the tờ trình
    assert required_documents({"DH_THU_NGHIEM"}) == [
        DocumentKind.TO_TRINH,
        DocumentKind.DANH_SACH,
        DocumentKind.BAO_CAO,
    ]
    officer = make_user(Role.OFFICER, tree.ubnd)
    dossier = services.dossier_create(
        acting_user=officer, proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Hồ sơ thử nghiệm"
    )
    item = services.item_add(
        acting_user=officer,
        dossier=dossier,
        award_type=award_type,
        person=tree.an,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ",
        override_reason="Thử nghiệm",
    )
    assert item.verdict["rules"] == ["R-DHTN-01"]
    document = Document(io.BytesIO(dossier_to_trinh_docx(dossier)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1. Danh hiệu Lao động thử nghiệm: 01 cá nhân." in text


def test_unregistering_the_new_award_leaves_the_catalogue_as_declared(new_award):
    unregister(new_award.code)
    assert "DH_THU_NGHIEM" not in DECLARATIONS and "dhtn_min_rating" not in PARAM_LABELS
    register(new_award)  # the fixture unregisters it again
