"""The home page (the work waiting for the user, registered by the apps in `tasks_panel`; their top units with their figures) and the audit list, filtered by unit."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.access import Action, can
from core.audit import CITIZEN_ID_ACCESS_ACTIONS
from core.pagination import paginate
from core.selectors import audit_events

from .selectors import orgunit_breadcrumbs, orgunit_roots, orgunit_stats_many
from .shortcuts import get_unit_or_404
from .tasks_panel import home_tasks

CITIZEN_ID_FILTER = "cccd"  # not a prefix: the actions of core.audit.CITIZEN_ID_ACCESS_ACTIONS
AUDIT_ACTIONS = [
    ("", "Tất cả thao tác"),
    ("orgunit.", "Đơn vị"),
    ("person.", "Đoàn viên"),
    ("membership.", "Sinh hoạt công đoàn"),
    ("role.", "Phân quyền"),
    (CITIZEN_ID_FILTER, "Truy cập số CCCD"),
]


class AuditFilterForm(forms.Form):
    loai = forms.ChoiceField(label="Loại thao tác", choices=AUDIT_ACTIONS, required=False)
    tu_ngay = forms.DateField(label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    den_ngay = forms.DateField(
        label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def home(request):
    roots = orgunit_roots(user=request.user)
    stats = orgunit_stats_many(units=roots[:6])  # pre-rolled counters: one query for the cards
    cards = [(unit, stats[unit.pk]) for unit in roots[:6]]
    tasks = home_tasks(user=request.user)
    return render(request, "organizations/home.html", {"cards": cards, "tasks": tasks})


@login_required
def audit_list(request):
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem nhật ký thao tác.")
    unit = None
    if request.GET.get("don_vi"):
        unit = get_unit_or_404(request, request.GET["don_vi"], Action.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        user=request.user,
        unit=unit,
        action_prefix="" if cleaned.get("loai") == CITIZEN_ID_FILTER else cleaned.get("loai") or "",
        actions=CITIZEN_ID_ACCESS_ACTIONS if cleaned.get("loai") == CITIZEN_ID_FILTER else (),
        date_from=cleaned.get("tu_ngay"),
        date_to=cleaned.get("den_ngay"),
    )
    page = paginate(request, events)
    crumbs = orgunit_breadcrumbs(user=request.user, unit=unit) if unit else []
    return render(
        request, "organizations/audit_list.html", {"page": page, "unit": unit, "form": form, "crumbs": crumbs}
    )
