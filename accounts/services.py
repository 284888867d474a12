"""Account writes: creating accounts, granting and ending roles, temporary passwords and unlocking by
an administrator, one's own password change, second-factor enrolment. Each in one transaction with an
audit event (never a password or a code).

Roles are managed by holders of `role.manage` (leaders and administrators) on the units of their scope:
never the Quản trị hệ thống role unless superuser, never a role for oneself, never one's own last role
that carries `role.manage`. A role is ended (`valid_to`), never deleted; granting a role the user held
before on the same unit reopens that row (one row per user × role × unit)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from core.access import NOT_FOUND, Action, can, require
from core.audit import audit_record, diff_fields, snapshot
from core.exceptions import ServiceError

from .models import RoleAssignment, User
from .roles import ROLE_ACTIONS, Role
from .selectors import active_assignments, covering_assignments, manageable_users, role_managed_users


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


# --- accounts and roles ------------------------------------------------------------------------------

ASSIGNMENT_FIELDS = ("include_subtree", "valid_from", "valid_to")
ADMIN_REFUSED = "Chỉ quản trị viên toàn hệ thống mới được giao hoặc kết thúc vai trò “Quản trị hệ thống”."
# the roles whose holders manage accounts
MANAGING_ROLES = tuple(role for role, actions in ROLE_ACTIONS.items() if Action.ROLE_MANAGE in actions)


def _role_name(role: str) -> str:
    return Role(role).label


def _scope_text(assignment: RoleAssignment) -> str:
    return "và các đơn vị trực thuộc" if assignment.include_subtree else "(riêng đơn vị)"


def _check_grant(acting_user, *, role: str, unit) -> None:
    """May `acting_user` grant `role` on `unit`? A Vietnamese refusal naming the field otherwise."""
    if role not in Role.values:
        raise ServiceError("Chọn vai trò trong danh sách.", field="role")
    if role == Role.ADMIN and not acting_user.is_superuser:
        raise ServiceError(ADMIN_REFUSED, field="role")
    if unit is None:
        raise ServiceError("Chọn đơn vị giao vai trò.", field="unit")
    if not can(acting_user, Action.ROLE_MANAGE, unit.path):
        raise ServiceError(
            f"“{unit.name}” nằm ngoài phạm vi bạn được quản lý tài khoản: chỉ giao vai trò trên các đơn vị "
            "trong phạm vi của mình.",
            field="unit",
        )


def _put_assignment(
    *, user: User, role: str, unit, include_subtree: bool, valid_from: dt.date
) -> tuple[RoleAssignment, dict]:
    """Create the assignment, or reopen the user's ended one of the same role on the same unit (one row
    per user × role × unit). Returns it with the changes (empty for a new row). Refuses a current one."""
    existing = RoleAssignment.objects.select_for_update().filter(user=user, role=role, unit=unit).first()
    if existing is None:
        try:
            with transaction.atomic():
                created = RoleAssignment.objects.create(
                    user=user, role=role, unit=unit, include_subtree=include_subtree, valid_from=valid_from
                )
        except IntegrityError as exc:  # the same grant made at the same moment by someone else
            raise ServiceError(f"{user} vừa được giao vai trò này tại “{unit.name}”.") from exc
        return created, {}
    today = timezone.localdate()
    if existing.valid_to is None or existing.valid_to >= today:
        raise ServiceError(
            f"{user} đã giữ vai trò “{_role_name(role)}” tại “{unit.name}” từ ngày "
            f"{existing.valid_from:%d/%m/%Y}.",
            field="role",
        )
    before = snapshot(existing, ASSIGNMENT_FIELDS)
    existing.include_subtree = include_subtree
    existing.valid_from = valid_from
    existing.valid_to = None
    existing.save(update_fields=list(ASSIGNMENT_FIELDS))
    return existing, diff_fields(before, snapshot(existing, ASSIGNMENT_FIELDS))


def _audit_assign(*, acting_user, assignment: RoleAssignment, changes: dict, why: str = "") -> None:
    verb = "Giao lại" if changes else "Giao"
    audit_record(
        actor=acting_user,
        action="role.assign",
        obj=assignment,
        unit=assignment.unit,
        summary=(
            f"{verb} vai trò “{assignment.get_role_display()}” tại “{assignment.unit.name}” "
            f"{_scope_text(assignment)} cho tài khoản {assignment.user.username} từ ngày "
            f"{assignment.valid_from:%d/%m/%Y}{why}"
        ),
        changes=changes or {"role": [None, assignment.role], "user": [None, assignment.user.username]},
    )


def user_create(
    *,
    acting_user,
    username: str,
    full_name: str,
    password: str,
    role: str,
    unit,
    include_subtree: bool = True,
    valid_from: dt.date | None = None,
    person=None,
) -> User:
    """A new account with a temporary password (changed at the first sign-in) and its first role, on a
    unit of `acting_user`'s `role.manage` scope; optionally linked to a member's record of that scope."""
    require(acting_user, Action.ROLE_MANAGE)
    username = (username or "").strip()
    full_name = " ".join((full_name or "").split())
    if not username:
        raise ServiceError("Nhập tên đăng nhập.", field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ServiceError(
            "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự . @ + - _ (không có khoảng trắng).",
            field="username",
        ) from exc
    if not full_name:
        raise ServiceError("Nhập họ và tên người dùng.", field="full_name")
    valid_from = valid_from or timezone.localdate()
    with transaction.atomic():
        _check_grant(acting_user, role=role, unit=unit)
        if User.objects.filter(username__iexact=username).exists():
            raise ServiceError(
                f"Tên đăng nhập “{username}” đã có người dùng: chọn tên khác.", field="username"
            )
        if person is not None:
            in_scope = type(person).objects.restrict(acting_user, Action.ROLE_MANAGE).filter(pk=person.pk)
            if not in_scope.exists():
                raise ServiceError(
                    "Đoàn viên này không thuộc phạm vi bạn được quản lý tài khoản.", field="person"
                )
            holder = User.objects.filter(person=person).first()
            if holder is not None:
                raise ServiceError(
                    f"Đoàn viên {person.full_name} đã có tài khoản “{holder.username}”.", field="person"
                )
        user = User(username=username, full_name=full_name, person=person, must_change_password=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password1") from exc
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise ServiceError(
                f"Tên đăng nhập “{username}” vừa được dùng cho tài khoản khác: chọn tên khác.",
                field="username",
            ) from exc
        assignment, _ = _put_assignment(
            user=user, role=role, unit=unit, include_subtree=include_subtree, valid_from=valid_from
        )
        audit_record(
            actor=acting_user,
            action="user.create",
            obj=user,
            unit=unit,
            summary=(
                f"Tạo tài khoản {user.username} ({user.full_name}) với mật khẩu tạm; phải đổi khi đăng nhập"
                + (f"; gắn với hồ sơ đoàn viên {person.full_name}" if person is not None else "")
            ),
            changes={"username": [None, user.username], "full_name": [None, user.full_name]},
        )
        _audit_assign(acting_user=acting_user, assignment=assignment, changes={})
    return user


def role_assign(
    *,
    acting_user,
    user_id: int,
    role: str,
    unit,
    include_subtree: bool = True,
    valid_from: dt.date | None = None,
) -> RoleAssignment:
    """Grant `role` on `unit` (inside `acting_user`'s `role.manage` scope) to a user of that scope."""
    require(acting_user, Action.ROLE_MANAGE)
    valid_from = valid_from or timezone.localdate()
    with transaction.atomic():
        target = role_managed_users(acting_user=acting_user).select_for_update().filter(pk=user_id).first()
        if target is None:
            raise ServiceError(NOT_FOUND)
        if target.pk == acting_user.pk and not acting_user.is_superuser:
            raise ServiceError(
                "Bạn không thể tự giao vai trò cho chính mình: hãy đề nghị người quản lý tài khoản cấp trên.",
                field="role",
            )
        _check_grant(acting_user, role=role, unit=unit)
        assignment, changes = _put_assignment(
            user=target, role=role, unit=unit, include_subtree=include_subtree, valid_from=valid_from
        )
        _audit_assign(acting_user=acting_user, assignment=assignment, changes=changes)
    return assignment


def role_end(*, acting_user, assignment_id: int, valid_to: dt.date | None = None) -> RoleAssignment:
    """End a role on a unit of `acting_user`'s `role.manage` scope on `valid_to` (today by default): the
    row stays, with its dates. Not the Quản trị hệ thống role (but for a superuser), not one's own last
    role that manages accounts."""
    require(acting_user, Action.ROLE_MANAGE)
    today = timezone.localdate()
    valid_to = valid_to or today
    with transaction.atomic():
        if not acting_user.is_superuser:  # one's own roles are ended one after the other
            User.objects.select_for_update().filter(pk=acting_user.pk).first()
        assignment = (
            RoleAssignment.objects.restrict(acting_user, Action.ROLE_MANAGE)
            .select_for_update()
            .filter(pk=assignment_id)
            .first()
        )
        if assignment is None or (
            not acting_user.is_superuser and (assignment.user.is_superuser or assignment.user.is_staff)
        ):
            raise ServiceError(NOT_FOUND)
        if assignment.role == Role.ADMIN and not acting_user.is_superuser:
            raise ServiceError(ADMIN_REFUSED)
        where = f"“{assignment.get_role_display()}” tại “{assignment.unit.name}” của {assignment.user}"
        if assignment.valid_to is not None and assignment.valid_to < today:
            raise ServiceError(f"Vai trò {where} đã kết thúc ngày {assignment.valid_to:%d/%m/%Y}.")
        if valid_to < assignment.valid_from:
            raise ServiceError(
                f"Ngày kết thúc phải từ ngày bắt đầu của vai trò ({assignment.valid_from:%d/%m/%Y}) trở đi.",
                field="valid_to",
            )
        if (
            assignment.user_id == acting_user.pk
            and not acting_user.is_superuser
            and assignment.role in MANAGING_ROLES
            and not active_assignments(user=acting_user)
            .filter(role__in=MANAGING_ROLES)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to))
            .exclude(pk=assignment.pk)
            .exists()
        ):
            raise ServiceError(
                f"Không thể kết thúc vai trò {where}: đây là vai trò cuối cùng cho phép bạn quản lý tài "
                "khoản. Hãy đề nghị người quản lý tài khoản cấp trên."
            )
        before = snapshot(assignment, ASSIGNMENT_FIELDS)
        assignment.valid_to = valid_to
        assignment.save(update_fields=["valid_to"])
        audit_record(
            actor=acting_user,
            action="role.end",
            obj=assignment,
            unit=assignment.unit,
            summary=f"Kết thúc vai trò {where} từ ngày {valid_to:%d/%m/%Y}",
            changes=diff_fields(before, snapshot(assignment, ASSIGNMENT_FIELDS)),
        )
    return assignment


def council_role_grant(*, acting_user, user: User, unit, valid_from: dt.date) -> RoleAssignment | None:
    """The council-seat service's part (`nominations.services.council_seat_add`, which has authorised
    the seat): a member seated on `unit`'s council who holds no role there on the day the seat starts
    gets the Thành viên Hội đồng TĐKT role on it — the menu, the dossiers before the council, the
    session page. Called inside the seat's transaction; audited. None when they already hold a role."""
    on = max(valid_from, timezone.localdate())
    if covering_assignments(user=user, unit=unit, on=on).exists():
        return None
    assignment, changes = _put_assignment(
        user=user, role=Role.COUNCIL, unit=unit, include_subtree=True, valid_from=valid_from
    )
    _audit_assign(
        acting_user=acting_user,
        assignment=assignment,
        changes=changes,
        why=", kèm ghế trong Hội đồng Thi đua – Khen thưởng",
    )
    return assignment
