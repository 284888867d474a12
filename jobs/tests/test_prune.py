"""Retention: `prune_jobs` deletes finished jobs older than N days and their files, nothing else."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from jobs.models import BuildJob
from jobs.services import jobs_prune


def _job(user, unit, status, *, age_days, with_file=False) -> BuildJob:
    job = BuildJob.objects.create(
        kind="summary_docx", title=f"{status} {age_days}", unit=unit, created_by=user, status=status
    )
    if with_file:
        job.file.save("bao-cao.docx", ContentFile(b"PK noi dung"), save=True)
    when = timezone.now() - dt.timedelta(days=age_days)
    finished = when if status in ("DONE", "FAILED") else None
    BuildJob.objects.filter(pk=job.pk).update(created_at=when, finished_at=finished)
    return job


def test_prune_command_deletes_old_finished_jobs_and_files(officer, tree, capsys):
    old_done = _job(officer, tree.md, "DONE", age_days=40, with_file=True)
    old_failed = _job(officer, tree.md, "FAILED", age_days=31)
    recent_done = _job(officer, tree.md, "DONE", age_days=3, with_file=True)
    old_running = _job(officer, tree.md, "RUNNING", age_days=40)
    old_queued = _job(officer, tree.md, "QUEUED", age_days=40)
    old_path, recent_path = old_done.file.name, recent_done.file.name
    assert default_storage.exists(old_path)

    call_command("prune_jobs", days=30)

    assert "Đã xóa 2 tệp tạo trong nền cũ hơn 30 ngày." in capsys.readouterr().out
    remaining = set(BuildJob.objects.values_list("pk", flat=True))
    assert remaining == {recent_done.pk, old_running.pk, old_queued.pk}
    assert old_failed.pk not in remaining
    assert not default_storage.exists(old_path)
    assert default_storage.exists(recent_path)


def test_prune_service_with_a_given_now(officer, tree):
    job = _job(officer, tree.md, "DONE", age_days=3, with_file=True)
    assert jobs_prune(days=7) == 0
    assert jobs_prune(days=7, now=timezone.now() + dt.timedelta(days=5)) == 1
    assert not BuildJob.objects.filter(pk=job.pk).exists()


def test_stale_queued_and_running_jobs_are_marked_failed(officer, tree, client, capsys):
    from jobs.services import STALE_ERROR

    hung = _job(officer, tree.md, "RUNNING", age_days=1)
    BuildJob.objects.filter(pk=hung.pk).update(started_at=timezone.now() - dt.timedelta(hours=7))
    waiting = _job(officer, tree.md, "QUEUED", age_days=1)
    fresh = _job(officer, tree.md, "RUNNING", age_days=0)
    BuildJob.objects.filter(pk=fresh.pk).update(started_at=timezone.now() - dt.timedelta(minutes=5))

    call_command("prune_jobs", days=30, stale_hours=6)

    assert "Đã đánh dấu lỗi 2 tệp chờ hoặc đang tạo quá 6 giờ." in capsys.readouterr().out
    hung.refresh_from_db()
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert (hung.status, waiting.status, fresh.status) == ("FAILED", "FAILED", "RUNNING")
    assert hung.error == STALE_ERROR and hung.finished_at is not None
    client.force_login(officer)
    page = client.get(f"/tep/{hung.pk}/").content.decode()
    assert "máy chủ xử lý nền đã dừng giữa chừng" in page and 'hx-trigger="every' not in page
