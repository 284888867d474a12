"""Catalogue and rule sets seeded by data migrations; rule sets as data (R-GEN-02) and new versions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from commendations import services
from commendations.engine import DEFAULT_CALENDAR, evaluate
from commendations.engine.catalogue import AWARD_NAMES
from commendations.models import AwardType, RuleSet
from commendations.reference import ensure_catalogue, ensure_rulesets
from commendations.selectors import RuleSetNotFound, person_histories, ruleset_for
from core.exceptions import ServiceError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_catalogue_seeded_by_migration():
    codes = set(AwardType.objects.values_list("code", flat=True))
    assert codes == set(AWARD_NAMES)
    gk = AwardType.objects.get(code="GK")
    assert gk.kind == "FORM" and gk.subject == "BOTH"
    assert "CDCS" in set(gk.conferring_unit_types.values_list("code", flat=True))
    bk = AwardType.objects.get(code="BK_LDLD")
    assert set(bk.conferring_unit_types.values_list("code", flat=True)) == {"LDLD_TINH", "CD_NGANH"}
    for code in ("BK_TLD", "CO_TD_TLD", "KNC_CD", "LDST", "BK_CD_TLD"):
        types = set(AwardType.objects.get(code=code).conferring_unit_types.values_list("code", flat=True))
        assert types == {"TLD"}, code
    for code in ("CSTD_TQ", "BK_TTG", "CO_TD_CP"):
        award = AwardType.objects.get(code=code)
        assert award.conferred_by_state
        assert set(award.conferring_unit_types.values_list("code", flat=True)) == {"TLD"}
    ldtt = AwardType.objects.get(code="LDTT")
    assert ldtt.kind == "TITLE" and ldtt.subject == "INDIVIDUAL" and ldtt.name == "Lao động tiên tiến"


def test_rulesets_seeded_from_the_default_calendar():
    assert list(RuleSet.objects.order_by("valid_from").values_list("code", flat=True)) == [
        s.code for s in DEFAULT_CALENDAR
    ]
    for spec in DEFAULT_CALENDAR:
        stored = RuleSet.objects.get(code=spec.code).to_spec()
        assert dict(stored.params) == dict(spec.params)
        assert stored.legal_basis == spec.legal_basis
        assert (stored.valid_from, stored.valid_to) == (spec.valid_from, spec.valid_to)


def test_ensure_functions_are_idempotent():
    ensure_catalogue()
    ensure_rulesets()
    assert AwardType.objects.count() == len(AWARD_NAMES)
    assert RuleSet.objects.count() == len(DEFAULT_CALENDAR)


def test_ruleset_for_picks_the_version_in_force_on_the_reception_date():
    assert ruleset_for(received_on=dt.date(2025, 1, 15)).code == "TLD-2024-ND98"
    assert ruleset_for(received_on=dt.date(2025, 6, 30)).code == "TLD-2024-ND98"
    assert ruleset_for(received_on=dt.date(2025, 7, 1)).code == "TLD-2025-ND152"
    with pytest.raises(RuleSetNotFound) as exc:
        ruleset_for(received_on=dt.date(2023, 5, 2))
    assert "Không có bộ quy tắc nào có hiệu lực vào ngày nhận hồ sơ 02/05/2023." in exc.value.message
    assert RuleSet.objects.get(code="TLD-2024-ND98").name in exc.value.message  # named, not coded
    assert not re.search(r"R-[A-Z]+-\d\d|TLD-20\d\d", exc.value.message)


@pytest.fixture
def admin_user(make_user, tree):
    return make_user(Role.ADMIN, tree.vn)


def test_new_version_closes_the_previous_one_the_day_before(admin_user):
    base = RuleSet.objects.get(code="TLD-2025-ND152")
    created = services.ruleset_new_version(
        acting_user=admin_user,
        base=base,
        code="TLD-2026-TEST",
        name="Quy tắc sửa đổi 2026",
        legal_basis="Văn bản sửa đổi giả định",
        valid_from=dt.date(2026, 3, 1),
        params_changes={"vote_threshold": 0.75, "ldtt_max_absent_days": 30},
    )
    base.refresh_from_db()
    assert base.valid_to == dt.date(2026, 2, 28)
    assert created.valid_to is None and created.params["vote_threshold"] == 0.75
    assert created.params["ldtt_max_absent_days"] == 30
    assert created.params["ldtt_min_months"] == base.params["ldtt_min_months"]
    versions = list(RuleSet.objects.order_by("valid_from"))
    for before, after in zip(versions, versions[1:], strict=False):
        assert before.valid_to is not None and before.valid_to < after.valid_from  # never overlap
    event = AuditEvent.objects.get(action="ruleset.create", object_id=str(created.pk))
    assert event.changes["vote_threshold"] == [0.8, 0.75]
    assert AuditEvent.objects.filter(action="ruleset.close", object_id=str(base.pk)).exists()
    # the citations official documents print are the base version's unless given
    assert created.document_basis == base.document_basis and created.to_spec().citations == tuple(
        base.citations
    )


def test_new_version_with_its_own_document_citations(admin_user):
    base = RuleSet.objects.get(code="TLD-2025-ND152")
    created = services.ruleset_new_version(
        acting_user=admin_user,
        base=base,
        code="TLD-2027-TEST",
        name="Quy tắc 2027",
        legal_basis="Nghị định giả định 1/2027/NĐ-CP",
        valid_from=dt.date(2027, 1, 1),
        params_changes={},
        document_basis="Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\nNghị định số 1/2027/NĐ-CP\n",
    )
    assert created.citations == [
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Nghị định số 1/2027/NĐ-CP",
    ]
    # with no citations of its own, a rule set's documents cite its legal basis lines
    RuleSet.objects.filter(pk=created.pk).update(document_basis="")
    created.refresh_from_db()
    assert created.citations == ["Nghị định giả định 1/2027/NĐ-CP"] == list(created.to_spec().citations)


def test_new_version_refusals(admin_user, make_user, tree):
    base = RuleSet.objects.get(code="TLD-2025-ND152")
    kwargs = {"base": base, "name": "X", "legal_basis": "Y", "params_changes": {}}
    with pytest.raises(ServiceError, match="phải bắt đầu sau"):
        services.ruleset_new_version(
            acting_user=admin_user, code="A", valid_from=dt.date(2025, 7, 1), **kwargs
        )
    with pytest.raises(ServiceError, match="đã được dùng"):
        services.ruleset_new_version(
            acting_user=admin_user, code="TLD-2024-ND98", valid_from=dt.date(2026, 1, 1), **kwargs
        )
    with pytest.raises(ServiceError, match="số không âm"):
        services.ruleset_new_version(
            acting_user=admin_user,
            code="B",
            valid_from=dt.date(2026, 1, 1),
            **{**kwargs, "params_changes": {"vote_threshold": -1}},
        )
    with pytest.raises(PermissionDenied):
        services.ruleset_new_version(
            acting_user=make_user(Role.OFFICER, tree.md), code="C", valid_from=dt.date(2026, 1, 1), **kwargs
        )
    assert RuleSet.objects.count() == 2


def test_acceptance_a_new_version_changes_verdicts_only_for_dossiers_received_after_its_start(
    admin_user, tree, history
):
    """Issue 5 acceptance: 35 days absent, HTT, registered in 2025 — eligible for LĐTT under the 40-day limit;
    an administrator lowers the limit to 30 days from 01/03/2026: a dossier received on 15/02/2026 keeps the
    old verdict, one received on 15/03/2026 gets the new one."""
    history.rate(tree.an, 2025, "HTT", absent=35)
    history.register(tree.an, 2025)
    services.ruleset_new_version(
        acting_user=admin_user,
        base=RuleSet.objects.get(code="TLD-2025-ND152"),
        code="TLD-2026-03",
        name="Quy tắc sửa đổi từ 01/03/2026",
        legal_basis="Văn bản sửa đổi giả định",
        valid_from=dt.date(2026, 3, 1),
        params_changes={"ldtt_max_absent_days": 30},
    )
    subject = person_histories(persons=[tree.an], year=2025)[tree.an.pk]

    def verdict(received_on):
        spec = ruleset_for(received_on=received_on).to_spec()
        return evaluate(award="LDTT", year=2025, subject=subject, rule_set=spec)

    before, after = verdict(dt.date(2026, 2, 15)), verdict(dt.date(2026, 3, 15))
    assert before.eligible and before.rule_set == "TLD-2025-ND152"
    assert not after.eligible and after.rule_set == "TLD-2026-03" and "R-LDTT-02" in after.rules
    assert "Nghỉ 35 ngày làm việc" in after.explanation and "mức 30 ngày" in after.explanation
