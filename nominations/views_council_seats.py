"""The council of a unit on screens (Hội đồng Thi đua – Khen thưởng): its seats on a day, adding a
member, ending a seat — `/de-nghi/hoi-dong/thanh-vien/?don_vi=<unit>`. For the officer who organises the
council (`nomination.review` on the unit) or whoever manages its accounts (`role.manage`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from core.access import NOT_ALLOWED, can
from core.exceptions import ServiceError
from core.forms import BootstrapFormMixin, DateInput, IdModelChoiceField, add_service_error
from core.ids import parse_id
from organizations.selectors import orgunit_breadcrumbs
from organizations.shortcuts import get_unit_or_404

from . import selectors, services
from .choices import CouncilRole
from .models import CouncilMember
from .services.council_seats import MANAGING_ACTIONS

_ROLE_ORDER = Case(
    When(role=CouncilRole.CHAIR, then=Value(0)),
    When(role=CouncilRole.VICE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class SeatForm(BootstrapFormMixin, forms.Form):
    user = IdModelChoiceField(
        label="Người dùng",
        queryset=None,
        help_text="Người đang giữ vai trò tại đơn vị hoặc đơn vị trực thuộc. Người chưa có tài khoản: tạo tài "
        "khoản ở trang Quản lý tài khoản trước.",
        error_messages={
            "required": "Chọn người được cử vào Hội đồng.",
            "invalid_choice": "Người này không giữ vai trò nào tại đơn vị hoặc đơn vị trực thuộc.",
        },
    )
    role = forms.ChoiceField(
        label="Chức danh trong Hội đồng",
        choices=CouncilRole.choices,
        initial=CouncilRole.MEMBER,
        error_messages={"required": "Chọn chức danh.", "invalid_choice": "Chọn chức danh trong danh sách."},
    )
    valid_from = forms.DateField(
        label="Từ ngày",
        widget=DateInput(),
        error_messages={"required": "Nhập ngày bắt đầu nhiệm kỳ.", "invalid": "Ngày bắt đầu không hợp lệ."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.username})"


class SeatEndForm(forms.Form):
    valid_to = forms.DateField(
        error_messages={"required": "Nhập ngày kết thúc nhiệm kỳ.", "invalid": "Ngày kết thúc không hợp lệ."}
    )


def _council_unit(request, pk):
    """The unit whose council the user may manage: 403 without either right anywhere, 404 outside."""
    held = [action for action in MANAGING_ACTIONS if can(request.user, action)]
    if not held:
        raise PermissionDenied(NOT_ALLOWED)
    for action in held:
        try:
            return get_unit_or_404(request, pk, action)
        except Http404:
            continue
    raise Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")


def _day(text: str):
    """`?ngay=2025-06-30` as a date; anything else (absent, malformed, 2025-02-30) is None."""
    try:
        return parse_date(text.strip()[:10])
    except ValueError:
        return None


def _list_url(unit) -> str:
    return f"{reverse('nominations:council_members')}?don_vi={unit.pk}"


@login_required
def council_members(request):
    unit = _council_unit(request, parse_id(request.GET.get("don_vi")) or 0)
    today = timezone.localdate()
    on = _day(request.GET.get("ngay", "")) or today
    seats = (
        CouncilMember.objects.filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("user")
        .order_by(_ROLE_ORDER, "user__full_name", "pk")
    )
    upcoming = (
        CouncilMember.objects.filter(unit=unit, valid_from__gt=on)
        .select_related("user")
        .order_by("valid_from")
    )
    ended = (
        CouncilMember.objects.filter(unit=unit, valid_to__lt=on)
        .select_related("user")
        .order_by("-valid_to", "pk")[:20]
    )
    context = {
        "unit": unit,
        "on": on,
        "is_today": on == today,
        "seats": list(seats),
        "upcoming": list(upcoming),
        "ended": list(ended),
        "today": today,
        "add_url": f"{reverse('nominations:council_member_add')}?don_vi={unit.pk}",
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        "title": "Hội đồng Thi đua – Khen thưởng",
    }
    return render(request, "nominations/council_members.html", context)


@login_required
def council_member_add(request):
    unit = _council_unit(request, parse_id(request.GET.get("don_vi")) or 0)
    form = SeatForm(
        request.POST or None,
        candidates=services.seat_candidates(unit=unit).exclude(
            pk__in=selectors.council_members(unit=unit, on=timezone.localdate()).values("user")
        ),
        initial={"valid_from": timezone.localdate(), "role": CouncilRole.MEMBER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.council_seat_add(
                acting_user=request.user,
                unit=unit,
                user=data["user"],
                role=data["role"],
                valid_from=data["valid_from"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Đã thêm {seat.user} vào Hội đồng Thi đua – Khen thưởng của “{unit.name}” "
                f"({seat.get_role_display()}).",
            )
            return redirect(_list_url(unit))
    context = {
        "form": form,
        "unit": unit,
        "list_url": _list_url(unit),
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        "title": "Thêm thành viên Hội đồng Thi đua – Khen thưởng",
    }
    return render(request, "nominations/council_member_form.html", context)


@require_POST
@login_required
def council_member_end(request, pk):
    if not any(can(request.user, action) for action in MANAGING_ACTIONS):
        raise PermissionDenied(NOT_ALLOWED)
    seat = CouncilMember.objects.select_related("unit", "user").filter(pk=pk).first()
    if seat is None or not services.may_manage_council(request.user, seat.unit):
        raise Http404("Không tìm thấy thành viên Hội đồng hoặc bạn không có quyền xem.")
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_list_url(seat.unit))
    try:
        services.council_seat_end(acting_user=request.user, seat=seat, valid_to=form.cleaned_data["valid_to"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Đã kết thúc nhiệm kỳ của {seat.user} trong Hội đồng từ ngày {form.cleaned_data['valid_to']:%d/%m/%Y}.",
        )
    return redirect(_list_url(seat.unit))
