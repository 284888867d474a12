"""Sign-in that resists guessing (issue 12, finding 5): lockout after ten wrong passwords (per username
and per IP, the admin login too) lifted by an administrator; TOTP required for users who may see
unmasked personal data; one's own password change and an administrator's temporary password; idle and
absolute session limits."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent

LOCKED = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Liên hệ quản trị viên để mở khóa."


def _fail(client, username, times, *, path="/dang-nhap/", ip="10.0.0.1"):
    last = None
    for _ in range(times):
        last = client.post(path, {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=ip)
    return last


def _login(client, username, password="pw", *, path="/dang-nhap/", ip="10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


# --- lockout ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account_even_for_the_right_password(client, make_user, tree):
    make_user(Role.OFFICER, tree.md)  # user1 / pw
    assert settings.AXES_FAILURE_LIMIT == 10
    ninth = _fail(client, "user1", 9)
    assert ninth.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in ninth.content.decode()
    tenth = _fail(client, "user1", 1)
    assert tenth.status_code == 429 and LOCKED in tenth.content.decode()
    right = _login(client, "user1")
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session
    # the lock is on the username: another address does not help
    assert _login(client, "user1", ip="10.9.9.9").status_code == 429


@pytest.mark.django_db
def test_nine_wrong_passwords_then_the_right_one_signs_in_and_resets_the_count(client, make_user, tree):
    make_user(Role.OFFICER, tree.md)
    _fail(client, "user1", 9)
    assert _login(client, "user1").status_code == 302
    client.post("/dang-xuat/")
    assert _fail(client, "user1", 9).status_code == 200  # counting starts again after a success


@pytest.mark.django_db
def test_ten_failures_from_one_address_lock_that_address_for_every_username(client, make_user, tree):
    make_user(Role.OFFICER, tree.md)  # user1
    for n in range(10):
        _fail(client, f"doan-{n}", 1, ip="10.0.0.7")
    blocked = _login(client, "user1", ip="10.0.0.7")
    assert blocked.status_code == 429
    # the page says the address is blocked, not the account (office colleagues share one address)
    assert "Tài khoản của bạn không bị khóa" in blocked.content.decode()
    assert LOCKED not in blocked.content.decode()
    assert _login(client, "user1", ip="10.0.0.8").status_code == 302


@pytest.mark.django_db
def test_failures_of_one_account_from_several_addresses_add_up(client, make_user, tree):
    from accounts.selectors import locked_usernames

    make_user(Role.OFFICER, tree.md)  # user1
    for n in range(10):
        _fail(client, "user1", 1, ip=f"10.0.1.{n}")
    response = _login(client, "user1", ip="10.0.2.1")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert locked_usernames(["user1"]) == {"user1"}


@pytest.mark.django_db
def test_admin_login_is_locked_too(client, make_user):
    make_user(is_staff=True, is_superuser=True)  # user1
    response = _fail(client, "user1", 10, path="/quan-tri/login/")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert _login(client, "user1", path="/quan-tri/login/").status_code == 429


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client, make_user, tree):
    make_user(Role.OFFICER, tree.md)
    from axes.models import AccessAttempt

    _fail(client, "user1", 10)
    assert _login(client, "user1").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    )
    assert _login(client, "user1").status_code == 302


@pytest.mark.django_db
def test_the_admin_site_action_unlocks(client, make_user, tree):
    locked = make_user(Role.OFFICER, tree.md)  # user1
    admin = make_user(is_staff=True, is_superuser=True)  # user2
    _fail(client, locked.username, 10)
    assert _login(client, locked.username).status_code == 429
    staff = client.__class__()
    staff.force_login(admin)
    response = staff.post(
        "/quan-tri/accounts/user/", {"action": "unlock_login", "_selected_action": [locked.pk]}, follow=True
    )
    assert "Đã mở khóa đăng nhập cho 1 tài khoản" in response.content.decode()
    assert _login(client, locked.username).status_code == 302
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(locked.pk)).exists()


@pytest.mark.django_db
def test_an_administrator_of_the_unit_unlocks_from_the_accounts_screen(client, make_user, tree):
    locked = make_user(Role.OFFICER, tree.ubnd)  # user1
    admin = make_user(Role.ADMIN, tree.md)  # user2: role.manage on Mỹ Đức
    elsewhere = make_user(Role.ADMIN, tree.hbt)  # user3: another district
    _fail(client, locked.username, 10)
    other = client.__class__()
    other.force_login(elsewhere)
    assert locked.username not in other.get("/tai-khoan/nguoi-dung/").content.decode()
    assert other.post(f"/tai-khoan/nguoi-dung/{locked.pk}/mo-khoa/").status_code == 404
    assert _login(client, locked.username).status_code == 429

    manager = client.__class__()
    manager.force_login(admin)
    listing = manager.get("/tai-khoan/nguoi-dung/").content.decode()
    assert locked.username in listing and "Đang bị khóa" in listing
    assert manager.post(f"/tai-khoan/nguoi-dung/{locked.pk}/mo-khoa/").status_code == 302
    assert _login(client, locked.username).status_code == 302


# --- administrator's temporary password and one's own password --------------------------------------


@pytest.mark.django_db
def test_temporary_password_must_be_changed_at_next_sign_in(client, make_user, tree):
    member = make_user(Role.OFFICER, tree.ubnd)  # user1
    admin = make_user(Role.ADMIN, tree.md)
    manager = client.__class__()
    manager.force_login(admin)
    response = manager.post(
        f"/tai-khoan/nguoi-dung/{member.pk}/dat-mat-khau/",
        {"password1": "Tam-thoi-2026!x", "password2": "Tam-thoi-2026!x"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.must_change_password and member.check_password("Tam-thoi-2026!x")
    event = AuditEvent.objects.get(action="user.password_reset", object_id=str(member.pk))
    assert "Tam-thoi" not in str(event.changes) + event.summary

    assert _login(client, member.username, "Tam-thoi-2026!x").status_code == 302
    blocked = client.get("/don-vi/")
    assert blocked.status_code == 302 and blocked["Location"] == "/tai-khoan/doi-mat-khau/"
    page = client.get("/tai-khoan/doi-mat-khau/").content.decode()
    assert "Quản trị viên đã đặt mật khẩu tạm" in page
    wrong = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "sai", "new_password1": "Rieng-cua-toi-77", "new_password2": "Rieng-cua-toi-77"},
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.content.decode()
    done = client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": "Tam-thoi-2026!x",
            "new_password1": "Rieng-cua-toi-77",
            "new_password2": "Rieng-cua-toi-77",
        },
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert not member.must_change_password and member.check_password("Rieng-cua-toi-77")
    assert client.get("/don-vi/").status_code == 200  # still signed in, free to go
    assert AuditEvent.objects.filter(action="user.password_change", object_id=str(member.pk)).exists()


@pytest.mark.django_db
def test_an_account_acting_outside_the_administrators_scope_cannot_be_reset(client, make_user, tree):
    from accounts.models import RoleAssignment

    target = make_user(Role.OFFICER, tree.ubnd)
    RoleAssignment.objects.create(user=target, role=Role.ADMIN, unit=tree.hn)  # also acts above Mỹ Đức
    admin = make_user(Role.ADMIN, tree.md)
    officer = make_user(Role.OFFICER, tree.md)  # no role.manage
    client.force_login(admin)
    url = f"/tai-khoan/nguoi-dung/{target.pk}/dat-mat-khau/"
    assert (
        client.post(url, {"password1": "Tam-thoi-2026!x", "password2": "Tam-thoi-2026!x"}).status_code == 404
    )
    client.force_login(officer)
    assert client.get(url).status_code == 403
    target.refresh_from_db()
    assert not target.must_change_password


@pytest.mark.django_db
def test_profile_links_to_password_change_and_weak_password_is_refused(client, make_user, tree):
    user = make_user(Role.LEADER, tree.md)
    client.force_login(user)
    assert 'href="/tai-khoan/doi-mat-khau/"' in client.get("/tai-khoan/").content.decode()
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("pw")


# --- second factor -------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(THIDUA_OTP_REQUIRED=True)
def test_officer_who_sees_citizen_ids_must_enrol_then_give_a_code_each_sign_in(client, make_user, tree):
    officer = make_user(Role.OFFICER, tree.md)  # person.view_sensitive
    assert _login(client, officer.username).status_code == 302
    first = client.get("/doan-vien/")
    assert first.status_code == 302 and first["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    assert client.get("/quan-tri/").status_code == 302  # the admin site too
    setup = client.get(first["Location"]).content.decode()
    assert "<svg" in setup and "Bật xác thực hai bước" in setup
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(
        "/tai-khoan/xac-thuc-hai-buoc/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device), "next": "/doan-vien/"})
    assert done.status_code == 302 and done["Location"].startswith("/tai-khoan/ma-du-phong/")
    codes_page = client.get(done["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in codes_page for code in codes)
    assert codes[0] not in client.get("/tai-khoan/ma-du-phong/").content.decode()  # shown once
    assert client.get("/doan-vien/").status_code == 200
    assert AuditEvent.objects.filter(action="user.otp_enrol", object_id=str(officer.pk)).exists()
    officer.refresh_from_db()
    assert officer.otp_enrolled

    # next sign-in: password, then the code
    client.post("/dang-xuat/")
    assert _login(client, officer.username).status_code == 302
    asked = client.get("/doan-vien/")
    assert asked["Location"].startswith("/tai-khoan/ma-xac-thuc/")
    bad = client.post("/tai-khoan/ma-xac-thuc/", {"token": "12"})
    assert "Mã không đúng hoặc đã hết hạn" in bad.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post("/tai-khoan/ma-xac-thuc/", {"token": _code(device, offset=1), "next": "/doan-vien/"})
    assert ok.status_code == 302 and ok["Location"] == "/doan-vien/"
    assert client.get("/doan-vien/").status_code == 200


@pytest.mark.django_db
@override_settings(THIDUA_OTP_REQUIRED=True)
def test_a_recovery_code_signs_in_once(client, make_user, tree):
    officer = make_user(Role.OFFICER, tree.md)
    device = TOTPDevice.objects.create(user=officer, name="x", confirmed=False)
    from accounts.services import otp_enrol_confirm

    code = otp_enrol_confirm(user=officer, device=device, count=3)[0]
    _login(client, officer.username)
    assert client.post("/tai-khoan/ma-xac-thuc/", {"token": code}).status_code == 302
    assert client.get("/doan-vien/").status_code == 200
    client.post("/dang-xuat/")
    _login(client, officer.username)
    reused = client.post("/tai-khoan/ma-xac-thuc/", {"token": code})
    assert reused.status_code == 200 and "Mã không đúng" in reused.content.decode()


@pytest.mark.django_db
@override_settings(THIDUA_OTP_REQUIRED=True)
def test_users_without_unmasked_data_are_not_asked_but_may_enrol(client, make_user, tree):
    leader = make_user(Role.LEADER, tree.md)  # no person.view_sensitive
    _login(client, leader.username)
    assert client.get("/doan-vien/").status_code == 200
    assert "chưa bật (không bắt buộc)" in client.get("/tai-khoan/").content.decode()
    client.get("/tai-khoan/xac-thuc-hai-buoc/")
    device = TOTPDevice.objects.get(user=leader)
    client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device)})
    client.post("/dang-xuat/")
    _login(client, leader.username)
    # having enrolled, they are asked for the code like everybody else who did
    assert client.get("/doan-vien/")["Location"].startswith("/tai-khoan/ma-xac-thuc/")


@pytest.mark.django_db
def test_without_the_setting_password_alone_still_signs_in_demo_users(client, make_user, tree):
    assert settings.THIDUA_OTP_REQUIRED is False  # test (and dev) settings
    officer = make_user(Role.OFFICER, tree.md)
    _login(client, officer.username)
    assert client.get("/doan-vien/").status_code == 200


@pytest.mark.django_db
@override_settings(THIDUA_OTP_REQUIRED=True)
def test_an_unverified_user_cannot_replace_the_enrolled_phone(client, make_user, tree):
    officer = make_user(Role.OFFICER, tree.md)
    device = TOTPDevice.objects.create(user=officer, name="x", confirmed=True)
    _login(client, officer.username)
    response = client.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/ma-xac-thuc/")
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]


# --- session limits ------------------------------------------------------------------------------------


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.django_db
def test_idle_session_ends_after_the_idle_minutes(client, make_user, tree):
    user = make_user(Role.OFFICER, tree.md)
    start = timezone.now()
    with _at(start):
        client.force_login(user)
        assert client.get("/don-vi/").status_code == 200
    with _at(start + dt.timedelta(minutes=settings.THIDUA_SESSION_IDLE_MINUTES - 1)):
        assert client.get("/don-vi/").status_code == 200
    with _at(start + dt.timedelta(minutes=2 * settings.THIDUA_SESSION_IDLE_MINUTES)):
        response = client.get("/don-vi/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    page = client.get(response["Location"]).content.decode()
    assert "không thao tác quá 30 phút" in page
    assert client.get("/don-vi/").status_code == 302  # signed out


@pytest.mark.django_db
def test_activity_does_not_extend_a_session_beyond_the_absolute_cap(client, make_user, tree):
    user = make_user(Role.OFFICER, tree.md)
    start = timezone.now()
    with _at(start):
        client.force_login(user)
    moment = start
    while moment < start + dt.timedelta(hours=settings.THIDUA_SESSION_MAX_HOURS, minutes=-20):
        moment += dt.timedelta(minutes=20)
        with _at(moment):
            assert client.get("/tai-khoan/").status_code == 200
    with _at(start + dt.timedelta(hours=settings.THIDUA_SESSION_MAX_HOURS, minutes=5)):
        response = client.get("/tai-khoan/")
    assert (
        response.status_code == 302
        and "kéo dài quá 12 giờ" in client.get(response["Location"]).content.decode()
    )


@pytest.mark.django_db
def test_last_activity_is_written_at_most_once_a_minute(client, make_user, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.security import SESSION_SEEN

    user = make_user(Role.LEADER, tree.md)
    start = timezone.now()
    with _at(start):
        client.force_login(user)
        client.get("/tai-khoan/")
    seen = client.session[SESSION_SEEN]
    with _at(start + dt.timedelta(seconds=30)), CaptureQueriesContext(connection) as quiet:
        client.get("/tai-khoan/")
    assert client.session[SESSION_SEEN] == seen  # not rewritten within the minute
    with _at(start + dt.timedelta(seconds=61)), CaptureQueriesContext(connection) as writing:
        client.get("/tai-khoan/")
    assert client.session[SESSION_SEEN] > seen
    session_writes = [
        q["sql"] for q in writing.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert len(session_writes) == 1  # one UPDATE (in a savepoint) a minute, none in between
    assert not [q for q in quiet.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == settings.THIDUA_SESSION_MAX_HOURS * 3600


def test_session_cookie_no_longer_lasts_two_weeks():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert User._meta.get_field("must_change_password").default is False


@pytest.mark.django_db
def test_enrolment_after_a_wrong_code_says_to_wait_not_that_the_right_code_is_wrong(client, make_user, tree):
    leader = make_user(Role.LEADER, tree.md)
    _login(client, leader.username)
    client.get("/tai-khoan/xac-thuc-hai-buoc/")
    device = TOTPDevice.objects.get(user=leader)
    client.post(
        "/tai-khoan/xac-thuc-hai-buoc/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    page = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device)}).content.decode()
    assert "hãy đợi" in page and "Mã không đúng" not in page
    device.refresh_from_db()
    assert not device.confirmed
