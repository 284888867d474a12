"""The states of a background build (`BuildJob.status`); how they follow each other is `jobs.workflow`."""

from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "QUEUED", "Đang chờ"
    RUNNING = "RUNNING", "Đang tạo"
    DONE = "DONE", "Đã xong"
    FAILED = "FAILED", "Không tạo được"
