"""The clicks of the annual-cycle walk (browser_tests/test_cycle_walk.py), one function per role.

A `Walk` drives one browser page at one width through the cycle: it signs each demo account in from the
login page, then only clicks links and buttons and fills the forms it finds (never `page.goto`, except
the public posting link a citizen opens from outside). Every action names the role and the click, so a
failure says "[390 px] canbo.myduc — click “Đồng ý, chuyển cấp trên”: …"; every step leaves a
screenshot in test-artifacts/walk/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from core.text import fold

from .conftest import ARTIFACTS
from .test_foundation import login, logout

SHOTS = ARTIFACTS / "walk"
TIMEOUT_MS = 20_000  # generous: the walk also runs on a loaded CI machine


@dataclass
class Walk:
    page: object
    live_server: object
    width: int
    tmp_path: Path
    role: str = "—"
    signed_in: bool = False
    shots: list[Path] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # clicks the screens do not offer yet (see `or_gap`)
    failed: list[str] = field(default_factory=list)  # responses >= 400 met on the way, with the role
    console: list[str] = field(default_factory=list)  # console errors, with the role and the resource
    count: int = 0

    def __post_init__(self):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.set_viewport_size({"width": self.width, "height": 900})
        self.page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        self.page.on("console", self._console)
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{self.role}: {r.status} {r.url}") if r.status >= 400 else None,
        )

    def _console(self, message) -> None:
        url = message.location.get("url") or ""
        # Chromium's own PDF viewer (opened by "In giấy khen") asks for /favicon.ico: not a page of ours
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.console.append(f"{self.role}: {message.text} [{url}]")

    # --- messages ------------------------------------------------------------------------------------

    def where(self, what: str) -> str:
        return f"[{self.width} px] {self.role} — {what} (trang {self.page.url})"

    def _fail(self, what: str, exc: Exception) -> AssertionError:
        first = (getattr(exc, "message", None) or str(exc)).strip().splitlines()[0]
        self.shot(f"FAILED-{self.role}")
        return AssertionError(f"{self.where(what)}: {first}")

    # --- sessions ------------------------------------------------------------------------------------

    def sign_in(self, username: str, *, shot: bool = True) -> None:
        """Sign out the previous account through its button, then sign in from the login page: the
        walk of each role starts on the home page."""
        if self.signed_in:
            try:
                logout(self.page)
            except (PlaywrightError, AssertionError) as exc:
                raise self._fail("đăng xuất", exc) from exc
        self.role = username
        try:
            login(self.page, self.live_server, username)
        except (PlaywrightError, AssertionError) as exc:
            raise self._fail("đăng nhập", exc) from exc
        self.signed_in = True
        if shot:
            self.shot("home")

    def sign_out(self) -> None:
        if self.signed_in:
            logout(self.page)
            self.signed_in = False
        self.role = "người dân"

    # --- actions -------------------------------------------------------------------------------------

    def click(self, locator, what: str, *, navigates: bool = True) -> None:
        try:
            locator.first.click()
            if navigates:
                self.page.wait_for_load_state()
        except PlaywrightError as exc:
            raise self._fail(f"bấm {what}", exc) from exc

    def link(self, name, what: str | None = None, *, exact: bool = True) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=exact), what or f"liên kết “{name}”")

    def button(self, name, what: str | None = None, *, exact: bool = True) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=exact), what or f"nút “{name}”")

    def fill(self, label, value: str, *, exact: bool = False) -> None:
        try:
            self.page.get_by_label(label, exact=exact).first.fill(value)
        except PlaywrightError as exc:
            raise self._fail(f"điền ô “{label}”", exc) from exc

    def select(self, label, *, option_label: str | None = None, value: str | None = None) -> None:
        try:
            box = self.page.get_by_label(label).first
            if option_label is not None:
                box.select_option(label=option_label)
            else:
                box.select_option(value)
        except PlaywrightError as exc:
            raise self._fail(f"chọn “{option_label or value}” trong ô “{label}”", exc) from exc

    def check(self, locator, what: str) -> None:
        try:
            locator.first.check()
        except PlaywrightError as exc:
            raise self._fail(f"đánh dấu {what}", exc) from exc

    def see(self, locator, what: str) -> None:
        try:
            expect(locator.first, self.where(f"thấy {what}")).to_be_visible()
        except AssertionError:
            self.shot(f"FAILED-{self.role}")
            raise

    def see_text(self, text, what: str | None = None) -> None:
        self.see(self.page.get_by_text(text), what or f"“{text}”")

    def menu(self, name: str) -> None:
        """A link of the main menu: on a phone the menu opens first (the toggler button)."""
        page = self.page
        toggler = page.get_by_role("button", name="Mở menu")
        if toggler.is_visible():
            self.click(toggler, "nút “Mở menu”", navigates=False)
            try:
                expect(page.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
            except AssertionError as exc:
                raise self._fail("mở menu", exc) from exc
        self.click(page.locator("#nav-main").get_by_role("link", name=name, exact=True), f"menu “{name}”")

    def home(self) -> None:
        self.click(self.page.get_by_role("link", name="thidua", exact=True), "logo về trang chủ")
        self.see(self.page.get_by_role("heading", name=re.compile("Xin chào")), "trang chủ")

    def card(self, title: str, line=None) -> None:
        """A home-page task card: its title link, or one of its listed lines."""
        card = self.page.locator(".task-card").filter(
            has=self.page.get_by_role("heading", name=title, exact=True)
        )
        self.see(card, f"thẻ việc “{title}” trên trang chủ")
        if line is None:
            self.click(card.get_by_role("link", name=title, exact=True), f"thẻ “{title}”")
        else:
            self.click(card.locator("li").get_by_role("link", name=line), f"dòng “{line}” của thẻ “{title}”")

    def pick(self, label: str, query: str, pk: int) -> None:
        """A search picker (person or unit): type, then click the result."""
        page = self.page
        box = page.locator("[data-picker]").filter(has=page.get_by_label(label, exact=True))
        try:
            box.get_by_role("combobox").fill(query)
        except PlaywrightError as exc:
            raise self._fail(f"gõ “{query}” vào ô tìm “{label}”", exc) from exc
        self.click(box.locator(f"[data-pick='{pk}']"), f"kết quả “{query}” của ô “{label}”", navigates=False)
        try:
            expect(box.locator("input[type=hidden]")).to_have_value(str(pk))
        except AssertionError as exc:
            raise self._fail(f"chọn “{query}” trong ô “{label}”", exc) from exc

    def or_gap(self, locator, what: str, *, gap: str, fallback: str) -> None:
        """Click `locator` when the page offers it; else record the missing click as a gap (the test
        compares them with its declared KNOWN_GAPS) and go on to `fallback`, so the rest of the walk still
        runs. Used only where a click is known to be missing."""
        try:
            locator.first.wait_for(timeout=3_000)
        except PlaywrightError:
            self.gaps.append(gap)
            self.shot("GAP")
            self.page.goto(f"{self.live_server.url}{fallback}")
            return
        self.click(locator, what)

    def download(self, locator, what: str):
        try:
            with self.page.expect_download() as info:
                locator.first.click()
        except PlaywrightError as exc:
            raise self._fail(f"tải về {what}", exc) from exc
        path = self.tmp_path / f"{self.width}-{info.value.suggested_filename}"
        info.value.save_as(path)
        return path

    def open_pdf(self, locator, what: str) -> tuple[str, bytes]:
        """A link the browser opens itself (an inline PDF, to print): its content type, and its body as
        the same session fetches it (Chromium's viewer replaces the page's own body)."""
        try:
            href = locator.first.get_attribute("href")
            with self.page.expect_response(lambda r: r.request.resource_type == "document") as info:
                locator.first.click()
            response = info.value
            assert response.status == 200, self.where(f"mở {what}: trả về {response.status}")
            body = self.page.context.request.get(f"{self.live_server.url}{href}").body()
            return response.headers.get("content-type", ""), body
        except PlaywrightError as exc:
            raise self._fail(f"mở {what}", exc) from exc

    def shot(self, name: str) -> Path:
        self.count += 1
        safe = re.sub(r"[^a-z0-9.-]+", "-", fold(f"{self.role}-{name}")).strip("-")
        path = SHOTS / f"{self.width}-{self.count:02d}-{safe}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path
