"""Issue 15, acceptance 5: a unit's area is chosen from the official list, searched without accents — the
officer of Công đoàn UBND huyện Mỹ Đức types "huong son" and picks the commune; LĐLĐ huyện Mỹ Đức, given
its old district, shows the communes it became — on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import sign_in_city_officer
from conftest import build_tree
from organizations import areas
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_officer_picks_the_commune_without_accents(page, live_server, shot, console_errors, width):
    tree = build_tree()
    sign_in_city_officer(page, live_server, tree, width=width)
    district = next(
        a for a in areas.search("huyen my duc", limit=50) if not a.current and a.name == "Huyện Mỹ Đức"
    )
    OrgUnit.objects.filter(pk=tree.md.pk).update(area_code=district.code, area=district.full_name)

    page.goto(f"{live_server.url}/don-vi/{tree.md.pk}/")
    expect(page.locator("[data-area]")).to_contain_text(
        "Huyện Mỹ Đức, Thành phố Hà Nội (trước 01/07/2025), nay là"
    )
    expect(page.locator("[data-area]")).to_contain_text("Xã Hương Sơn")
    shot(page, "area-01-old-district", width=width)

    page.goto(f"{live_server.url}/don-vi/{tree.ubnd.pk}/")
    page.get_by_role("button", name="Tổ chức").click()
    page.get_by_role("link", name="Địa bàn").click()
    expect(page.get_by_role("heading", name=re.compile("Địa bàn của"))).to_be_visible()
    box = page.get_by_placeholder("Gõ tên xã, phường, tỉnh (có dấu hoặc không dấu)")
    box.fill("huong son ha noi")
    choice = page.get_by_role("option", name=re.compile("Xã Hương Sơn")).first
    expect(choice).to_be_visible()
    shot(page, "area-02-search", width=width)
    choice.click()
    page.get_by_role("button", name=re.compile("Lưu")).click()
    expect(page.get_by_text("Đã cập nhật địa bàn của đơn vị.")).to_be_visible()
    expect(page.locator("[data-area]")).to_contain_text("Xã Hương Sơn, Thành phố Hà Nội")
    shot(page, "area-03-saved", width=width)
    unit = OrgUnit.objects.get(pk=tree.ubnd.pk)
    assert areas.get(unit.area_code).name == "Xã Hương Sơn" and areas.get(unit.area_code).current
    assert console_errors == []
