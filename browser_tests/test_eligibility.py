"""Issue 5 acceptance in the browser: the Mỹ Đức officer opens the eligibility page of Công đoàn UBND huyện
Mỹ Đức for 2024 from the unit page, sees each member's verdict per title (paged: issue 16), and opens the
“Có thể đề nghị khen thưởng gì?” page of a member who is eligible for CSTĐ cấp bộ, ngành, tỉnh."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from commendations.models import AwardRecord
from commendations.selectors import unit_persons_in_year
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_sees_unit_and_person_eligibility(page, live_server, shot, console_errors):
    call_command("load_demo", verbosity=0)
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    star = (
        AwardRecord.objects.filter(
            award_type__code="CSTDCS", year=2022, scope_unit__path__startswith=ubnd.path
        )
        .select_related("person")
        .first()
        .person
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/don-vi/{ubnd.pk}/?nam=2024")
    card = page.get_by_test_id("unit-eligibility-card")
    expect(card).to_contain_text("Khen thưởng năm 2024")
    card.get_by_role("link", name="Xét điều kiện khen thưởng").click()

    expect(
        page.get_by_role(
            "heading", name="Xét điều kiện khen thưởng năm 2024 — Công đoàn Ủy ban nhân dân huyện Mỹ Đức"
        )
    ).to_be_visible()
    expect(page.get_by_test_id("ruleset-applied")).to_contain_text("theo Nghị định 98/2023/NĐ-CP")
    expect(page.get_by_test_id("ruleset-applied")).not_to_contain_text("TLD-2024-ND98")  # names, not codes
    expect(page.get_by_role("heading", name="Điều kiện của từng đoàn viên")).to_be_visible()
    expect(page.get_by_role("button", name="Đánh giá toàn đơn vị")).to_be_visible()
    # the page shows one page of people; the star's page is the one their place in name order falls on
    place = list(unit_persons_in_year(unit=ubnd, year=2024).values_list("pk", flat=True)).index(star.pk)
    page.goto(f"{page.url}&trang={place // settings.THIDUA_PAGE_SIZE + 1}")
    row = page.get_by_test_id("member-verdicts").locator(f'tr[data-person="{star.pk}"]')
    expect(row.locator('[data-award="CSTD_BO"]')).to_contain_text("Đủ")
    expect(
        page.get_by_test_id("member-verdicts").locator('td[data-award="LDTT"] .text-bg-success').first
    ).to_be_visible()
    shot(page, "eligibility-unit", width=1280)
    shot(page, "eligibility-unit", width=375)

    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("link", name=star.full_name).click()
    expect(page.get_by_role("heading", name="Có thể đề nghị khen thưởng gì? — năm 2024")).to_be_visible()
    verdict = page.locator('.verdict-card[data-award="CSTD_BO"]')
    expect(verdict).to_contain_text("Đủ điều kiện")
    expect(verdict).to_contain_text("Đạt CSTĐ cơ sở 3 năm liên tục: 2022, 2023, 2024")
    expect(verdict).to_contain_text(re.compile(r"sáng kiến được công nhận cấp tỉnh"))
    shot(page, "eligibility-person", width=1280)
    shot(page, "eligibility-person", width=375)
    assert not console_errors
