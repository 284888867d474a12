"""Sign-in guards, in this order in settings.MIDDLEWARE (after authentication and django-otp's
OTPMiddleware):

- `SessionTimeoutMiddleware`: a session ends after THIDUA_SESSION_IDLE_MINUTES without a request and
  THIDUA_SESSION_MAX_HOURS after sign-in. The last request's time is written into the session at most
  once a minute, so an active user costs one session UPDATE a minute, not one per request.
- `SecondFactorMiddleware`: a user who must give a TOTP code (`security.second_factor_required`) and has
  not yet done so in this session is sent to enrolment (no device yet) or to the code page before any
  other page — the Django admin under /quan-tri/ included.
- `PasswordChangeRequiredMiddleware`: after an administrator's reset, the password change page first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .security import SESSION_SEEN, SESSION_STARTED, second_factor_required

SEEN_WRITE_INTERVAL = 60  # seconds

IDLE_MESSAGE = "Phiên làm việc đã kết thúc vì không thao tác quá {minutes} phút. Vui lòng đăng nhập lại."
MAX_MESSAGE = "Phiên làm việc đã kéo dài quá {hours} giờ. Vui lòng đăng nhập lại."

# pages an unverified or must-change-password user may still open
ALWAYS_OPEN = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_recovery",
    "admin:logout",
    "set_language",
}
PUBLIC_PREFIXES = ("nominations:public",)  # the public posting pages need no login at all


def _is_open(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return True
    name = match.view_name
    return name in ALWAYS_OPEN or name.startswith(PUBLIC_PREFIXES)


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(request, name: str) -> str:
    url = reverse(name)
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            if started is None:  # a session opened before this guard existed
                session[SESSION_STARTED] = started = now
            idle = settings.THIDUA_SESSION_IDLE_MINUTES * 60
            cap = settings.THIDUA_SESSION_MAX_HOURS * 3600
            message = None
            if now - started > cap:
                message = MAX_MESSAGE.format(hours=settings.THIDUA_SESSION_MAX_HOURS)
            elif seen is not None and now - seen > idle:
                message = IDLE_MESSAGE.format(minutes=settings.THIDUA_SESSION_IDLE_MINUTES)
            if message:
                logout(request)
                messages.info(request, message)
                return _redirect(request, _with_next(request, "accounts:login"))
            if seen is None or now - seen >= SEEN_WRITE_INTERVAL:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or _is_open(request):
            return None
        if not second_factor_required(request):
            return None
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        return _redirect(
            request, _with_next(request, "accounts:otp_verify" if enrolled else "accounts:otp_setup")
        )


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        if _is_open(request) or request.resolver_match.view_name == "accounts:password_change":
            return None
        return _redirect(request, reverse("accounts:password_change"))
