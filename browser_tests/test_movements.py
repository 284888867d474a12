"""Issue 4 path: an officer launches a movement, a member registers, the officer enters year-end ratings
for one union group on the grid — at phone and desktop widths."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from browser_tests.test_foundation import login, logout
from initiatives.models import Initiative
from members.models import Membership
from movements.models import Evaluation, Movement, Registration
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_launch_register_and_rate_on_the_grid(page, live_server, shot, console_errors):
    call_command("load_demo", verbosity=0)
    my_duc = OrgUnit.objects.get(code="HN-MD")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")

    # 1. the officer drafts and launches a movement for 2026
    page.goto(f"{live_server.url}/phong-trao/?don_vi={my_duc.pk}")
    expect(page.get_by_text(re.compile("Lao động giỏi, Lao động sáng tạo” năm 2024"))).to_be_visible()
    page.get_by_role("link", name="Phát động phong trào").click()
    page.get_by_label("Tên phong trào").fill(
        "Thi đua “Xanh – Sạch – Đẹp, bảo đảm an toàn vệ sinh lao động” năm 2026"
    )
    page.get_by_label("Loại phong trào").select_option("THEMATIC")
    page.get_by_label("Năm thi đua").fill("2026")
    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_label("Đến ngày").fill("2026-12-31")
    page.get_by_label("Chỉ tiêu 1").fill("Số cơ quan đạt Xanh – Sạch – Đẹp")
    page.locator("#id_ct-0-unit_of_measure").fill("cơ quan")
    page.locator("#id_ct-0-target_value").fill("7")
    shot(page, "10-movement-form", width=1280)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Dự thảo", exact=True)).to_be_visible()
    page.get_by_role("button", name="Phát động").click()
    expect(page.get_by_text("Đã phát động", exact=True).first).to_be_visible()
    shot(page, "11-movement-launched", width=1280)
    movement = Movement.objects.get(year=2026)
    assert movement.status == "LAUNCHED"

    # 2. a member registers on a phone
    logout(page)
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "doanvien.myduc")
    page.goto(f"{live_server.url}/phong-trao/{movement.pk}/")
    page.get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_label("Lao động tiên tiến").check()
    page.get_by_label("Nội dung cam kết").fill(
        "Giữ phòng làm việc xanh, sạch, đẹp; không để xảy ra tai nạn lao động."
    )
    shot(page, "12-register-phone", width=375)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Đã ghi nhận đăng ký thi đua của bạn.")).to_be_visible()
    member = User.objects.get(username="doanvien.myduc")
    assert Registration.objects.filter(movement=movement, person=member.person).exists()
    shot(page, "13-registered-phone", width=375)

    # 2b. the same member registers an initiative and is warned of a near-duplicate (on the phone)
    membership = Membership.objects.select_related("unit").get(person=member.person, ended_on__isnull=True)
    before = Initiative.objects.count()
    page.goto(f"{live_server.url}/sang-kien/")
    page.get_by_role("link", name="Đăng ký sáng kiến").click()
    page.get_by_label("Đơn vị áp dụng").select_option(str(membership.unit.pk))
    page.get_by_label("Tên sáng kiến").fill("Quan ly ho so mot cua dien tu bang phan mem tai UBND huyen")
    page.get_by_label("Lĩnh vực").select_option("CDS")
    page.get_by_label("Nội dung, giải pháp").fill("Theo dõi hồ sơ một cửa bằng phần mềm.")
    expect(page.get_by_text(re.compile("Tác giả: .* \\(100%\\)"))).to_be_visible()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("duplicate-warning")).to_be_visible()
    expect(
        page.get_by_test_id("similar").get_by_text(
            "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện"
        )
    ).to_be_visible()
    assert Initiative.objects.count() == before
    shot(page, "15-member-initiative-duplicate", width=375)

    # 3. the officer rates one union group on the grid
    logout(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    group = OrgUnit.objects.get(code="HN-MD-UBND-T02")
    # the CĐCS's grid lists its union groups with their counts; the officer opens one
    cdcs = OrgUnit.objects.get(code="HN-MD-UBND")
    page.goto(f"{live_server.url}/phong-trao/danh-gia/?don_vi={cdcs.pk}&nam=2026")
    groups = page.get_by_test_id("grid-groups")
    expect(groups).to_be_visible()
    shot(page, "14-grid-groups", width=1280)
    groups.get_by_role("link", name=group.name).click()
    expect(
        page.get_by_role(
            "heading", name=re.compile(f"Đánh giá, xếp loại đoàn viên năm 2026 — {re.escape(group.name)}")
        )
    ).to_be_visible()
    selects = page.locator("select[name$='-rating']")
    count = selects.count()
    assert count >= 10
    for i in range(count):
        selects.nth(i).select_option("HTT" if i else "HTXS")
    shot(page, "14-grid", width=1280)
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "14-grid", width=375)
    page.get_by_role("button", name="Lưu xếp loại").click()
    expect(page.get_by_text(re.compile(f"Đã lưu xếp loại năm 2026: {count} mới"))).to_be_visible()
    assert Evaluation.objects.filter(year=2026, unit=group).count() == count
    assert console_errors == []
