"""Base models and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.access import InSubtree, ScopedManager


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing a service did: who, what, when, to which object, in which unit, before/after.

    Append-only: rows are never updated or deleted (the model refuses; services only insert).
    """

    occurred_at = models.DateTimeField("Thời điểm", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("Tên người thực hiện", max_length=150, blank=True)
    action = models.CharField("Hành động", max_length=64, db_index=True)
    object_type = models.CharField("Loại đối tượng", max_length=100)
    object_id = models.CharField("Mã đối tượng", max_length=64)
    object_repr = models.CharField("Đối tượng", max_length=255)
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    summary = models.TextField("Nội dung")
    changes = models.JSONField("Thay đổi (trước → sau)", default=dict, blank=True)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Nhật ký thao tác"
        verbose_name_plural = "Nhật ký thao tác"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Nhật ký thao tác không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Nhật ký thao tác không được xóa.")
