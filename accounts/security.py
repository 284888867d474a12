"""Sign-in helpers shared by the middleware and the views (django-axes takes the client address from
`core.http.client_ip`, settings.AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings

from core.access import Action, can

SESSION_STARTED = "_thidua_started"  # timestamp of the sign-in (absolute cap)
SESSION_SEEN = "_thidua_seen"  # timestamp of the last request, written at most once a minute
SESSION_RECOVERY = "_thidua_recovery_codes"  # shown once after enrolment


def may_see_personal_data(user) -> bool:
    """Roles that may show unmasked citizen IDs anywhere (and superusers)."""
    return can(user, Action.PERSON_VIEW_SENSITIVE)


def second_factor_required(request) -> bool:
    """A code is asked of users who enrolled (always) and, with THIDUA_OTP_REQUIRED, of every user who
    may see unmasked personal data (they must enrol first)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.otp_enrolled:
        return True
    return settings.THIDUA_OTP_REQUIRED and may_see_personal_data(user)
