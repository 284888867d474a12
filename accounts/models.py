from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from core.access import InSubtree, ScopedManager

from .roles import Role


class User(AbstractUser):
    """Custom user from the first migration. `full_name` holds a Vietnamese name as written."""

    full_name = models.CharField("Họ và tên", max_length=150, blank=True)
    person = models.OneToOneField(
        "members.Person",
        verbose_name="Hồ sơ đoàn viên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # set when an administrator gives a temporary password; the user must choose their own before any
    # other page (accounts.middleware.PasswordChangeRequiredMiddleware)
    must_change_password = models.BooleanField("Phải đổi mật khẩu khi đăng nhập", default=False)
    # set when the user confirms a TOTP device: from then on every sign-in asks for a code (read from the
    # user row already loaded, so the guard costs no query per request)
    otp_enrolled = models.BooleanField("Đã bật xác thực hai bước", default=False)

    class Meta:
        verbose_name = "Người dùng"
        verbose_name_plural = "Người dùng"

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name="Người dùng", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("Vai trò", max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    include_subtree = models.BooleanField("Gồm cả đơn vị trực thuộc", default=True)
    valid_from = models.DateField("Từ ngày", default=timezone.localdate)
    valid_to = models.DateField("Đến ngày", null=True, blank=True)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Phân quyền"
        verbose_name_plural = "Phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_per_user_unit"),
        ]

    def __str__(self) -> str:
        scope = "và trực thuộc" if self.include_subtree else "(riêng đơn vị)"
        return f"{self.user} — {self.get_role_display()} — {self.unit} {scope}"
