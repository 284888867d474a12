"""Screens: person and unit eligibility, the award registry, the rule sets — rights and query budgets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from commendations.models import AwardRecord, RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def star(tree, history):
    """Nguyễn Văn An: CSTĐCS 2022–2024 and a city-level initiative in 2024 → CSTĐ cấp bộ 2024."""
    an = tree.an
    for year in (2022, 2023, 2024):
        history.ldtt_year(an, year, "HTXS")
        history.award(an, "CSTDCS", year)
    history.initiative(an, dt.date(2024, 12, 12), level="TINH_BO")
    return an


def test_person_page_lists_every_individual_award_with_explanations(officer_client, star):
    response = officer_client.get(reverse("commendations:person", args=[star.pk]), {"nam": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Có thể đề nghị khen thưởng gì?" in html
    report = response.context["report"]
    verdicts = {row.award_type.code: row.verdict for row in report.rows}
    assert set(verdicts) >= {
        "LDTT",
        "CSTDCS",
        "CSTD_BO",
        "CSTD_TQ",
        "BK_TLD",
        "BK_TTG",
        "LDST",
        "KNC_CD",
        "GK",
    }
    assert "TTLDTT" not in verdicts
    assert verdicts["LDTT"].eligible and verdicts["CSTDCS"].eligible and verdicts["CSTD_BO"].eligible
    assert "Đạt CSTĐ cơ sở 3 năm liên tục: 2022, 2023, 2024" in html
    # received 15/01/2025: the rule set of Nghị định 98/2023, by its name; rules by theirs, never their IDs
    assert RuleSet.objects.get(code="TLD-2024-ND98").name in html
    assert "Tiêu chuẩn Chiến sĩ thi đua cấp bộ, ngành, tỉnh" in html
    assert not re.search(r"R-[A-Z]+-\d\d|TLD-20\d\d", html)
    assert "Nghị định 98/2023/NĐ-CP" in html
    assert not verdicts["KNC_CD"].eligible


def test_person_page_rule_set_by_reception_date_and_missing_rule_set(officer_client, star):
    url = reverse("commendations:person", args=[star.pk])
    response = officer_client.get(url, {"nam": 2024, "ngay_nhan": "2025-08-01"})
    assert response.context["report"].ruleset.code == "TLD-2025-ND152"
    response = officer_client.get(url, {"nam": 2022})
    assert response.status_code == 200
    assert "Không có bộ quy tắc nào có hiệu lực vào ngày nhận hồ sơ 15/01/2023" in response.content.decode()


def test_person_page_rights(client, make_user, tree, star):
    url = reverse("commendations:person", args=[star.pk])
    client.force_login(make_user(Role.OFFICER, tree.nb))
    assert client.get(url).status_code == 404  # outside the scope
    client.force_login(make_user(Role.MEMBER, tree.ubnd))
    assert client.get(url).status_code == 403  # no person.view anywhere
    own = make_user(Role.MEMBER, tree.ubnd)
    own.person = star
    own.save()
    client.force_login(own)
    assert client.get(url).status_code == 200  # a member sees their own page
    assert client.get(reverse("commendations:person", args=[tree.hoa.pk])).status_code == 403


def test_unit_page_verdicts_and_eligible_members(officer_client, tree, star, history):
    hoa = tree.hoa
    history.ldtt_year(hoa, 2024)
    response = officer_client.get(reverse("commendations:unit", args=[tree.ubnd.pk]), {"nam": 2024})
    assert response.status_code == 200
    report = response.context["report"]
    assert [a.code for a in report.columns] == ["LDTT", "CSTDCS", "CSTD_BO", "BK_TLD", "KNC_CD", "LDST"]
    assert report.full  # 3 members: the collective is judged on the page as well
    eligible = {
        a.code: {m.person.pk for m in report.members if m.verdicts[i].eligible}
        for i, a in enumerate(report.columns)
    }
    assert eligible["LDTT"] == {star.pk, hoa.pk}
    assert eligible["CSTD_BO"] == {star.pk}
    # R-CSCS-02: floor(0.15 × 2) = 0 → An is eligible individually but beyond the quota
    assert eligible["CSTDCS"] == {star.pk}
    assert [m.person.pk for m in report.members if m.beyond_quota] == [star.pk]
    assert {row.award_type.code for row in report.rows} >= {"TTLDTT", "TTLDXS", "CO_TD_CP"}
    html = response.content.decode()
    assert "Điều kiện của từng đoàn viên" in html and "Nguyễn Văn An" in html
    assert "Vượt hạn mức" in html and 'data-testid="quota-note"' in html
    assert "Đánh giá toàn đơn vị" in html and 'value="eligibility_xlsx"' in html


def test_unit_page_rights(client, make_user, tree):
    url = reverse("commendations:unit", args=[tree.ubnd.pk])
    client.force_login(make_user(Role.OFFICER, tree.nb))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.MEMBER, tree.ubnd))
    assert client.get(url).status_code == 403


def test_unit_page_query_count_does_not_grow_with_members(officer_client, tree, history):
    """A small unit (judged whole on the page, up to THIDUA_ELIGIBILITY_FULL_MAX members) costs the same
    queries whatever its size; see test_unit_eligibility.py for the paged page of a large unit."""
    small = history.members(tree.mk, 3)
    large = history.members(tree.yk_ubnd, 30)
    for p in small + large:
        history.ldtt_year(p, 2024)
        history.initiative(p, dt.date(2024, 5, 5))
        history.award(p, "LDTT", 2023)
    officer_client.force_login(User.objects.create_superuser("root", password="pw"))

    def count(unit):
        with CaptureQueriesContext(connection) as ctx:
            response = officer_client.get(reverse("commendations:unit", args=[unit.pk]), {"nam": 2024})
        assert response.status_code == 200
        assert response.context["report"].full
        return len(ctx.captured_queries), response.context["page"].paginator.count

    (n_small, size_small), (n_large, size_large) = count(tree.mk), count(tree.yk_ubnd)
    assert (size_small, size_large) == (4, 31)  # with the members of the fixture tree
    assert n_small == n_large <= 19, (
        n_small,
        n_large,
    )  # session, user, unit, count, page, rule set, members, 5 histories…, the predecessors whose titles
    # pass (R-ORG-01), the unread count of the bell


def test_unit_detail_page_shows_the_card(officer_client, tree, officer, history):
    history.award(tree.an, "LDTT", 2024)
    response = officer_client.get(reverse("organizations:detail", args=[tree.ubnd.pk]), {"nam": 2024})
    html = response.content.decode()
    assert 'data-testid="unit-eligibility-card"' in html and "LĐTT" in html
    assert reverse("commendations:unit", args=[tree.ubnd.pk]) in html


def test_records_list_and_enter(officer_client, tree):
    url = reverse("commendations:records")
    response = officer_client.get(url, {"don_vi": tree.ubnd.pk})
    assert response.status_code == 200 and "Ghi sổ khen thưởng" in response.content.decode()
    create = reverse("commendations:record_create") + f"?don_vi={tree.ubnd.pk}"
    assert officer_client.get(create).status_code == 200
    data = {
        "person": tree.an.pk,
        "award_type": AwardRecord._meta.get_field("award_type").related_model.objects.get(code="GK").pk,
        "year": 2024,
        "decision_number": "45/QĐ-LĐLĐ",
        "decision_date": "2024-12-20",
        "issuing_unit": tree.md.pk,
    }
    response = officer_client.post(create, data)
    assert response.status_code == 302
    assert AwardRecord.objects.filter(person=tree.an, decision_number="45/QĐ-LĐLĐ").exists()
    # a second Giấy khen in the year, by another decision (of the CĐCS, which may confer it), is accepted
    response = officer_client.post(
        create, {**data, "issuing_unit": tree.ubnd.pk, "decision_number": "9/QĐ-CĐ"}
    )
    assert response.status_code == 302
    response = officer_client.post(create, data)
    assert "đã có Giấy khen năm 2024" in response.content.decode()
    assert officer_client.get(url, {"don_vi": tree.ubnd.pk}).context["page"].paginator.count >= 1


def test_records_rights(client, make_user, tree):
    client.force_login(make_user(Role.MEMBER, tree.ubnd))
    assert client.get(reverse("commendations:records")).status_code == 403
    client.force_login(make_user(Role.LEADER, tree.md))
    assert client.get(reverse("commendations:records")).status_code == 200
    assert client.get(reverse("commendations:record_create") + f"?don_vi={tree.ubnd.pk}").status_code == 403
    client.force_login(make_user(Role.OFFICER, tree.nb))
    assert client.get(reverse("commendations:record_create") + f"?don_vi={tree.ubnd.pk}").status_code == 404


def test_rulesets_screens(client, make_user, tree):
    base = RuleSet.objects.get(code="TLD-2025-ND152")
    client.force_login(make_user(Role.OFFICER, tree.md))
    assert client.get(reverse("commendations:rulesets")).status_code == 200
    detail = client.get(reverse("commendations:ruleset_detail", args=[base.pk]))
    html = detail.content.decode()
    assert "Tỷ lệ phiếu đồng ý tối thiểu trên tổng số thành viên Hội đồng" in html
    assert "Tỷ lệ phiếu đồng ý của Hội đồng Thi đua – Khen thưởng" in html  # the rule, by its name
    assert not re.search(r"R-[A-Z]+-\d\d|TLD-20\d\d|vote_threshold", html)
    assert "Nghị định 152/2025/NĐ-CP" in html and "Thêm phiên bản mới" not in html
    # what official documents cite under this rule set
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết" in html
    new = reverse("commendations:ruleset_new", args=[base.pk])
    assert client.get(new).status_code == 403

    client.force_login(make_user(Role.ADMIN, tree.vn))
    form = client.get(new).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(code="TLD-2026-TEST", valid_from="2026-03-01", p_vote_threshold="0,75")
    response = client.post(new, data)
    assert response.status_code == 302, response.context["form"].errors
    created = RuleSet.objects.get(code="TLD-2026-TEST")
    assert created.params["vote_threshold"] == 0.75
    assert created.document_basis == base.document_basis  # the form is prefilled with the base's citations
    assert "152/2025" in created.citations[1]
    assert (
        created.params["bkttg_prior_awards"] == ["BK_TLD"]
        and created.params["inherit_on_consolidation"] is False
    )
    base.refresh_from_db()
    assert base.valid_to == dt.date(2026, 2, 28)


def test_index_sends_each_user_to_a_page_they_may_open(client, make_user, tree):
    client.force_login(make_user(Role.OFFICER, tree.md))
    assert client.get(reverse("commendations:index")).url == reverse("commendations:records")
    member = make_user(Role.MEMBER, tree.ubnd)
    member.person = tree.hoa
    member.save()
    client.force_login(member)
    response = client.get(reverse("commendations:index"))
    assert response.url == reverse("commendations:person", args=[tree.hoa.pk])
    assert client.get(response.url).status_code == 200
