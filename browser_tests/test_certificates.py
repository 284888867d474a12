"""Certificate layouts in the browser: the Mỹ Đức officer opens the award registry, goes to the print
layouts, creates the layout of the Giấy khen blank, gets a Vietnamese error for a position off the sheet,
saves a correct one and opens the trial print. Screenshots of the editor at 390 px and 1280 px."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from browser_tests.test_foundation import login
from documents.models import CertificateLayout
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_adjusts_the_certificate_layout(page, live_server, shot, console_errors):
    call_command("load_demo", verbosity=0)
    my_duc = OrgUnit.objects.get(code="HN-MD")

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/khen-thuong/so-khen-thuong/?don_vi={my_duc.pk}")
    page.get_by_role("link", name="Mẫu in giấy khen").click()
    expect(page.get_by_role("heading", name="Mẫu in giấy khen, bằng khen")).to_be_visible()
    page.get_by_label("Tên mẫu in").fill("Phôi giấy khen mua năm 2024")
    page.get_by_label("Áp dụng cho").select_option(label="Giấy khen")
    page.get_by_role("button", name="Tạo mẫu in").click()
    expect(page.get_by_role("heading", name="Phôi giấy khen mua năm 2024")).to_be_visible()
    expect(
        page.get_by_text("Đã tạo mẫu in “Phôi giấy khen mua năm 2024” với vị trí mặc định.")
    ).to_be_visible()

    page.get_by_label("X (mm): Họ và tên").fill("320")
    page.get_by_role("button", name="Lưu mẫu in").click()
    expect(page.get_by_test_id("layout-errors")).to_contain_text(
        "Trường “Họ và tên”: tọa độ X phải từ 0 đến 297 mm."
    )
    expect(page.locator('tr[data-field="recipient"]')).to_have_class(re.compile("table-danger"))
    shot(page, "45-mau-in-loi", width=1280)

    page.get_by_label("X (mm): Họ và tên").fill("35,5")
    page.get_by_label("Y (mm): Họ và tên").fill("96")
    page.get_by_label("In: Chữ “Tặng”").uncheck()
    page.get_by_role("button", name="Lưu mẫu in").click()
    expect(page.get_by_text("Đã lưu vị trí các trường của mẫu in.")).to_be_visible()
    layout = CertificateLayout.objects.get(issuer=my_duc)
    assert layout.fields["recipient"]["x"] == 35.5 and layout.fields["presents"]["show"] is False
    shot(page, "46-mau-in", width=1280)
    shot(page, "46-mau-in", width=390)

    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.request.get(f"{live_server.url}/van-ban/mau-in/{layout.pk}/in-thu.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert console_errors == []
