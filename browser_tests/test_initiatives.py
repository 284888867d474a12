"""Initiatives: the Mỹ Đức officer registers an initiative whose title nearly repeats one already
recognised; the live check and the save step both show the near-duplicate before anything is written."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from initiatives.demo import build_demo
from initiatives.forms import author_label
from initiatives.models import Initiative
from members.models import Membership
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL = "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện"
REWORDED = "Quan ly ho so mot cua dien tu bang phan mem tai UBND huyen"


def test_officer_registers_near_duplicate_and_sees_the_warning(page, live_server, shot, console_errors):
    import random

    call_command("load_demo", verbosity=0)
    build_demo(rng=random.Random(2024), year=2024)  # no-op when load_demo already built them
    original = Initiative.objects.get(title=ORIGINAL)
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    author = (
        Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
        .exclude(card_number="")
        .select_related("person")
        .order_by("person__sort_key")
        .first()
    )
    before = Initiative.objects.count()

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.get_by_role("link", name="Sáng kiến", exact=True).click()
    expect(page.get_by_role("heading", name="Sáng kiến")).to_be_visible()
    expect(page.get_by_role("link", name=ORIGINAL)).to_be_visible()
    shot(page, "20-initiatives", width=1280)
    # filtered by status (the pills carry the counts); on a phone the rows stack into cards
    page.get_by_role("link", name=re.compile("^Đang chấm")).click()
    expect(page.get_by_role("link", name=re.compile("^Đang chấm"))).to_have_attribute("aria-current", "page")
    shot(page, "20-initiatives-under-review", width=375)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Đăng ký sáng kiến").click()
    expect(page.get_by_role("heading", name="Đăng ký sáng kiến")).to_be_visible()
    page.get_by_label("Đơn vị áp dụng").select_option(str(ubnd.pk))
    page.get_by_label("Tên sáng kiến").fill(REWORDED)
    # the live check (htmx) lists the original while typing
    live = page.locator("#tuong-tu")
    expect(live.get_by_text(ORIGINAL)).to_be_visible()
    page.get_by_label("Lĩnh vực").select_option("CDS")
    page.get_by_label("Nội dung, giải pháp").fill(
        "Theo doi va tra ket qua ho so thu tuc hanh chinh qua mot cua."
    )
    page.get_by_label("Tác giả 1").fill(author_label(author))
    page.get_by_label("Tỷ lệ (%) 1").fill("100")
    page.get_by_role("button", name="Lưu").click()

    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_be_visible()
    expect(page.get_by_test_id("similar").get_by_role("link", name=ORIGINAL)).to_be_visible()
    assert Initiative.objects.count() == before  # nothing written yet
    shot(page, "21-initiative-duplicate", width=1280)
    shot(page, "21-initiative-duplicate", width=375)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Tôi đã xem và xác nhận đây không phải sáng kiến trùng").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name=REWORDED)).to_be_visible()
    expect(page.get_by_text(author.person.full_name)).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Đăng ký sáng kiến")
    assert Initiative.objects.count() == before + 1
    shot(page, "22-initiative-detail", width=1280)
    shot(page, "22-initiative-detail", width=375)
    assert re.search(r"/sang-kien/\d+/$", page.url)
    assert original.pk != Initiative.objects.get(title=REWORDED).pk
    assert console_errors == []
