"""One upload of a spreadsheet for one import kind (`imports.kinds`), and the column mappings a unit keeps."""

from __future__ import annotations

from django.db import models

from core.access import InSubtree, ScopedManager
from core.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    """An upload: the file, its rows as read once by the worker, the sheet and column mapping, the
    classification of every row (the preview) and the background commit's outcome."""

    class Status(models.TextChoices):
        READING = "READING", "Đang đọc tệp"
        UPLOADED = "UPLOADED", "Đã đọc, chờ ghép cột"
        CHECKED = "CHECKED", "Đã kiểm tra, có thể ghi"
        INVALID = "INVALID", "Có lỗi, chưa ghi"
        QUEUED = "QUEUED", "Đang chờ ghi"
        RUNNING = "RUNNING", "Đang ghi"
        DONE = "DONE", "Đã ghi xong"
        FAILED = "FAILED", "Không ghi được"
        UNREADABLE = "UNREADABLE", "Không đọc được tệp"

    kind = models.CharField("Loại dữ liệu", max_length=32)
    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="Người nhập", on_delete=models.PROTECT, related_name="+"
    )
    options = models.JSONField("Tuỳ chọn", default=dict, blank=True)  # e.g. {"dossier": 12}
    # The upload and its rows as read ONCE by the worker (gzip JSON lines, `core.uploads`); the plan of
    # every row (gzip JSON lines). All three are deleted after the commit or the retention period.
    file = models.FileField("Tệp", upload_to="imports/%Y/%m/", blank=True)
    rows_file = models.FileField("Dữ liệu đã đọc", upload_to="imports/%Y/%m/", blank=True)
    plan_file = models.FileField("Kết quả kiểm tra", upload_to="imports/%Y/%m/", blank=True)
    pruned_at = models.DateTimeField("Đã xoá tệp lúc", null=True, blank=True)
    original_name = models.CharField("Tên tệp", max_length=255)
    sheet = models.CharField("Trang tính", max_length=100, blank=True)
    sheets = models.JSONField("Các trang tính", default=list, blank=True)  # [{"name", "visible", "empty"}]
    merged = models.JSONField("Ô gộp", default=list, blank=True)  # [[r0, c0, r1, c1], …] of the sheet read
    header_row = models.PositiveIntegerField("Dòng tiêu đề (tính từ 0)", default=0)
    header_rows = models.PositiveSmallIntegerField("Số dòng tiêu đề", default=1)
    mapping = models.JSONField("Ghép cột", default=dict, blank=True)  # {column key: column index}
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices, default=Status.READING)
    total_rows = models.PositiveIntegerField("Số dòng", default=0)
    counts = models.JSONField("Số dòng theo kết quả", default=dict, blank=True)  # {"new": n, "error": n, …}
    result = models.JSONField("Kết quả", default=dict, blank=True)
    message = models.TextField("Thông báo", blank=True)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Lần nhập dữ liệu"
        verbose_name_plural = "Lần nhập dữ liệu"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.unit}"


class SavedMapping(models.Model):
    """How a unit's files of one kind are laid out: the folded header texts seen and the column chosen for
    each key. The next upload with the same headers gets the same mapping (issue 14: "saved per unit")."""

    unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    signature = models.CharField(max_length=64)  # sha256 of the folded headers
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "signature"], name="one_saved_mapping_per_layout")
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.unit_id}"
