"""Issue 15: the city federation's officer dissolves LĐLĐ huyện Mỹ Đức from its unit page — the form, the
confirmation list, the confirmation and the successor's page — on a phone and on a desktop."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from accounts.roles import Role
from browser_tests.conftest import sign_in_city_officer
from conftest import build_tree
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_city_officer_dissolves_the_district(page, live_server, shot, console_errors, width):
    import datetime as dt

    tree = build_tree()
    sign_in_city_officer(page, live_server, tree, width=width)
    district = get_user_model().objects.create_user(
        username="canbo.myduc", password="x", full_name="Nguyễn Văn Bình"
    )
    RoleAssignment.objects.create(
        user=district, role=Role.OFFICER, unit=tree.md, valid_from=dt.date(2020, 1, 1)
    )

    page.goto(f"{live_server.url}/don-vi/{tree.md.pk}/")
    expect(page.get_by_role("heading", name="Liên đoàn Lao động huyện Mỹ Đức")).to_be_visible()
    page.get_by_role("button", name="Tổ chức").click()
    page.get_by_role("link", name="Giải thể đơn vị").click()

    expect(page.get_by_role("heading", name="Giải thể Liên đoàn Lao động huyện Mỹ Đức")).to_be_visible()
    expect(page.get_by_label("Đơn vị kế thừa")).to_have_value(str(tree.hn.pk))
    page.get_by_label("Giải thể từ ngày").fill("2025-07-01")
    page.get_by_label("Số văn bản quyết định").fill("125/QĐ-LĐLĐ")
    page.get_by_label("Ngày văn bản").fill("2025-06-20")
    page.get_by_label("Lý do").fill("Sắp xếp tổ chức bộ máy")
    shot(page, "dissolve-01-form", width=width)
    page.get_by_role("button", name="Xem trước").click()

    listing = page.locator("#danh-sach-xac-nhan")
    expect(listing).to_contain_text(
        "Chuyển “Công đoàn Ủy ban nhân dân huyện Mỹ Đức” sang trực thuộc “Liên đoàn Lao động thành phố Hà Nội”"
    )
    expect(listing).to_contain_text("Chấm dứt vai trò Cán bộ thi đua, khen thưởng của Nguyễn Văn Bình")
    expect(page.get_by_role("alert")).to_contain_text("theo văn bản số 125/QĐ-LĐLĐ ngày 20/06/2025")
    shot(page, "dissolve-02-preview", width=width)
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None

    page.get_by_role("button", name="Xác nhận giải thể").click()
    expect(page.get_by_role("heading", name="Liên đoàn Lao động thành phố Hà Nội")).to_be_visible()
    expect(
        page.get_by_text("Đã giải thể “Liên đoàn Lao động huyện Mỹ Đức” từ ngày 01/07/2025")
    ).to_be_visible()
    shot(page, "dissolve-03-done", width=width)
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to == dt.date(2025, 6, 30)
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=tree.ubnd.pk)) == tree.hn
    assert console_errors == []
