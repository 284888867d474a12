from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from core.access import Action, can
from organizations.models import OrgUnit
from organizations.selectors import orgunit_breadcrumbs, orgunit_get, orgunit_roots, orgunit_stats

from .selectors import audit_events

AUDIT_ACTIONS = [
    ("", "Tất cả thao tác"),
    ("orgunit.", "Đơn vị"),
    ("person.", "Đoàn viên"),
    ("membership.", "Sinh hoạt công đoàn"),
    ("role.", "Phân quyền"),
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
    cards = [(unit, orgunit_stats(unit=unit)) for unit in roots[:6]]
    return render(request, "core/home.html", {"cards": cards})


def get_unit_or_404(request, pk, action=Action.UNIT_VIEW) -> OrgUnit:
    """The unit if the user may act on it: 403 without the right anywhere, 404 outside their scope."""
    if not can(request.user, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    try:
        return orgunit_get(user=request.user, pk=pk, action=action)
    except OrgUnit.DoesNotExist as exc:
        raise Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem.") from exc


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
        action_prefix=cleaned.get("loai") or "",
        date_from=cleaned.get("tu_ngay"),
        date_to=cleaned.get("den_ngay"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    crumbs = orgunit_breadcrumbs(user=request.user, unit=unit) if unit else []
    return render(
        request, "core/audit_list.html", {"page": page, "unit": unit, "form": form, "crumbs": crumbs}
    )
