"""Issue 12, finding 3, through the roster screens (the import framework's kind "doan-vien"), its worker and
the command: hostile files get a
Vietnamese message and the process lives; the upload request only guards and stores; the worker parses
ONCE (in a bounded child) and the mapping, preview, error file and commit read the stored rows; uploads
and their rows are deleted after the commit or after the retention days. Bomb files are generated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from core import uploads
from core.tests import bombs
from imports import tasks
from imports.models import ImportBatch
from members.models import Person

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "files"
S = ImportBatch.Status


def post(client, unit, name, data):
    return client.post(
        reverse("imports:upload", args=["doan-vien"]) + f"?don_vi={unit.pk}",
        {"file": SimpleUploadedFile(name, data)},
    )


def test_sparse_range_file_gets_the_message_and_nothing_is_stored(officer_client, tree, monkeypatch):
    """The 5 KB A1:XFD1048576 file: before, calamine ran in the web process and aborted it."""
    monkeypatch.setattr(CalamineWorkbook, "from_path", None)
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", None)
    response = post(officer_client, tree.ubnd, "bom.xlsx", bombs.sparse_range())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trang tính khai báo vùng A1:XFD1048576 (17 tỷ ô), vượt giới hạn 2.500.000 ô." in html
    assert not ImportBatch.objects.exists()


def test_xml_bomb_gets_the_message(officer_client, tree):
    response = post(officer_client, tree.ubnd, "bom.xlsx", bombs.xml_bomb(inflated=1024**3))
    assert "Tệp nén bất thường (giải nén ra hơn 200 MB): không xử lý." in response.content.decode()
    assert not ImportBatch.objects.exists()


@override_settings(THIDUA_UPLOAD_MAX_BYTES=4096)
def test_too_large_upload_is_dropped_while_read(officer_client, tree):
    data = (FILES / "roster_basic.xlsx").read_bytes()
    assert len(data) > 4096
    response = post(officer_client, tree.ubnd, "roster_basic.xlsx", data)
    html = response.content.decode()
    assert response.status_code == 200 and "Tệp quá lớn: tối đa 0,0 MB." in html
    assert "Trường này là bắt buộc" not in html
    assert not ImportBatch.objects.exists()


def test_a_file_the_guard_cannot_judge_kills_only_the_child(
    officer_client, tree, django_capture_on_commit_callbacks
):
    """No declared range: the worker's child aborts on the 512 GB allocation; the upload ends
    UNREADABLE with the message, its file is deleted, the test process lives."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post(officer_client, tree.ubnd, "bom.xlsx", bombs.sparse_range(declare=False))
    record = ImportBatch.objects.get()
    assert record.status == S.UNREADABLE
    assert record.message == "Không đọc được tệp: tệp quá phức tạp hoặc bị hỏng."
    assert record.pruned_at and not record.file and not record.rows_file
    page = officer_client.get(response.url, follow=True)
    html = page.content.decode()
    assert "Chưa có gì được ghi." in html and "tệp quá phức tạp hoặc bị hỏng" in html


