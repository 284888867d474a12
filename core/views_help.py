"""The user guide ("Hướng dẫn"): one short Vietnamese page per main screen and the annual cycle step
by step. The pages are templates under `templates/help/`; the kernel only serves them (their links are
`{% url %}` tags resolved when rendered, so no app is imported here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    icon: str


PAGES = (
    HelpPage("chu-trinh", "Chu trình thi đua – khen thưởng hằng năm", "bi-arrow-repeat"),
    HelpPage("don-vi", "Đơn vị", "bi-diagram-3"),
    HelpPage("doan-vien", "Đoàn viên và nhập danh sách từ Excel", "bi-people"),
    HelpPage("phong-trao", "Phong trào, đăng ký thi đua và xếp loại", "bi-flag"),
    HelpPage("sang-kien", "Sáng kiến", "bi-lightbulb"),
    HelpPage("cum-thi-dua", "Cụm, khối thi đua", "bi-grid-3x3-gap"),
    HelpPage("ho-so", "Hồ sơ khen thưởng, Hội đồng TĐKT và quyết định", "bi-folder-check"),
    HelpPage("khen-thuong", "Khen thưởng và sổ khen thưởng", "bi-award"),
    HelpPage("bao-cao", "Báo cáo", "bi-bar-chart"),
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
