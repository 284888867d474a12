"""Account writes: temporary passwords and unlocking by an administrator, one's own password change,
second-factor enrolment. Each in one transaction with an audit event (never a password or a code)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from core.access import NOT_FOUND, Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from .models import User
from .selectors import active_assignments, manageable_users


def _audit_unit(user):
    first = active_assignments(user=user).order_by("unit__path").first()
    return first.unit if first else None


def _managed(acting_user, user_id) -> User:
    require(acting_user, Action.ROLE_MANAGE)
    user = manageable_users(acting_user=acting_user).select_for_update().filter(pk=user_id).first()
    if user is None:
        raise ServiceError(NOT_FOUND)
    return user


def user_password_reset(*, acting_user, user_id: int, password: str) -> User:
    """Give `user` a temporary password (they must change it at their next sign-in) and lift a lockout."""
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        user = _managed(acting_user, user_id)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password1") from exc
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        axes_reset(username=user.username)
        audit_record(
            actor=acting_user,
            action="user.password_reset",
            obj=user,
            unit=_audit_unit(user),
            summary=f"Đặt mật khẩu tạm cho tài khoản {user.username}; phải đổi khi đăng nhập",
        )
    return user


def user_unlock(*, acting_user, user_id: int) -> int:
    """Lift the sign-in lockout of a user in `acting_user`'s scope (role.manage). Returns the number of
    django-axes attempt records removed."""
    with transaction.atomic():
        user = _managed(acting_user, user_id)
        return login_unlock(acting_user=acting_user, user=user)


def login_unlock(*, acting_user, user) -> int:
    """Remove the django-axes attempts of `user`'s username (the lockout ends) and audit it. Callers check
    the right: `user_unlock` (role.manage scope) or the Django admin (its change-user permission)."""
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        removed = axes_reset(username=user.username)
        audit_record(
            actor=acting_user,
            action="user.unlock",
            obj=user,
            unit=_audit_unit(user),
            summary=f"Mở khóa đăng nhập tài khoản {user.username}",
        )
    return removed


def password_changed(*, user) -> None:
    """Called after the user set their own password (Django's form saved it)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
        audit_record(
            actor=user,
            action="user.password_change",
            obj=user,
            unit=_audit_unit(user),
            summary=f"Tài khoản {user.username} tự đổi mật khẩu",
        )


def otp_enrol_confirm(*, user, device, count: int) -> list[str]:
    """Confirm a TOTP device the user proved with a code; replace their recovery codes with `count` new
    ones and return them (shown once, stored only in django-otp's static device)."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        User.objects.filter(pk=user.pk).update(otp_enrolled=True)
        user.otp_enrolled = True
        type(device).objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
        audit_record(
            actor=user,
            action="user.otp_enrol",
            obj=user,
            unit=_audit_unit(user),
            summary=f"Tài khoản {user.username} bật xác thực hai bước (ứng dụng tạo mã)",
        )
    return codes