def test_the_worker_reads_once_and_the_screens_never_parse(officer_client, tree, monkeypatch):
    calls = []
    real = uploads.read_sheet

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "read_sheet", counting)
    post(officer_client, tree.ubnd, "roster_basic.xlsx", (FILES / "roster_basic.xlsx").read_bytes())
    record = ImportBatch.objects.get()
    assert len(calls) == 1 and record.status == S.UPLOADED and record.rows_file
    assert record.header_row == 3 and record.mapping["full_name"] == 2

    def no_parser(*args, **kwargs):
        raise AssertionError("a screen parsed the spreadsheet")

    monkeypatch.setattr(uploads, "read_sheet", no_parser)
    monkeypatch.setattr(CalamineWorkbook, "from_path", no_parser)
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", no_parser)
    mapping_url = reverse("imports:mapping", args=[record.pk])
    page = officer_client.get(mapping_url)
    assert page.status_code == 200 and "C: Họ tên" in page.content.decode()
    post_data = {"header_row": 4, "header_rows": 1, **{k: str(v) for k, v in record.mapping.items()}}
    assert officer_client.post(mapping_url, post_data).status_code == 302
    page = officer_client.get(reverse("imports:preview", args=[record.pk]))
    assert page.status_code == 200 and "Không có dòng lỗi" in page.content.decode()
    assert officer_client.get(reverse("imports:error_file", args=[record.pk])).status_code == 200
    officer_client.post(reverse("imports:commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == S.DONE and record.result["created"] == 5
    assert Person.objects.filter(full_name="Lê Thị Mai").exists()


def test_the_status_page_shows_the_reading_state_until_the_worker_has_read(officer_client, officer, tree):
    record = ImportBatch.objects.create(
        kind="doan-vien",
        unit=tree.ubnd,
        created_by=officer,
        file=SimpleUploadedFile("roster_basic.xlsx", (FILES / "roster_basic.xlsx").read_bytes()),
        original_name="roster_basic.xlsx",
    )
    assert record.status == S.READING
    status_url = reverse("imports:status", args=[record.pk])
    html = officer_client.get(status_url).content.decode()
    assert "Đang đọc tệp trong nền" in html and 'hx-trigger="every 1s"' in html
    assert tasks.batch_read_task.call(record.pk)["status"] == S.UPLOADED
    assert tasks.batch_read_task.call(record.pk) == {"status": S.UPLOADED}  # a repeated task: left alone
    partial = officer_client.get(status_url, headers={"HX-Request": "true"})
    url = reverse("imports:mapping", args=[record.pk])
    assert partial["HX-Redirect"] == url
    assert "Ghép cột" in officer_client.get(url).content.decode()


def test_import_members_command_refuses_the_bombs_and_lives(tree, officer, tmp_path):
    sparse = tmp_path / "bom.xlsx"
    sparse.write_bytes(bombs.sparse_range())
    with pytest.raises(CommandError, match="A1:XFD1048576 \\(17 tỷ ô\\)"):
        call_command("import_members", "HN-MD-UBND", str(sparse), user=officer.username)
    hidden = tmp_path / "an.xlsx"
    hidden.write_bytes(bombs.sparse_range(declare=False))
    with pytest.raises(CommandError, match="tệp quá phức tạp hoặc bị hỏng"):
        call_command("import_members", "HN-MD-UBND", str(hidden), user=officer.username)


def check(client, record) -> None:
    data = {"header_row": record.header_row + 1, "header_rows": record.header_rows}
    data |= {k: str(v) for k, v in record.mapping.items()}
    assert client.post(reverse("imports:mapping", args=[record.pk]), data).status_code == 302


def _uploaded(client, tree) -> ImportBatch:
    post(client, tree.ubnd, "roster_basic.xlsx", (FILES / "roster_basic.xlsx").read_bytes())
    return ImportBatch.objects.get()


def test_files_are_deleted_after_the_commit(officer_client, tree, django_capture_on_commit_callbacks):
    record = _uploaded(officer_client, tree)
    paths = [Path(record.file.path), Path(record.rows_file.path)]
    assert all(p.exists() for p in paths)
    check(officer_client, record)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == S.DONE and record.pruned_at
    assert not record.file and not record.rows_file and not any(p.exists() for p in paths)
    page = officer_client.get(reverse("imports:status", args=[record.pk]))
    assert "Đã ghi 6 dòng" in page.content.decode()  # the outcome stays


def test_files_are_deleted_after_a_failed_commit(officer_client, tree, django_capture_on_commit_callbacks):
    record = _uploaded(officer_client, tree)
    check(officer_client, record)
    record.refresh_from_db()
    path = Path(record.file.path)
    record.rows_file.storage.delete(record.rows_file.name)  # e.g. lost storage: the commit fails
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == S.FAILED and record.pruned_at and not path.exists()


def test_prune_uploads_after_the_retention_days(
    officer_client, tree, capsys, django_capture_on_commit_callbacks
):
    old = _uploaded(officer_client, tree)
    fresh = _uploaded_again(officer_client, tree)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    old_paths = [Path(old.file.path), Path(old.rows_file.path)]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_uploads")
    assert "Đã xoá tệp của 1 lần nhập dữ liệu." in capsys.readouterr().out
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.pruned_at and not old.file and not any(p.exists() for p in old_paths)
    assert fresh.pruned_at is None and Path(fresh.rows_file.path).exists()
    with override_settings(THIDUA_UPLOAD_RETENTION_DAYS=0), django_capture_on_commit_callbacks(execute=True):
        call_command("prune_uploads")
    fresh.refresh_from_db()
    assert fresh.pruned_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_uploads", days=30)
    assert "Đã xoá tệp của 0 lần nhập" in capsys.readouterr().out.splitlines()[-1]


def test_the_pages_of_a_pruned_upload_say_the_data_is_gone(
    officer_client, tree, django_capture_on_commit_callbacks
):
    old = _uploaded(officer_client, tree)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_uploads")
    response = officer_client.get(reverse("imports:mapping", args=[old.pk]), follow=True)
    assert "hãy tải tệp lên lại" in response.content.decode()


def _uploaded_again(client, tree) -> ImportBatch:
    post(client, tree.ubnd, "roster_basic.ods", (FILES / "roster_basic.ods").read_bytes())
    return ImportBatch.objects.order_by("-pk").first()


@override_settings(THIDUA_UPLOAD_READ_MEMORY_BYTES=8 * uploads.MB)
def test_a_worker_child_over_its_memory_limit_gives_the_message(officer_client, tree):
    """A valid file, a parser limit below what calamine needs: the child dies, the upload is told why."""
    response = post(
        officer_client, tree.ubnd, "roster_basic.xlsx", (FILES / "roster_basic.xlsx").read_bytes()
    )
    record = ImportBatch.objects.get()
    assert record.status == S.UNREADABLE
    assert record.message == "Không đọc được tệp: tệp quá phức tạp hoặc bị hỏng."
    page = officer_client.get(response.url, follow=True).content.decode()
    assert "tệp quá phức tạp hoặc bị hỏng" in page and "Nhập tệp khác" in page
