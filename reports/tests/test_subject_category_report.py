"""The report "Khen thưởng theo phân loại đối tượng": individual awards by subject category — the share of
direct workers, by level of the conferring body, by sector and by sex — scoped to what the officer reads."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from organizations.models import Sector
from reports.selectors import awards_by_subject_category

YEAR = 2025
DIRECT, OFFICIAL, LEADER = "DIRECT_WORKER", "OFFICIAL", "LEADER"


def _award(
    code, *, issuer, person=None, unit=None, scope=None, category="", year=YEAR, number, status="VALID"
):
    return AwardRecord.objects.create(
        person=person,
        unit=unit,
        scope_unit=scope or unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number,
        decision_date=dt.date(year + 1, 1, 10),
        issuing_unit=issuer,
        status=status,
        subject_category=category,
    )


@pytest.fixture
def awards(tree):
    ensure_catalogue()
    t = tree
    # the sector is set on the CĐCS; people's awards are recorded on their union groups below it
    t.ubnd.sector = Sector.objects.get(code="GIAO_DUC")
    t.ubnd.save()
    t.mk.sector = Sector.objects.get(code="Y_TE")
    t.mk.save()
    _award("LDTT", issuer=t.ubnd, person=t.an, scope=t.t1, category=DIRECT, number="1/QĐ-CĐCS")
    _award("LDTT", issuer=t.ubnd, person=t.hoa, scope=t.t2, category=OFFICIAL, number="1/QĐ-CĐCS")
    _award("GK", issuer=t.md, person=t.chu_tich, scope=t.ubnd, category=LEADER, number="5/QĐ-LĐLĐ")
    _award("BK_LDLD", issuer=t.hn, person=t.an, scope=t.t1, category=DIRECT, number="9/QĐ-LĐLĐ")
    _award("GK", issuer=t.md, person=t.hoa, scope=t.t2, number="5/QĐ-LĐLĐ")  # history: not classified
    _award("BK_TTG", issuer=t.vn, person=t.an, scope=t.t1, category=DIRECT, number="3/QĐ-TTg")  # the State
    # not counted: a collective, a revoked award, another year
    _award("TTLDTT", issuer=t.md, unit=t.t1, number="5/QĐ-LĐLĐ")
    _award("CSTDCS", issuer=t.md, person=t.an, scope=t.t1, category=DIRECT, number="6/QĐ", status="REVOKED")
    _award("GK", issuer=t.md, person=t.an, scope=t.t1, category=DIRECT, year=YEAR - 1, number="2/QĐ")
    # another branch (Hai Bà Trưng): a direct worker with a name of ours
    _award("LDTT", issuer=t.mk, person=t.minh_khai, scope=t.mk, category=DIRECT, number="1/QĐ-MK")
    return t


def _row(rows, label):
    return next(r for r in rows if r.label == label)


def test_figures_by_level_sector_and_sex(awards, make_user, django_assert_max_num_queries):
    t = awards
    officer = make_user(Role.OFFICER, t.md)
    with django_assert_max_num_queries(
        4
    ):  # the grouped query, the sectors' names, the unit's path that year (+ scope lookup)
        figures = awards_by_subject_category(user=officer, unit=t.md, year=YEAR)
    total = figures["total"]
    assert total.total == 6
    assert total.direct == 3
    assert total.counts() == [1, 3, 1, 0, 0, 1]  # LEADER, DIRECT, OFFICIAL, UNION_STAFF, OTHER, unclassified

    levels = {r.label: (r.total, r.direct) for r in figures["levels"]}
    assert levels == {
        "Nhà nước": (1, 1),
        "Tổng Liên đoàn": (0, 0),
        "LĐLĐ tỉnh, CĐ ngành TW": (1, 1),
        "LĐLĐ huyện, CĐ cấp trên cơ sở": (2, 0),
        "Công đoàn cơ sở": (2, 1),
    }
    # the union groups have no sector: the CĐCS above them gives it
    assert [(r.label, r.total, r.direct) for r in figures["sectors"]] == [("Giáo dục", 6, 3)]
    sexes = {r.label: (r.total, r.direct) for r in figures["sexes"]}
    assert sexes == {"Nam": (4, 3), "Nữ": (2, 0)}


def test_year_filter_and_the_city_sees_both_branches(awards, make_user):
    t = awards
    city = make_user(Role.OFFICER, t.hn)
    last_year = awards_by_subject_category(user=city, unit=t.md, year=YEAR - 1)["total"]
    assert (last_year.total, last_year.direct) == (1, 1)
    whole = awards_by_subject_category(user=city, unit=t.hn, year=YEAR)
    assert (whole["total"].total, whole["total"].direct) == (7, 4)
    assert [(r.label, r.total) for r in whole["sectors"]] == [("Giáo dục", 6), ("Y tế", 1)]


def test_scope_of_one_unit_only_counts_that_unit(awards, make_user):
    """An officer holding person.view on the CĐCS alone (not its groups) counts only awards recorded there."""
    t = awards
    one_unit = make_user(Role.OFFICER, t.ubnd, include_subtree=False)
    figures = awards_by_subject_category(user=one_unit, unit=t.ubnd, year=YEAR)
    assert (figures["total"].total, figures["total"].counts()[0]) == (1, 1)  # Đặng Đức Thắng, leader


def test_page_counts_only_the_officers_branch(awards, make_user, client):
    t = awards
    client.force_login(make_user(Role.OFFICER, t.md))
    url = reverse("reports:subject_categories", args=[t.md.pk])
    response = client.get(url, {"nam": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="stat-individuals">6<' in body
    assert 'data-testid="stat-direct-share">50,0 %<' in body
    assert "Công nhân, người lao động trực tiếp" in body
    assert "Y tế" not in body  # Minh Khai's award is not counted
    # another branch's page is not found, the district's dashboard links the report
    assert client.get(reverse("reports:subject_categories", args=[t.hbt.pk])).status_code == 404
    dashboard = client.get(reverse("reports:dashboard", args=[t.md.pk]), {"nam": YEAR}).content.decode()
    assert f"{url}?nam={YEAR}" in dashboard


def test_members_neither_open_nor_see_the_link(awards, make_user, client):
    t = awards
    client.force_login(make_user(Role.MEMBER, t.md))
    assert client.get(reverse("reports:subject_categories", args=[t.md.pk])).status_code == 403
    dashboard = client.get(reverse("reports:dashboard", args=[t.md.pk])).content.decode()
    assert 'data-testid="subject-categories"' not in dashboard


def test_outsider_officer_sees_only_their_branch(awards, make_user, client):
    t = awards
    client.force_login(make_user(Role.OFFICER, t.hbt))
    body = client.get(reverse("reports:subject_categories", args=[t.hbt.pk]), {"nam": YEAR}).content.decode()
    assert 'data-testid="stat-individuals">1<' in body
    assert "Giáo dục" not in body
