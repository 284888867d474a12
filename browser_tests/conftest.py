"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Skipped when /usr/bin/chromium is absent, unless THIDUA_REQUIRE_BROWSER=1 (set by .ci/run), where a
missing browser is a failure. Screenshots go to test-artifacts/ (kept out of git).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("THIDUA_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"THIDUA_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium"
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser_tests" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-quic",
            "--lang=vi-VN",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(page, name: str, *, width: int):
        page.set_viewport_size({"width": width, "height": 900})
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def sign_in_officer(page, live_server, *, unit, username: str, full_name: str, width: int):
    """A new officer of `unit` (role since 2020) signed in through the login page at `width` px."""
    import datetime as dt
    import re

    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    from accounts.models import RoleAssignment
    from accounts.roles import Role

    officer = get_user_model().objects.create_user(
        username=username, password="mat-khau-thu-nghiem", full_name=full_name
    )
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, unit=unit, valid_from=dt.date(2020, 1, 1))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    return officer


def sign_in_city_officer(page, live_server, tree, *, width: int):
    """The officer of LĐLĐ thành phố Hà Nội (Lê Văn Thành, role since 2020) signed in at `width` px."""
    return sign_in_officer(
        page, live_server, unit=tree.hn, username="canbo.hanoi", full_name="Lê Văn Thành", width=width
    )
