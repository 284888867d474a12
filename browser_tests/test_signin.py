"""Acceptance 4 of issue 12: an officer who may see citizen IDs enrols TOTP and signs in with it; ten wrong
passwords lock the account with a Vietnamese message (screenshots at 390 and 1280 px)."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from conftest import build_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-thu-2026"
LOCKED = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Liên hệ quản trị viên để mở khóa."


def _officer() -> User:
    tree = build_tree()
    user = User.objects.create_user(username="canbo.thu", password=PASSWORD, full_name="Đinh Thị Ngọc Lan")
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, unit=tree.md, valid_from=dt.date(2020, 1, 1))
    return user


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _sign_in(page, live_server, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.thu")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@override_settings(THIDUA_OTP_REQUIRED=True)
def test_officer_enrols_totp_and_signs_in_with_it(page, live_server, shot, console_errors):
    officer = _officer()
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server, PASSWORD)

    # password accepted, but nothing else opens before the second factor is set up
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    page.goto(f"{live_server.url}/doan-vien/")
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    shot(page, "signin-01-enrol", width=1280)
    shot(page, "signin-01-enrol", width=390)

    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    shown_key = page.get_by_test_id("otp-key").inner_text().replace(" ", "")
    assert shown_key and device.key  # the manual key is shown for apps that cannot scan
    page.get_by_label("Mã xác thực").fill(_code(device))
    page.get_by_role("button", name="Xác nhận và bật").click()

    expect(page.get_by_role("heading", name="Đã bật xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    shot(page, "signin-02-recovery-codes", width=1280)
    shot(page, "signin-02-recovery-codes", width=390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", name=re.compile("^Đoàn viên"))).to_be_visible()

    # sign out, sign in again: password, then the code of the next time step
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    _sign_in(page, live_server, PASSWORD)
    expect(page.get_by_role("heading", name="Nhập mã xác thực")).to_be_visible()
    page.get_by_label("Mã xác thực").fill("000000" if _code(device, 1) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Mã không đúng hoặc đã hết hạn")).to_be_visible()
    shot(page, "signin-03-verify-error", width=390)
    shot(page, "signin-03-verify-error", width=1280)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    page.get_by_label("Mã xác thực").fill(_code(device, 1))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    page.goto(f"{live_server.url}/tai-khoan/")
    expect(page.get_by_test_id("security")).to_contain_text("đang bật")
    assert console_errors == []


def test_ten_wrong_passwords_lock_the_account(page, live_server, shot, console_errors):
    _officer()
    page.set_viewport_size({"width": 1280, "height": 900})
    for attempt in range(1, 10):
        _sign_in(page, live_server, f"sai-{attempt}")
        expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()
    _sign_in(page, live_server, "sai-10")
    expect(page.get_by_test_id("lockout")).to_have_text(LOCKED)
    shot(page, "signin-04-locked", width=1280)
    shot(page, "signin-04-locked", width=390)
    # the right password does not help while the lock lasts
    _sign_in(page, live_server, PASSWORD)
    expect(page.get_by_test_id("lockout")).to_have_text(LOCKED)
    expect(page.get_by_role("heading", name="Tài khoản tạm khóa")).to_be_visible()
    assert console_errors == [] or all("429" in e for e in console_errors)
