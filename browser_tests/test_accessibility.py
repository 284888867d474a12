"""Issue 13, acceptance 6: axe-core (vendored, static/vendor/axe-core/axe.min.js, used only here) run in
Chromium on every main screen of the walk — for an officer, a council member and a member, at phone
(390 px) and desktop (1280 px) widths — reports no critical and no serious violation.

The demo is loaded, its dossier is taken to a public posting and a council session (services, as the
screens would), then each screen is opened, axe is injected with `page.add_script_tag(path=...)` and
`axe.run()` returns its violations; every critical or serious one is printed with the rule, the element
and axe's help, and the test fails on any. The screens must also answer as expected (200; the error page
404), so a screen that vanished cannot pass by being skipped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from members.models import Membership
from movements.models import Movement
from nominations import services
from nominations.models import CouncilSession, Dossier
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
BLOCKING = ("critical", "serious")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary, html: n.html.slice(0, 160)})),
  }));
}"""


def _optional(name: str, *args) -> str | None:
    """A URL that another piece of work adds (e.g. "Trang của tôi"); None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _advance_demo_dossier() -> tuple[Dossier, CouncilSession]:
    """The demo's dossier (submitted by Công đoàn UBND huyện Mỹ Đức) up to LĐLĐ thành phố Hà Nội: opened
    and forwarded by the district, accepted by the city, posted for comments, the posting closed, a council
    session opened on it."""
    district = User.objects.get(username="canbo.myduc")
    city = User.objects.get(username="canbo.hanoi")
    dossier = Dossier.objects.get(proposing_unit__code="HN-MD-UBND", year=2024)
    services.step_open(acting_user=district, dossier=dossier)
    services.step_forward(acting_user=district, dossier=dossier)
    dossier = services.step_accept(acting_user=city, dossier=dossier)
    today = timezone.localdate()
    dossier.refresh_from_db()
    if dossier.state == "POSTED":
        services.posting_open(
            acting_user=city, dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
        )
        services.posting_close(acting_user=city, dossier=dossier, early_reason="Đã đủ ý kiến góp ý")
        dossier.refresh_from_db()
    session = services.council_session_open(
        acting_user=city,
        unit=OrgUnit.objects.get(code="HN"),
        title="Phiên họp xét khen thưởng năm 2024",
        held_on=today,
        dossiers=[dossier],
    )
    return dossier, session


def _screens(role: str) -> list[tuple[str, str, int]]:
    """(label, URL, expected status) of the main screens of the walk for `role`."""
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    md = OrgUnit.objects.get(code="HN-MD")
    dossier, session = _advance_demo_dossier()
    movement = Movement.objects.filter(organiser=md, year=2024, kind="YEARLY").first()
    sitting = Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
    person = sitting.order_by("person__sort_key").first().person
    member = User.objects.get(username="doanvien.myduc")
    posting = getattr(dossier, "posting", None)
    common = [
        ("Trang chủ", "/", 200),
        ("Phong trào", reverse("movements:list"), 200),
        ("Một phong trào", reverse("movements:detail", args=[movement.pk]), 200),
        ("Hướng dẫn", reverse("help:index"), 200),
        ("Hướng dẫn: chu trình", reverse("help:page", args=["chu-trinh"]), 200),
        ("Tài khoản", reverse("accounts:profile"), 200),
        ("Thông báo", reverse("nominations:notifications"), 200),
        ("Trang không có", "/khong-co-trang-nay/", 404),
    ]
    if role == "officer":
        screens = [
            ("Cây đơn vị", reverse("organizations:tree"), 200),
            ("Trang đơn vị", reverse("organizations:detail", args=[ubnd.pk]), 200),
            ("Danh sách đoàn viên", reverse("members:list") + f"?don_vi={ubnd.pk}", 200),
            ("Trang đoàn viên", reverse("members:detail", args=[person.pk]), 200),
            ("Bảng xếp loại", reverse("movements:evaluations") + f"?don_vi={ubnd.pk}&nam=2024", 200),
            ("Sáng kiến", reverse("initiatives:list"), 200),
            ("Cụm thi đua", reverse("clusters:cluster_index"), 200),
            ("Khen thưởng", reverse("commendations:index"), 200),
            ("Sổ khen thưởng", reverse("commendations:records"), 200),
            ("Có thể đề nghị (cá nhân)", reverse("commendations:person", args=[person.pk]), 200),
            ("Hồ sơ khen thưởng", reverse("nominations:inbox"), 200),
            ("Một hồ sơ", dossier.get_absolute_url(), 200),
            ("Phiên họp Hội đồng", reverse("nominations:session", args=[session.pk]), 200),
            ("Báo cáo", reverse("reports:index"), 200),
            ("Bảng số liệu", reverse("reports:dashboard", args=[md.pk]), 200),
            ("Tin bài dự thảo", reverse("reports:news", args=[md.pk]), 200),
            ("Nhật ký", reverse("core:audit"), 200),
            ("Tệp đã tạo", reverse("jobs:list"), 200),
        ]
    elif role == "council":
        screens = [
            ("Hồ sơ khen thưởng", reverse("nominations:inbox"), 200),
            ("Một hồ sơ", dossier.get_absolute_url(), 200),
            ("Phiên họp Hội đồng", reverse("nominations:session", args=[session.pk]), 200),
            ("Sáng kiến", reverse("initiatives:list"), 200),
            ("Khen thưởng", reverse("commendations:index"), 200),
        ]
    else:
        screens = [
            ("Trang đoàn viên của tôi", reverse("members:detail", args=[member.person_id]), 200),
            ("Có thể đề nghị (của tôi)", reverse("commendations:person", args=[member.person_id]), 200),
            ("Trang của tôi", _optional("me"), 200),
        ]
    public = [("Trang công khai", posting.get_absolute_url(), 200)] if posting else []
    return [s for s in screens + common + public if s[1]]


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def _report(found: list[tuple[str, int, str, dict]]) -> str:
    lines = []
    for label, width, url, v in found:
        lines.append(f"{label} ({url}, {width} px): [{v['impact']}] {v['id']} — {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}  {n['html']}")
            lines.append("      " + " ".join((n["summary"] or "").split())[:300])
    return "\n".join(lines)


def _walk(context, live_server, screens, *, username: str | None) -> list:
    found = []
    page = context.new_page()
    if username:
        login(page, live_server, username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for label, url, status in screens:
            response = page.goto(f"{live_server.url}{url}", wait_until="networkidle")
            assert response is not None and response.status == status, (
                label,
                url,
                response and response.status,
            )
            found += [(label, width, url, v) for v in _violations(page)]
    page.close()
    return found


@pytest.fixture
def axe_context(browser):
    """A browser context that lets the injected axe script run under the site's strict CSP."""
    context = browser.new_context(bypass_csp=True, locale="vi-VN")
    yield context
    context.close()


@pytest.mark.parametrize(
    ("role", "username"),
    [("officer", "canbo.hanoi"), ("council", "hoidong.hanoi"), ("member", "doanvien.myduc")],
)
def test_main_screens_have_no_critical_or_serious_axe_violation(axe_context, live_server, role, username):
    call_command("load_demo", verbosity=0)
    screens = _screens(role)
    found = _walk(axe_context, live_server, [("Đăng nhập", reverse("accounts:login"), 200)], username=None)
    found += _walk(axe_context, live_server, screens, username=username)
    print(f"axe {role}: {len(screens) + 1} screens × {len(WIDTHS)} widths, {len(found)} blocking violations")
    assert not found, "axe-core found critical or serious violations:\n" + _report(found)


def test_axe_reports_a_serious_violation_when_there_is_one(axe_context, live_server):
    """The check can fail: an image without alternative text and an unnamed button are found."""
    page = axe_context.new_page()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.evaluate(
        """() => { const m = document.querySelector("main");
        m.insertAdjacentHTML("beforeend", '<img src="/static/favicon.svg"><button type="button"></button>'); }"""
    )
    ids = {v["id"] for v in _violations(page)}
    assert {"image-alt", "button-name"} <= ids, ids
