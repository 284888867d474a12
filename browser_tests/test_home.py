"""Issue 13: the home page is the user's work. An officer and a member of the demo sign in, see their
cards (with counts and links) and the bell with the unread count — at phone (390 px) and desktop
(1280 px) widths — open the notifications by the bell and the guide from the menu."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from imports.models import ImportBatch
from nominations.models import NominationDeadline, Notification
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_menu_if_collapsed(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#nav-main")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1200, 1280])
def test_officer_and_member_home_pages(page, live_server, shot, console_errors, width):
    call_command("load_demo", verbosity=0)
    officer = User.objects.get(username="canbo.myduc")
    member = User.objects.get(username="doanvien.myduc")
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    ImportBatch.objects.create(
        kind="doan-vien", unit=ubnd, created_by=officer, original_name="danh-sach-2026.xlsx", status="CHECKED"
    )
    NominationDeadline.objects.update_or_create(
        organiser=OrgUnit.objects.get(code="HN"),
        year=timezone.localdate().year,
        kind="YEARLY",
        defaults={"due_on": timezone.localdate() + dt.timedelta(days=12)},
    )
    for user in (officer, member):
        Notification.objects.create(user=user, text="Hồ sơ đề nghị khen thưởng đã có quyết định", url="/")
        Notification.objects.create(user=user, text="Hồ sơ bị trả lại: bổ sung số liệu", url="/")
    page.set_viewport_size({"width": width, "height": 900})

    login(page, live_server, "canbo.myduc")
    expect(page.get_by_role("heading", name="Việc đang chờ bạn")).to_be_visible()
    expect(page.get_by_role("link", name="Tệp nhập đang chờ bạn")).to_be_visible()
    expect(page.get_by_role("link", name="Hạn nộp hồ sơ khen thưởng trong 30 ngày tới")).to_be_visible()
    bell = page.get_by_role("link", name=re.compile("Thông báo: [0-9]+ chưa đọc"))
    expect(bell).to_be_visible()  # outside the collapsed menu: seen on a phone without opening it
    shot(page, "home13-officer", width=width)
    # the top bar fits the width: nothing pushed off screen (the bell included)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = bell.bounding_box()
    assert box and box["x"] + box["width"] <= width
    bell.click()
    expect(page.get_by_role("heading", name="Thông báo của bạn")).to_be_visible()
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.get_by_text(re.compile(r"Đã đánh dấu đã đọc \d+ thông báo\."))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("chưa đọc"))).to_have_count(0)
    page.context.clear_cookies()

    login(page, live_server, "doanvien.myduc")
    expect(page.get_by_role("heading", name="Việc đang chờ bạn")).to_be_visible()
    expect(page.get_by_role("link", name="Thông báo: 2 chưa đọc")).to_be_visible()
    shot(page, "home13-member", width=width)
    page.get_by_role("link", name="Thông báo: 2 chưa đọc").click()
    page.get_by_role("link", name="Hồ sơ bị trả lại: bổ sung số liệu").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    expect(page.get_by_role("link", name="Thông báo: 1 chưa đọc")).to_be_visible()
    _open_menu_if_collapsed(page)
    page.locator("#nav-main").get_by_role("link", name="Hướng dẫn").click()
    expect(page.get_by_role("heading", name="Hướng dẫn sử dụng")).to_be_visible()
    page.get_by_role("link", name="Chu trình thi đua – khen thưởng hằng năm").first.click()
    expect(page.get_by_role("heading", name="Chu trình thi đua – khen thưởng hằng năm")).to_be_visible()
    shot(page, "home13-help", width=width)
    assert console_errors == []
