"""Reports in the browser: the Mỹ Đức officer opens the district dashboard (Chart.js charts from the JSON
data island, no console errors under the CSP), downloads a table as .xlsx and reads it back."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from browser_tests.test_foundation import login
from commendations.models import AwardRecord
from organizations.models import OrgUnit
from reports.demo import build_demo
from reports.selectors import rollup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_district_dashboard_and_exports_xlsx(page, live_server, shot, console_errors, tmp_path):
    call_command("load_demo", verbosity=0)
    build_demo(rng=None, year=2024)
    my_duc = OrgUnit.objects.get(code="HN-MD")
    members = rollup(unit=my_duc, year=2024)["members"]

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    # every demo year 2022–2026 is built: the dashboard opens on the current one, fresh, then 2024 is picked
    expect(
        page.get_by_role(
            "heading", name=re.compile(f"Liên đoàn Lao động huyện Mỹ Đức — năm {timezone.localdate().year}")
        )
    ).to_be_visible()
    expect(page.get_by_test_id("counters-updated")).to_contain_text("Số liệu cập nhật lúc")
    page.get_by_label("Năm", exact=True).select_option("2024")
    expect(
        page.get_by_role("heading", name=re.compile("Liên đoàn Lao động huyện Mỹ Đức — năm 2024"))
    ).to_be_visible()
    expect(page.locator("canvas#chart-children")).to_be_visible()
    expect(page.locator("canvas#chart-ratings")).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('chart-children') && Chart.getChart('chart-ratings')"
    )
    expect(page.get_by_test_id("stat-members")).to_have_text(f"{members:,}".replace(",", "."))
    shot(page, "20-dashboard", width=1280)
    page.set_viewport_size({"width": 375, "height": 900})
    page.reload()  # the bar chart is laid out for the width it is drawn at (horizontal bars on a phone)
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-children')")
    path = shot(page, "20-dashboard", width=375)
    page.screenshot(path=str(path.with_name("20-dashboard-375-top.png")))

    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as info:
        page.get_by_test_id("export-don-vi").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[3][:2] == ["Đơn vị", "Đoàn viên"]
    totals = next(r for r in rows if r[0] == "Tổng cộng")
    assert totals[1] == members
    assert any(r[0] == "Công đoàn UBND huyện Mỹ Đức" for r in rows)

    # the awards: chart drawn, the ministry's statistical form downloaded and read back
    expect(page.locator("canvas#chart-awards")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-awards')")
    awards = AwardRecord.objects.filter(scope_unit__path__startswith=my_duc.path, year=2024, status="VALID")
    collectives = awards.filter(unit__isnull=False).count()
    individuals = awards.filter(person__isnull=False).count()
    expect(page.get_by_test_id("stat-awards-collective")).to_have_text(str(collectives))
    section = page.get_by_test_id("awards-section")
    section.screenshot(path=str(shot(page, "22-awards", width=1280).with_name("22-awards-1280-section.png")))
    with page.expect_download() as info:
        page.get_by_test_id("award-form").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Biểu số 02/TĐKT"
    total = next(r for r in rows if r[1] == "Tổng số" and r[0] == "")
    assert total[2:5] == [collectives + individuals, collectives, individuals]
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-awards')")
    section.screenshot(path=str(shot(page, "22-awards", width=390).with_name("22-awards-390-section.png")))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Bản tin").click()
    expect(page.get_by_role("heading", name=re.compile("Đẩy mạnh các phong trào thi đua"))).to_be_visible()
    page.get_by_role("button", name="Sao chép").click()
    expect(page.locator("#copy-status")).to_have_text("Đã sao chép bản tin.")
    shot(page, "21-news", width=1280)
    shot(page, "21-news", width=375)
    assert console_errors == []
