"""Report pages: the unit dashboard, its .xlsx exports, the year-end summary and the news draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import Action, can
from core.downloads import file_response
from core.filters import year_from
from organizations.selectors import orgunit_breadcrumbs
from organizations.shortcuts import get_unit_or_404

from . import dashboard as dash
from .exports import award_form_xlsx, table_xlsx
from .models import CounterYear
from .selectors import awards_by_subject_category, counters_freshness
from .tasks import counters_rebuild_task


def report_year(request) -> int:
    """?nam=, else the latest year whose counters were built (not in the future), else last year."""
    chosen = year_from(request.GET)
    if chosen is not None:
        return chosen
    today = timezone.localdate()
    latest = (
        CounterYear.objects.filter(year__lte=today.year, rebuilt_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or today.year - 1


@login_required
def unit_dashboard(request, pk):
    unit = get_unit_or_404(request, pk)
    year = report_year(request)
    data = dash.build(unit=unit, year=year, user=request.user)
    from documents.selectors import movements_organised

    context = {
        **data,
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        "freshness": counters_freshness(unit=unit, years=[year - 1, year]),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        # figures refresh by themselves after each write; the whole rebuild stays for administrators
        "may_rebuild": request.user.is_superuser,
        "movements": movements_organised(unit=unit, year=year),
        "may_documents": can(request.user, Action.MOVEMENT_MANAGE, unit.path),
        "may_subject_categories": can(request.user, Action.PERSON_VIEW, unit.path),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def table_export(request, pk, key):
    unit = get_unit_or_404(request, pk)
    year = report_year(request)
    data = dash.build(unit=unit, year=year, user=request.user)
    table = data["tables"].get(key)
    if table is None:
        raise Http404("Không có bảng này.")
    content = table_xlsx(table, title=unit.name)
    return file_response(content, f"{key}-{unit.code}-{year}.xlsx")


@login_required
def award_form_export(request, pk):
    """Biểu số 02/TĐKT — Số lượng khen thưởng, from the rolled-up counters."""
    unit = get_unit_or_404(request, pk)
    year = report_year(request)
    content = award_form_xlsx(dash.award_form(unit=unit, year=year))
    return file_response(content, f"bieu-02-tdkt-{unit.code}-{year}.xlsx")


@login_required
@require_POST
def rebuild(request, pk):
    unit = get_unit_or_404(request, pk, Action.MOVEMENT_MANAGE)
    year = report_year(request)
    counters_rebuild_task.enqueue(year, unit.pk)
    messages.success(
        request, f"Đã yêu cầu tổng hợp lại số liệu năm {year}; số liệu được cập nhật sau ít phút."
    )
    return redirect(f"{reverse('reports:dashboard', args=[unit.pk])}?nam={year}")


@login_required
def subject_categories(request, pk):
    """Awards to individuals by subject category (phân loại đối tượng): the share going to direct workers,
    by level, sector and sex — live from the award registry the user may read (person.view)."""
    from commendations.choices import SubjectCategory

    unit = get_unit_or_404(request, pk, Action.PERSON_VIEW)
    year = report_year(request)
    figures = awards_by_subject_category(user=request.user, unit=unit, year=year)
    return render(
        request,
        "reports/subject_categories.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            "categories": [*SubjectCategory.labels, "Chưa phân loại"],
            "total": figures["total"],
            "tables": [
                ("cap", "Theo cấp khen thưởng", "Cấp khen thưởng", figures["levels"]),
                ("khoi", "Theo khối", "Khối", figures["sectors"]),
                ("gioi-tinh", "Theo giới tính", "Giới tính", figures["sexes"]),
            ],
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def summary_docx(request, pk):
    from .summary import summary_docx as build_summary

    unit = get_unit_or_404(request, pk)
    year = report_year(request)
    content = build_summary(unit=unit, year=year, user=request.user)
    return file_response(content, f"bao-cao-tong-ket-{unit.code}-{year}.docx")


def _news(request, pk):
    from .summary import news_draft

    unit = get_unit_or_404(request, pk)
    year = report_year(request)
    text = news_draft(unit=unit, year=year, user=request.user)
    return unit, year, text


@login_required
def news(request, pk):
    unit, year, text = _news(request, pk)
    title, _, body = text.partition("\n\n")
    return render(
        request,
        "reports/news.html",
        {
            "unit": unit,
            "year": year,
            "text": text,
            "title": title,
            "paragraphs": [p for p in body.split("\n\n") if p.strip()],
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
            "freshness": counters_freshness(unit=unit, years=[year - 1, year]),
        },
    )


@login_required
def news_txt(request, pk):
    unit, year, text = _news(request, pk)
    return file_response(text.encode("utf-8"), f"ban-tin-{unit.code}-{year}.txt")


@login_required
def news_word(request, pk):
    from .summary import news_docx

    unit, year, text = _news(request, pk)
    title = text.partition("\n\n")[0]
    return file_response(news_docx(title=title, body=text), f"ban-tin-{unit.code}-{year}.docx")


@login_required
def index(request):
    """The dashboard of the user's top unit (the first, when they hold several)."""
    from organizations.selectors import orgunit_roots

    if not can(request.user, Action.UNIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem báo cáo.")
    roots = orgunit_roots(user=request.user)
    if not roots:
        raise Http404("Không có đơn vị nào để báo cáo.")
    return redirect("reports:dashboard", pk=roots[0].pk)
