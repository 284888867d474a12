"""A document or report built in the background: its progress, its result file, its error."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from core.access import ScopedManager

from .choices import JobStatus
from .visibility import CreatorWithBuilderAction
from .workflow import FINISHED


class BuildJob(models.Model):
    """One request to build a file (`kind` names a builder of `jobs.registry`).

    Progress is written to this row by short transactions of its own while the build runs, so the web
    process (polling the job page) sees it; the build itself is not wrapped in one transaction.
    """

    Status = JobStatus  # the states; their transitions are declared once in `jobs.workflow`

    kind = models.CharField("Loại tệp", max_length=64)
    title = models.CharField("Tên", max_length=255)
    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField("Tham số", default=dict, blank=True)
    # the object the file is made from, for builders with a `subject` (jobs.registry): a dossier, a session…
    subject_id = models.PositiveBigIntegerField("Mã đối tượng", null=True, blank=True)
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField("Tiến độ (%)", default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField("Bước đang làm", max_length=120, blank=True)
    file = models.FileField("Tệp kết quả", upload_to="jobs/%Y/", blank=True)
    filename = models.CharField("Tên tệp tải về", max_length=255, blank=True)
    content_type = models.CharField("Kiểu tệp", max_length=120, blank=True)
    size = models.PositiveBigIntegerField("Dung lượng (byte)", default=0)
    error = models.TextField("Lỗi", blank=True)
    task_id = models.CharField("Mã tác vụ", max_length=64, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="Người yêu cầu", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("Yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("Bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("Xong lúc", null=True, blank=True)

    VISIBILITY = CreatorWithBuilderAction()
    objects = ScopedManager()

    class Meta:
        verbose_name = "Tệp tạo trong nền"
        verbose_name_plural = "Tệp tạo trong nền"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="jobs_owner_recent"),
            models.Index(fields=["status", "finished_at"], name="jobs_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="jobs_percent_max_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
