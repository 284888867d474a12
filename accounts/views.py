from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import NOT_FOUND, Action, can, get_visible_or_404, require
from core.exceptions import ServiceError
from core.forms import add_service_error
from core.pagination import paginate

from . import services
from .forms import (
    LoginForm,
    OTPCodeForm,
    OwnPasswordChangeForm,
    RoleAssignForm,
    RoleEndForm,
    TemporaryPasswordForm,
    UserCreateForm,
)
from .models import RoleAssignment
from .security import SESSION_RECOVERY, may_see_personal_data
from .selectors import (
    active_assignments,
    is_active_assignment,
    locked_usernames,
    login_locked,
    manageable_users,
    managed_assignments,
    role_managed_users,
)
from .services import MANAGING_ROLES

LOCKOUT_MESSAGE = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Liên hệ quản trị viên để mở khóa."
ADDRESS_LOCKOUT_MESSAGE = (
    "Máy hoặc mạng bạn đang dùng tạm bị chặn đăng nhập vì từ địa chỉ này đã có nhiều lần nhập sai mật "
    "khẩu (có thể của người khác dùng chung mạng). Tài khoản của bạn không bị khóa: hãy thử lại sau, "
    "đăng nhập từ mạng khác hoặc liên hệ quản trị viên."
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout(request, original_response=None, credentials=None):
    """django-axes' lockout answer (settings.AXES_LOCKOUT_CALLABLE), for the web and the admin login."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    account = login_locked(username=username)
    context = {
        "title": "Tài khoản tạm khóa" if account else "Tạm chặn đăng nhập từ địa chỉ này",
        "message": LOCKOUT_MESSAGE if account else ADDRESS_LOCKOUT_MESSAGE,
        "minutes": minutes,
        "limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/lockout.html", context, status=429)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
def profile(request):
    assignments = (
        active_assignments(user=request.user).select_related("unit__unit_type").order_by("unit__path")
    )
    context = {
        "assignments": assignments,
        "otp_enabled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "otp_required": settings.THIDUA_OTP_REQUIRED and may_see_personal_data(request.user),
        "may_manage_users": can(request.user, Action.ROLE_MANAGE),
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, "Đã đổi mật khẩu. Lần đăng nhập sau hãy dùng mật khẩu mới.")
        return response


def _qr_svg(device: TOTPDevice) -> str:
    # inline SVG generated here from the device's otpauth:// address (no image service, no CDN)
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def _grouped_key(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _throttled_message(throttle: dict | None) -> str:
    until = (throttle or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else None
    wait = f"khoảng {seconds} giây" if seconds else "ít giây"
    return f"Bạn vừa nhập sai mã: hãy đợi {wait} rồi nhập mã mới đang hiển thị trong ứng dụng."


@login_required
def otp_setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if confirmed and not user.is_verified():
        # a new phone replaces the old one only after a code of the old one (or a recovery code)
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:otp_setup')}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, throttle = device.verify_is_allowed()
        if not allowed:  # django-otp's throttle after a wrong code: say so, not "wrong code"
            form.add_error("token", _throttled_message(throttle))
        elif device.verify_token(form.cleaned_data["token"]):
            codes = services.otp_enrol_confirm(user=user, device=device, count=settings.THIDUA_RECOVERY_CODES)
            otp_login(request, device)
            request.session[SESSION_RECOVERY] = codes
            next_url = _next_url(request, reverse("accounts:profile"))
            return redirect(f"{reverse('accounts:otp_recovery')}?next={next_url}")
        else:
            form.add_error(
                "token",
                "Mã không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã đang hiển thị trong ứng dụng.",
            )
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "manual_key": _grouped_key(device),
        "replacing": confirmed,
        "required": settings.THIDUA_OTP_REQUIRED and may_see_personal_data(user),
        "next": _next_url(request, ""),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request):
    user = request.user
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:otp_setup')}?next={_next_url(request, reverse('core:home'))}")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"Bạn vừa dùng một mã dự phòng; còn {left} mã. Hãy bật lại xác thực hai bước "
                    "trên điện thoại mới trong trang Tài khoản nếu đã mất điện thoại cũ.",
                )
            return redirect(_next_url(request, reverse("core:home")))
        form.add_error(
            "token",
            "Mã không đúng hoặc đã hết hạn. Nhập mã 6 chữ số đang hiển thị trong ứng dụng, hoặc một mã dự "
            "phòng; nếu nhập sai nhiều lần, hãy đợi ít giây rồi thử lại.",
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
def otp_recovery(request):
    codes = request.session.pop(SESSION_RECOVERY, None)
    if not codes:
        return redirect("accounts:profile")
    next_url = _next_url(request, reverse("accounts:profile"))
    return render(request, "accounts/otp_recovery.html", {"codes": codes, "next": next_url})


@login_required
def user_list(request):
    """The accounts of one's units: every user holding (or having held) a role on a unit where the
    manager holds role.manage, with their current roles there; temporary password and unlock only for
    those whose every role is inside that scope (`manageable_users`)."""
    require(request.user, Action.ROLE_MANAGE)
    users = role_managed_users(acting_user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    page = paginate(request, users)
    ids = [u.pk for u in page]
    locked = locked_usernames(u.username for u in page)
    manageable = set(
        manageable_users(acting_user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    roles: dict[int, list] = {}
    today = timezone.localdate()
    current = (
        RoleAssignment.objects.restrict(request.user, Action.ROLE_MANAGE)
        .filter(user_id__in=ids, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    for assignment in current:
        roles.setdefault(assignment.user_id, []).append(assignment)
    for u in page:
        u.current_roles = roles.get(u.pk, [])
        u.manageable = u.pk in manageable
    councils = [
        a.unit
        for a in active_assignments(user=request.user).filter(role__in=MANAGING_ROLES).order_by("unit__path")
    ]
    context = {"page": page, "locked": locked, "q": query, "council_units": councils}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request):
    require(request.user, Action.ROLE_MANAGE)
    form = UserCreateForm(
        request.POST or None, user=request.user, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                acting_user=request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                person=data.get("person"),
                role=data["role"],
                unit=data["unit"],
                include_subtree=data["include_subtree"],
                valid_from=data["valid_from"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Đã tạo tài khoản {created.username}. Hãy báo mật khẩu tạm cho người dùng: họ phải đổi mật "
                "khẩu khi đăng nhập lần đầu.",
            )
            return redirect("accounts:user_roles", created.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_or_404(request, pk, users):
    """The account `pk` among `users(acting_user=…)`: 403 without the right anywhere, 404 outside."""
    require(request.user, Action.ROLE_MANAGE)
    target = users(acting_user=request.user).filter(pk=pk).first()
    if target is None:
        raise Http404(NOT_FOUND)
    return target


def _role_managed_or_404(request, pk):
    return _user_or_404(request, pk, role_managed_users)


@login_required
def user_roles(request, pk):
    """One account's roles on the units of the manager's scope: grant a role, end one."""
    target = _role_managed_or_404(request, pk)
    form = RoleAssignForm(
        request.POST or None, user=request.user, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_assign(
                acting_user=request.user,
                user_id=target.pk,
                role=data["role"],
                unit=data["unit"],
                include_subtree=data["include_subtree"],
                valid_from=data["valid_from"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Đã giao vai trò “{assignment.get_role_display()}” tại “{assignment.unit.name}” cho "
                f"{target.username}.",
            )
            return redirect("accounts:user_roles", target.pk)
    today = timezone.localdate()
    assignments = list(managed_assignments(acting_user=request.user, user=target))
    for assignment in assignments:
        assignment.current = is_active_assignment(assignment, today)
        assignment.upcoming = assignment.valid_from > today
        assignment.ended = assignment.valid_to is not None and assignment.valid_to < today
    context = {
        "target": target,
        "assignments": assignments,
        "form": form,
        "end_form": RoleEndForm(initial={"valid_to": today}),
        "manageable": manageable_users(acting_user=request.user).filter(pk=target.pk).exists(),
    }
    return render(request, "accounts/user_roles.html", context)


@require_POST
@login_required
def role_end(request, pk):
    assignment = get_visible_or_404(
        RoleAssignment.objects.select_related("user", "unit"), request.user, Action.ROLE_MANAGE, pk=pk
    )
    form = RoleEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_roles", assignment.user_id)
    try:
        services.role_end(
            acting_user=request.user, assignment_id=assignment.pk, valid_to=form.cleaned_data["valid_to"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Đã kết thúc vai trò “{assignment.get_role_display()}” tại “{assignment.unit.name}” của "
            f"{assignment.user.username} từ ngày {form.cleaned_data['valid_to']:%d/%m/%Y}.",
        )
    return redirect("accounts:user_roles", assignment.user_id)


def _managed_or_404(request, pk):
    return _user_or_404(request, pk, manageable_users)


@login_required
def user_reset_password(request, pk):
    target = _managed_or_404(request, pk)
    form = TemporaryPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                acting_user=request.user, user_id=target.pk, password=form.cleaned_data["password1"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Đã đặt mật khẩu tạm cho {target.username}. Người dùng phải đổi mật khẩu khi đăng nhập.",
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_reset_password.html", {"form": form, "target": target})


@require_POST
@login_required
def user_unlock(request, pk):
    target = _managed_or_404(request, pk)
    services.user_unlock(acting_user=request.user, user_id=target.pk)
    messages.success(request, f"Đã mở khóa đăng nhập cho tài khoản {target.username}.")
    return redirect("accounts:users")
