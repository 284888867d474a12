"""The user guide ("Hướng dẫn"): one short Vietnamese page per main screen and the annual cycle step
by step. The pages are templates under `templates/help/`; the kernel only serves them (their links are
`{% url %}` / `{% guide_link %}` tags resolved when rendered, so no app is imported here).

`PAGES` is the registry: each page declares the URL names of the screens it documents (`screens`);
core/tests/test_docs_match_screens.py requires every main-menu entry of templates/base.html to be
declared by a page (and linked from it), every declared name and every link or path in the templates to
exist, and README's screen table to open."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@dataclass(frozen=True)
class HelpPage:
    """A page of the guide: `screens` are the URL names of the screens it documents (and links with
    `{% url %}`) — every entry of the main menu is one of them (core/tests/test_docs_match_screens.py)."""

    slug: str
    title: str
    icon: str
    screens: tuple[str, ...] = ()


PAGES = (
    HelpPage(
        "chu-trinh",
        "Chu trình thi đua – khen thưởng hằng năm",
        "bi-arrow-repeat",
        ("core:home",),
    ),
    HelpPage("don-vi", "Đơn vị", "bi-diagram-3", ("organizations:tree", "core:audit")),
    HelpPage(
        "doan-vien",
        "Đoàn viên và nhập danh sách từ Excel",
        "bi-people",
        ("members:list",),
    ),
    HelpPage(
        "phong-trao",
        "Phong trào, đăng ký thi đua và xếp loại",
        "bi-flag",
        ("movements:list", "movements:create"),
    ),
    HelpPage("sang-kien", "Sáng kiến", "bi-lightbulb", ("initiatives:list", "initiatives:create")),
    HelpPage("cum-thi-dua", "Cụm, khối thi đua", "bi-grid-3x3-gap", ("clusters:cluster_index",)),
    HelpPage(
        "ho-so",
        "Hồ sơ khen thưởng và quyết định",
        "bi-folder-check",
        ("nominations:inbox", "nominations:notifications", "nominations:deadlines"),
    ),
    HelpPage(
        "hoi-dong",
        "Hội đồng Thi đua – Khen thưởng",
        "bi-people-fill",
        ("nominations:council_members", "nominations:session_open"),
    ),
    HelpPage(
        "khen-thuong",
        "Khen thưởng và sổ khen thưởng",
        "bi-award",
        ("commendations:index", "commendations:records", "commendations:rulesets"),
    ),
    HelpPage("bao-cao", "Báo cáo", "bi-bar-chart", ("reports:index", "jobs:list")),
    HelpPage("cua-toi", "Trang của tôi", "bi-person-vcard", ("me",)),
    HelpPage(
        "nguoi-dung",
        "Người dùng và phân quyền",
        "bi-shield-lock",
        ("accounts:profile", "accounts:users", "admin:index"),
    ),
)
BY_SLUG = {p.slug: p for p in PAGES}


@login_required
def help_index(request):
    return render(request, "help/index.html", {"pages": PAGES})


@login_required
def help_page(request, slug):
    page = BY_SLUG.get(slug)
    if page is None:
        raise Http404("Không có trang hướng dẫn này.")
    return render(request, f"help/{slug}.html", {"page": page, "pages": PAGES})
