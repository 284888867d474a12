"""Issue 13, the end of the cycle walk: a member signs in, opens "Trang của tôi" from the home page and
sees their award with its decision, a revoked one with its reason, their ratings and registrations, and
downloads the certificate — at phone (390 px) and desktop (1280 px) widths. Screenshots to
/tmp/shots_me/ (and test-artifacts/)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from conftest import build_tree
from demo.builder import DEMO_PASSWORD
from movements.models import Evaluation, Movement, Registration

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots_me")


def _member():
    tree = build_tree()
    ensure_catalogue()  # a transactional test starts from a flushed database
    user = User.objects.create_user(
        username="doanvien.an", password=DEMO_PASSWORD, full_name="Nguyễn Văn An", person=tree.an
    )
    RoleAssignment.objects.create(user=user, role=Role.MEMBER, unit=tree.t1, include_subtree=False)
    movement = Movement.objects.create(
        organiser=tree.md,
        name="Thi đua lao động giỏi, lao động sáng tạo năm 2025",
        kind="YEARLY",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status="LAUNCHED",
    )
    Registration.objects.create(movement=movement, person=tree.an, unit=tree.t1, titles=["CSTDCS"])
    for year, rating in ((2024, "HTT"), (2025, "HTXS")):
        Evaluation.objects.create(person=tree.an, year=year, unit=tree.t1, rating=rating)
    common = {"person": tree.an, "scope_unit": tree.t1, "issuing_unit": tree.md}
    valid = AwardRecord.objects.create(
        award_type=AwardType.objects.get(code="CSTDCS"),
        year=2025,
        decision_number="12/QĐ-LĐLĐ",
        decision_date=dt.date(2025, 12, 18),
        achievement_summary="đã có thành tích xuất sắc trong phong trào thi đua năm 2025",
        **common,
    )
    AwardRecord.objects.create(
        award_type=AwardType.objects.get(code="GK"),
        year=2023,
        decision_number="05/QĐ-LĐLĐ",
        decision_date=dt.date(2023, 12, 20),
        status="REVOKED",
        revoked_reason="Thành tích kê khai không đúng sự thật",
        revoked_on=dt.date(2024, 6, 3),
        revocation_ref="08/QĐ-LĐLĐ",
        **common,
    )
    return user, valid


@pytest.mark.parametrize("width", [390, 1280])
def test_member_opens_their_page_from_home_and_sees_their_award(page, live_server, console_errors, width):
    SHOTS.mkdir(exist_ok=True)
    _, valid = _member()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "doanvien.an")
    expect(page.get_by_role("link", name="Khen thưởng của bạn")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"home-{width}.png"), full_page=True)

    if page.locator(".navbar-toggler").is_visible():
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.locator("#nav-main").get_by_role("link", name="Trang của tôi").click()
    expect(page.get_by_role("heading", name="Trang của tôi")).to_be_visible()
    awards = page.get_by_test_id("me-award")
    expect(awards).to_have_count(2)
    expect(awards.first).to_contain_text("Chiến sĩ thi đua cơ sở năm 2025")
    expect(awards.first).to_contain_text("Quyết định số 12/QĐ-LĐLĐ ngày 18/12/2025")
    expect(awards.first).to_contain_text("Liên đoàn Lao động huyện Mỹ Đức")
    expect(awards.nth(1)).to_contain_text("Đã thu hồi")
    expect(awards.nth(1)).to_contain_text("Thành tích kê khai không đúng sự thật")
    expect(page.get_by_text("Hoàn thành xuất sắc nhiệm vụ")).to_be_visible()
    expect(page.get_by_text("Thi đua lao động giỏi, lao động sáng tạo năm 2025")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"me-{width}.png"), full_page=True)
    # nothing is pushed off the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    link = awards.first.get_by_role("link", name="Tải giấy khen (PDF)")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == f"/van-ban/khen-thuong/{valid.pk}/giay-khen.pdf"
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    expect(awards.nth(1).get_by_role("link", name="Tải giấy khen (PDF)")).to_have_count(0)
    assert console_errors == []
