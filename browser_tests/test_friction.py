"""Issue 13 in a browser: the superuser's top bar fits one line at 1200 and 1280 px and nothing scrolls
sideways on a phone; "Chọn tất cả" on the bulk registration ticks and clears every member of the page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from browser_tests.test_foundation import login
from movements.models import Movement
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV_METRICS = """() => {
  const nav = document.querySelector('nav.app-nav');
  const box = nav.querySelector('.container-xl');
  const shown = [...nav.querySelectorAll('.nav-link, .navbar-brand')].filter(e => e.offsetParent);
  return {
    height: Math.round(nav.getBoundingClientRect().height),
    overflow: box.scrollWidth - box.clientWidth,
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    right: Math.max(...shown.map(e => e.getBoundingClientRect().right)),
    boxRight: box.getBoundingClientRect().right,
  };
}"""


def test_admin_top_bar_fits_and_select_all_ticks_the_page(page, live_server, shot):
    call_command("load_demo", verbosity=0)
    # the longest menu: a superuser who is also staff (Nhật ký and Quản trị)
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "admin")
    for width in (1280, 1200, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        metrics = page.evaluate(NAV_METRICS)
        assert metrics["overflow"] <= 0 and metrics["pageOverflow"] <= 0, (width, metrics)
        assert metrics["right"] <= metrics["boxRight"] + 1, (width, metrics)  # the bell stays inside
        assert metrics["height"] <= 64, (width, metrics)  # one line, no wrapped second row
        shot(page, f"40-admin-nav-{width}", width=width)
        if width >= 1200:
            expect(page.get_by_role("link", name="Quản trị", exact=True)).to_be_visible()
            expect(page.get_by_role("link", name="Nhật ký", exact=True)).to_be_visible()
            expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    movement = Movement.objects.filter(status="LAUNCHED").order_by("pk").first()
    unit = OrgUnit.objects.get(code="HN-MD-UBND")
    page.goto(f"{live_server.url}/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={unit.pk}")
    boxes = page.locator('input[name="persons"]')
    assert boxes.count() > 1
    select_all = page.get_by_label("Chọn tất cả")
    select_all.check()
    for i in range(boxes.count()):
        expect(boxes.nth(i)).to_be_checked()
    boxes.nth(0).uncheck()  # one cleared by hand: "Chọn tất cả" is no longer ticked
    expect(select_all).not_to_be_checked()
    assert page.evaluate("document.getElementById('chon-tat-ca').indeterminate") is True
    select_all.check()
    select_all.uncheck()
    for i in range(boxes.count()):
        expect(boxes.nth(i)).not_to_be_checked()
