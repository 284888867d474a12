"""Issue 15: the demo tells the 2025 story — the tree of today reflects 01/07/2025 (Mỹ Đức, Hai Bà Trưng
and Yên Khánh dissolved, Ninh Bình consolidated with Hà Nam and Nam Định), done through the services,
while the years before are still reported on the tree as it stood then."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import RoleAssignment
from core.models import AuditEvent
from organizations import tree as dated
from organizations.models import OrgUnit, Succession
from reports.selectors import rollup

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2025, 6, 30)


def unit(code):
    return OrgUnit.objects.get(code=code)


def parent_code(code):
    return OrgUnit.objects.get_parent(unit(code)).code


@pytest.fixture
def demo(settings):
    settings.DEMO_RESTRUCTURE_2025 = True  # the test settings keep the tree of before 01/07/2025
    call_command("load_demo", verbosity=0, stdout=StringIO())


def test_the_districts_are_dissolved_into_the_city_federation_and_their_unions_moved(demo):
    hn = unit("HN")
    for code in ("HN-MD", "HN-HBT"):
        district = unit(code)
        assert district.valid_to == LAST_DAY and district.successor_id == hn.pk
        assert not OrgUnit.objects.get_children(district).exists()
        succession = Succession.objects.get(predecessor=district)
        assert succession.successor_id == hn.pk and succession.kind == Succession.Kind.DISSOLVE
        assert succession.document_number.endswith("/QĐ-LĐLĐ") and succession.on == dt.date(2025, 7, 1)
    # today the CĐCS sit directly under the city federation, their union groups and members with them
    for code in ("HN-MD-UBND", "HN-MD-TTYT", "HN-MD-MAY", "HN-HBT-MK", "HN-HBT-BK"):
        assert parent_code(code) == "HN", code
    ubnd = unit("HN-MD-UBND")
    assert OrgUnit.objects.filter(path__startswith=ubnd.path, unit_type__code="TO_CD").count() == 18
    # 31/12/2024 still had them under Mỹ Đức
    md = unit("HN-MD")
    assert {u.code for u in dated.children_on(md, dt.date(2024, 12, 31))} >= {"HN-MD-UBND", "HN-MD-XHS"}
    # done by the system administrator through the services (audited), not written in behind them
    dissolved = AuditEvent.objects.filter(action="orgunit.dissolve", unit=md).get()
    assert dissolved.actor.username == "admin" and "1865/QĐ-LĐLĐ" in dissolved.summary
    # the district's officers' roles ended with it
    assert set(RoleAssignment.objects.filter(unit=md).values_list("user__username", "valid_to")) >= {
        ("canbo.myduc", LAST_DAY),
        ("lanhdao.myduc", LAST_DAY),
    }


def test_ninh_binh_is_consolidated_with_ha_nam_and_nam_dinh(demo):
    new = unit("NB2025")
    assert new.name == "Liên đoàn Lao động tỉnh Ninh Bình" and new.valid_from == dt.date(2025, 7, 1)
    assert parent_code("NB2025") == "VN"
    for code in ("NB", "HNA", "ND"):
        old = unit(code)
        assert old.valid_to == LAST_DAY and old.successor_id == new.pk
        assert Succession.objects.get(predecessor=old).kind == Succession.Kind.CONSOLIDATE
    # Yên Khánh went into the new province with Ninh Bình, then was dissolved into it
    yk = unit("NB-YK")
    assert yk.valid_to == LAST_DAY and yk.successor_id == new.pk
    for code in ("NB-YK-UBND", "NB-YK-KCN", "HNA-BVDK", "HNA-THPTBH", "ND-DETMAY", "ND-BVDK"):
        assert parent_code(code) == "NB2025", code
    # the old federation's officers carry on in the new one
    held = set(
        RoleAssignment.objects.filter(unit=new).values_list("user__username", "valid_from", "valid_to")
    )
    assert ("canbo.ninhbinh", dt.date(2025, 7, 1), None) in held
    assert ("lanhdao.ninhbinh", dt.date(2025, 7, 1), None) in held
    # the past years report the old provinces with their own unions
    for code, members in (("NB", 338), ("HNA", 101), ("ND", 133)):
        figures = rollup(unit=unit(code), year=2024)
        assert figures["members"] == members and figures["cdcs"] == 3, code
    assert rollup(unit=new, year=2026)["members"] == 338 + 101 + 133
    assert rollup(unit=new, year=2026)["cdcs"] == 9


def test_my_ducs_past_years_keep_their_figures_after_the_dissolution(demo):
    md, hn = unit("HN-MD"), unit("HN")
    for year, collectives, individuals in ((2023, 0, 201), (2024, 44, 22)):
        figures = rollup(unit=md, year=year)
        assert figures["members"] == 665 and figures["cdcs"] == 7, year
        # 2024: the year-end review of the seed news (reports/demo.py), 2023: mostly Lao động tiên tiến
        assert (figures.get("aw_tt", 0), figures.get("aw_cn", 0)) == (collectives, individuals), year
        city = rollup(unit=hn, year=year)
        assert city.get("aw_tt", 0) == collectives and city.get("aw_cn", 0) == individuals, year
    # today the district has nothing of its own; the city holds its unions
    now = dated.current_year()
    assert rollup(unit=md, year=now).get("members", 0) == 0
    assert rollup(unit=hn, year=now)["members"] == rollup(unit=hn, year=2024)["members"]
    # Hà Nội's 2023 tree lists Mỹ Đức as a child; today's lists its CĐCS instead
    then = {u.code for u, _ in dated.year_children(unit=hn, year=2023)}
    today = {u.code for u, _ in dated.year_children(unit=hn, year=now)}
    assert "HN-MD" in then and "HN-MD-UBND" not in then
    assert "HN-MD-UBND" in today and "HN-MD" not in today


def test_a_second_load_changes_nothing(demo):
    before = (
        OrgUnit.objects.count(),
        Succession.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )
    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    assert "Dữ liệu mẫu đã có sẵn, không thay đổi gì." in out.getvalue()
    assert (
        OrgUnit.objects.count(),
        Succession.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_a_demo_loaded_before_2025_is_restructured_by_the_next_load(settings):
    settings.DEMO_RESTRUCTURE_2025 = True
    call_command("load_demo", "--before-2025", verbosity=0, stdout=StringIO())
    assert unit("HN-MD").valid_to is None and parent_code("HN-MD-UBND") == "HN-MD"
    assert not OrgUnit.objects.filter(code="NB2025").exists()
    before = rollup(unit=unit("HN-MD"), year=2024)
    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    assert "Đã tạo dữ liệu mẫu: 4 bước sắp xếp tổ chức ngày 01/07/2025." in out.getvalue()
    assert unit("HN-MD").valid_to == LAST_DAY and parent_code("HN-MD-UBND") == "HN"
    assert rollup(unit=unit("HN-MD"), year=2024) == before
