"""Acceptance path of the foundation: the Mỹ Đức officer browses the tree to Công đoàn UBND huyện Mỹ Đức,
searches a member without diacritics, opens the member and sees the citizen ID masked."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.builder import DEMO_PASSWORD
from members.models import Person
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def logout(page):
    """Sign out through the header button (opening the phone menu first) and wait until the session
    is gone, so the next login does not race the logout request."""
    if not page.get_by_role("button", name="Đăng xuất").is_visible():
        page.get_by_role("button", name="Mở menu").click()
        # the phone menu slides open: click only once it is fully open (not while "collapsing")
        expect(page.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def test_officer_browses_tree_searches_member_and_sees_masked_citizen_id(
    page, live_server, shot, console_errors
):
    call_command("load_demo", verbosity=0)
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    target = (
        Person.objects.filter(
            memberships__unit__path__startswith=ubnd.path, memberships__union_role="DOAN_VIEN"
        )
        .order_by("sort_key")
        .first()
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    shot(page, "01-home", width=1280)

    # browse the tree: expand LĐLĐ huyện Mỹ Đức, open Công đoàn UBND huyện Mỹ Đức
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("heading", name="Cây tổ chức công đoàn")).to_be_visible()
    page.get_by_role("button", name="Mở/đóng các đơn vị trực thuộc Liên đoàn Lao động huyện Mỹ Đức").click()
    link = page.get_by_role("link", name="Công đoàn Ủy ban nhân dân huyện Mỹ Đức")
    expect(link).to_be_visible()
    shot(page, "02-tree", width=1280)
    shot(page, "02-tree", width=375)
    link.click()
    expect(page.get_by_role("heading", name="Công đoàn Ủy ban nhân dân huyện Mỹ Đức")).to_be_visible()
    expect(page.get_by_text("245", exact=True)).to_be_visible()
    shot(page, "03-unit", width=1280)
    shot(page, "03-unit", width=375)

    # the member list of the unit, searched without diacritics
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Danh sách đoàn viên").click()
    page.get_by_label("Tìm theo tên hoặc số thẻ").fill(target.search_text)
    page.get_by_role("button", name="Tìm").click()
    member_link = page.get_by_role("link", name=target.full_name).first
    expect(member_link).to_be_visible()
    shot(page, "04-members", width=1280)
    shot(page, "04-members", width=375)

    member_link.click()
    expect(page.get_by_role("heading", name=target.full_name)).to_be_visible()
    masked = page.get_by_test_id("cccd")
    expect(masked).to_have_text("•" * 8 + target.citizen_id[-4:])
    assert target.citizen_id not in page.content()
    shot(page, "05-member", width=1280)
    shot(page, "05-member", width=375)

    assert console_errors == []

    # a unit outside the officer's branch is not reachable by URL
    other = OrgUnit.objects.get(code="HN-HBT-MK")
    response = page.goto(f"{live_server.url}/don-vi/{other.pk}/")
    assert response.status == 404


def test_tree_search_without_diacritics_on_phone(page, live_server, shot):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "canbo.hanoi")
    page.goto(f"{live_server.url}/don-vi/?q=my duc")
    expect(page.get_by_role("link", name="Liên đoàn Lao động huyện Mỹ Đức")).to_be_visible()
    expect(page.get_by_role("link", name="Công đoàn Ủy ban nhân dân huyện Mỹ Đức")).to_be_visible()
    shot(page, "06-search-phone", width=375)
    # on a phone the navigation collapses behind the menu button
    page.get_by_role("button", name="Mở menu").click()
    expect(page.locator("#nav-main.show")).to_be_visible()
    expect(page.get_by_role("link", name="Đoàn viên", exact=True)).to_be_visible()
    page.wait_for_timeout(400)  # let the collapse transition end before the picture
    shot(page, "07-menu-phone", width=375)
