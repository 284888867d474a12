"""Initiatives (sáng kiến): what was improved, where it applies, who the authors are (with their shares),
how the council scored it and whether it was recognised, at which level. The history is the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.access import ScopedManager
from core.models import TimeStampedModel
from core.text import fold

from .choices import Field, Level, Status, Verdict
from .visibility import InitiativeVisibility


class Initiative(TimeStampedModel):
    title = models.CharField("Tên sáng kiến", max_length=255)
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị áp dụng",
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    year = models.PositiveSmallIntegerField("Năm", db_index=True)
    field = models.CharField("Lĩnh vực", max_length=16, choices=Field.choices, default=Field.KHAC)
    description = models.TextField("Nội dung, giải pháp", blank=True)
    applied_since = models.DateField("Áp dụng từ ngày", null=True, blank=True)
    benefit_vnd = models.PositiveBigIntegerField("Giá trị làm lợi (đồng)", null=True, blank=True)
    status = models.CharField("Trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("Nộp lúc", null=True, blank=True)
    recognition_level = models.CharField("Cấp công nhận", max_length=16, choices=Level.choices, blank=True)
    recognized_on = models.DateField("Ngày công nhận", null=True, blank=True)
    decision_ref = models.CharField("Số quyết định", max_length=100, blank=True)
    decision_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("Lý do / ghi chú quyết định", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(editable=False, default="")
    # the spreadsheet an imported (already recognised) initiative came from: "Nhập từ tệp sang-kien.xlsx"
    source_file = models.CharField("Nhập từ tệp", max_length=255, blank=True, editable=False)

    VISIBILITY = InitiativeVisibility()
    objects = ScopedManager()

    class Meta:
        verbose_name = "Sáng kiến"
        verbose_name_plural = "Sáng kiến"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["status", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.RECOGNIZED) | ~Q(recognition_level=""),
                name="initiative_recognized_has_level",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title}\n{self.description}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = list({*kwargs["update_fields"], "search_text"})
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class InitiativeAuthor(models.Model):
    initiative = models.ForeignKey(
        Initiative, verbose_name="Sáng kiến", on_delete=models.CASCADE, related_name="authors"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name="Tác giả",
        on_delete=models.PROTECT,
        related_name="initiative_authorships",
    )
    share_percent = models.DecimalField(
        "Tỷ lệ đóng góp (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        verbose_name = "Tác giả sáng kiến"
        verbose_name_plural = "Tác giả sáng kiến"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="one_authorship_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.share_percent}%)"


class InitiativeReview(TimeStampedModel):
    initiative = models.ForeignKey(
        Initiative, verbose_name="Sáng kiến", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người chấm", on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField("Điểm theo tiêu chí", default=dict)  # {"novelty": 8, ...}, each 0–10
    total = models.PositiveSmallIntegerField("Tổng điểm", default=0)
    comment = models.TextField("Nhận xét", blank=True)
    verdict = models.CharField("Kết luận", max_length=8, choices=Verdict.choices)

    class Meta:
        verbose_name = "Phiếu chấm sáng kiến"
        verbose_name_plural = "Phiếu chấm sáng kiến"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.reviewer}"
