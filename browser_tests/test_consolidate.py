"""Issue 15: the central officer consolidates LĐLĐ tỉnh Ninh Bình, Hà Nam and Nam Định into a new LĐLĐ tỉnh
Ninh Bình from 01/07/2025, from the unit page — the form, the confirmation list per unit, the confirmation
and the new unit's page with its lineage — on a phone and on a desktop."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import sign_in_officer
from conftest import add_unit, build_tree
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_central_officer(page, live_server, tree, *, width: int):
    return sign_in_officer(
        page, live_server, unit=tree.vn, username="canbo.tld", full_name="Trần Văn Trung", width=width
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_central_officer_consolidates_three_provinces(page, live_server, shot, console_errors, width):
    tree = build_tree()
    ha_nam = add_unit(
        OrgUnit.objects.get(pk=tree.vn.pk), "HNA", "Liên đoàn Lao động tỉnh Hà Nam", "LDLD_TINH"
    )
    add_unit(OrgUnit.objects.get(pk=tree.vn.pk), "ND", "Liên đoàn Lao động tỉnh Nam Định", "LDLD_TINH")
    add_unit(OrgUnit.objects.get(pk=ha_nam.pk), "HNA-BV", "Công đoàn Bệnh viện tỉnh Hà Nam", "CDCS")
    sign_in_central_officer(page, live_server, tree, width=width)

    page.goto(f"{live_server.url}/don-vi/{tree.nb.pk}/")
    expect(page.get_by_role("heading", name="Liên đoàn Lao động tỉnh Ninh Bình")).to_be_visible()
    page.get_by_role("button", name="Tổ chức").click()
    page.get_by_role("link", name="Hợp nhất đơn vị").click()

    expect(
        page.get_by_role("heading", name="Hợp nhất Liên đoàn Lao động tỉnh Ninh Bình với đơn vị khác")
    ).to_be_visible()
    page.get_by_label("Liên đoàn Lao động tỉnh Hà Nam").check()
    page.get_by_label("Liên đoàn Lao động tỉnh Nam Định").check()
    expect(page.get_by_label("Đơn vị mới trực thuộc")).to_have_value(str(tree.vn.pk))
    page.get_by_label("Tên đơn vị mới").fill("Liên đoàn Lao động tỉnh Ninh Bình")
    page.get_by_label("Mã đơn vị mới").fill("NB-2025")
    page.get_by_label("Hợp nhất từ ngày").fill("2025-07-01")
    page.get_by_label("Số văn bản quyết định").fill("88/QĐ-TLĐ")
    page.get_by_label("Ngày văn bản").fill("2025-06-25")
    shot(page, "consolidate-01-form", width=width)
    page.get_by_role("button", name="Xem trước").click()

    listing = page.locator("#danh-sach-xac-nhan")
    expect(listing).to_contain_text("Từ “Liên đoàn Lao động tỉnh Hà Nam”")
    expect(listing).to_contain_text(
        "Chuyển “Công đoàn Bệnh viện tỉnh Hà Nam” sang trực thuộc “Liên đoàn Lao động tỉnh Ninh Bình”"
    )
    expect(page.get_by_role("alert")).to_contain_text("theo văn bản số 88/QĐ-TLĐ ngày 25/06/2025")
    shot(page, "consolidate-02-preview", width=width)
    assert not OrgUnit.objects.filter(code="NB-2025").exists()

    page.get_by_role("button", name="Xác nhận hợp nhất").click()
    expect(page.get_by_text("Đã hợp nhất 3 đơn vị thành “Liên đoàn Lao động tỉnh Ninh Bình”")).to_be_visible()
    lineage = page.locator("#qua-trinh-hinh-thanh")
    expect(lineage).to_contain_text("Hình thành từ Liên đoàn Lao động tỉnh Hà Nam (Hợp nhất, từ 01/07/2025")
    shot(page, "consolidate-03-done", width=width)
    new = OrgUnit.objects.get(code="NB-2025")
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="HNA-BV")) == new
    assert OrgUnit.objects.get(pk=tree.nb.pk).valid_to == dt.date(2025, 6, 30)
    lineage.get_by_role("link", name="Liên đoàn Lao động tỉnh Nam Định").click()
    expect(page.locator("#qua-trinh-hinh-thanh")).to_contain_text(
        "Đã hợp nhất vào Liên đoàn Lao động tỉnh Ninh Bình"
    )
    assert console_errors == []
