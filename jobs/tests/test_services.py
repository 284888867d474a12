"""Services: start → run → DONE with the file; progress rows; FAILED paths; permissions; audit."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from core.access import Action
from core.models import AuditEvent
from documents.pdf import soffice_path
from jobs import registry, services
from jobs.models import BuildJob
from jobs.tests.conftest import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_summary_docx_job_runs_to_done_with_a_valid_docx(officer, built):
    job = services.job_start(acting_user=officer, kind="summary_docx", unit=built.md, params={"year": "2024"})

    assert job.status == BuildJob.Status.DONE  # immediate backend in the tests
    assert (job.percent, job.stage) == (100, "Hoàn tất")
    assert job.title == "Báo cáo tổng kết năm 2024 (.docx) — LĐLĐ huyện Mỹ Đức"
    assert job.params == {"year": 2024}
    assert job.filename == f"bao-cao-tong-ket-{built.md.code}-2024.docx"
    assert job.content_type == DOCX
    assert job.started_at and job.finished_at and job.error == ""
    assert job.file.name.startswith(f"jobs/{job.created_at.year}/")
    with job.file.open("rb") as handle:
        content = handle.read()
    assert job.size == len(content)
    text = docx_text(content)  # opens: a valid .docx
    assert "LĐLĐ huyện Mỹ Đức" in text  # exact diacritics (Đ, ỹ, ứ)
    assert "Tổng kết phong trào thi đua năm 2024" in text
    assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in text  # child unit in the table

    event = AuditEvent.objects.get(action="job.start", object_id=str(job.pk))
    assert event.actor == officer and event.unit_id == built.md.pk
    assert "Báo cáo tổng kết năm 2024" in event.summary


def test_summary_builder_reports_its_stages(officer, built):
    job = BuildJob(kind="summary_docx", unit=built.md, params={"year": 2024}, created_by=officer)
    calls = []
    content, filename, content_type = registry.get("summary_docx").build(
        job=job, progress=lambda percent, stage: calls.append((percent, stage))
    )
    assert calls == [
        (5, "Đang tổng hợp số liệu"),
        (31, "Đang soạn báo cáo"),
        (58, "Đang ghi tệp"),
        (85, "Hoàn thành"),
        (90, "Đang lưu tệp"),
    ]
    assert content[:2] == b"PK" and filename.endswith(".docx") and content_type == DOCX


def test_progress_is_written_to_the_row_while_the_build_runs(officer, tree, temp_builder):
    seen = []

    def build(*, job, progress):
        progress(40, "Đang tổng hợp số liệu")
        seen.append(BuildJob.objects.values_list("status", "percent", "stage").get(pk=job.pk))
        progress(150, "Đang soạn văn bản")  # clamped to 100
        seen.append(BuildJob.objects.values_list("percent", "stage").get(pk=job.pk))
        return b"noi dung", "thu.txt", "text/plain"

    temp_builder("test_progress", build)
    job = services.job_start(acting_user=officer, kind="test_progress", unit=tree.md)
    assert seen == [("RUNNING", 40, "Đang tổng hợp số liệu"), (100, "Đang soạn văn bản")]
    assert job.status == "DONE" and job.percent == 100 and job.size == 8


def test_builder_exception_fails_with_vietnamese_message_and_logs_traceback(
    officer, tree, temp_builder, caplog
):
    def build(*, job, progress):
        progress(30, "Đang tổng hợp số liệu")
        raise RuntimeError("secret internal detail")

    temp_builder("test_boom", build)
    job = services.job_start(acting_user=officer, kind="test_boom", unit=tree.md)
    assert job.status == BuildJob.Status.FAILED
    assert job.error == services.GENERIC_ERROR
    assert job.error.startswith("Không tạo được tệp:")
    assert "secret" not in job.error and not job.file
    assert job.finished_at is not None
    assert any(r.exc_info and "secret internal detail" in str(r.exc_info[1]) for r in caplog.records)


def test_build_error_message_is_shown_to_the_user(officer, tree, temp_builder):
    def build(*, job, progress):
        raise registry.BuildError("Chưa có số liệu của năm này.")

    temp_builder("test_build_error", build)
    job = services.job_start(acting_user=officer, kind="test_build_error", unit=tree.md)
    assert job.status == "FAILED"
    assert job.error == "Không tạo được tệp: Chưa có số liệu của năm này."


def test_pdf_job_fails_with_vietnamese_message_without_libreoffice(officer, built, monkeypatch):
    monkeypatch.setattr("documents.pdf.soffice_path", lambda: None)
    job = services.job_start(acting_user=officer, kind="summary_pdf", unit=built.md, params={"year": 2024})
    assert job.status == BuildJob.Status.FAILED
    assert job.error == ("Không tạo được tệp: Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF.")


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) not installed")
def test_pdf_job_with_libreoffice(officer, built):
    job = services.job_start(acting_user=officer, kind="summary_pdf", unit=built.md, params={"year": 2024})
    assert job.status == BuildJob.Status.DONE, job.error
    assert job.content_type == "application/pdf" and job.filename.endswith("-2024.pdf")
    with job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_roster_export_job(officer, tree):
    job = services.job_start(acting_user=officer, kind="roster_xlsx", unit=tree.ubnd)
    assert job.status == "DONE", job.error
    assert job.filename.startswith("doan_vien_cong_doan_uy_ban_nhan_dan_huyen_my_duc_")
    with job.file.open("rb") as handle:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0).to_python()
    names = {cell for row in rows for cell in row if isinstance(cell, str)}
    assert "Nguyễn Văn An" in names and "Trần Thị Hoa" in names


def test_start_needs_the_builders_action_on_the_unit(make_user, tree):
    nobody = make_user()
    with pytest.raises(PermissionDenied):
        services.job_start(acting_user=nobody, kind="summary_docx", unit=tree.md, params={"year": 2024})
    officer = make_user(Role.OFFICER, tree.md)
    with pytest.raises(PermissionDenied):  # outside the officer's subtree
        services.job_start(acting_user=officer, kind="summary_docx", unit=tree.mk, params={"year": 2024})
    member = make_user(Role.MEMBER, tree.ubnd)  # unit.view, but not person.view
    with pytest.raises(PermissionDenied):
        services.job_start(acting_user=member, kind="roster_xlsx", unit=tree.ubnd)
    assert not BuildJob.objects.exists()


def test_start_rejects_unknown_kind_and_bad_params(officer, tree):
    with pytest.raises(services.JobInvalid, match="Không có loại tệp này"):
        services.job_start(acting_user=officer, kind="khong-co", unit=tree.md)
    with pytest.raises(services.JobInvalid, match="Năm báo cáo không hợp lệ"):
        services.job_start(acting_user=officer, kind="summary_docx", unit=tree.md, params={"year": "abc"})
    assert not BuildJob.objects.exists()


def test_run_is_idempotent_and_rechecks_permission(officer, tree, temp_builder):
    temp_builder("test_ok", lambda *, job, progress: (b"x", "x.txt", "text/plain"))
    job = services.job_start(acting_user=officer, kind="test_ok", unit=tree.md)
    assert services.job_run(job_id=job.pk) == "DONE"  # a retried task does not build twice

    queued = BuildJob.objects.create(
        kind="test_ok", title="Thử", unit=tree.mk, created_by=officer, params={}
    )  # a unit the officer cannot act on (e.g. rights withdrawn after the start)
    assert services.job_run(job_id=queued.pk) == "FAILED"
    queued.refresh_from_db()
    assert queued.error == "Không tạo được tệp: bạn không còn quyền với đơn vị này."


def test_retry_creates_a_new_job_with_the_same_request(officer, built):
    first = services.job_start(acting_user=officer, kind="summary_docx", unit=built.md, params={"year": 2024})
    again = services.job_retry(acting_user=officer, job=first)
    assert again.pk != first.pk
    assert (again.kind, again.unit_id, again.params, again.status) == (
        "summary_docx",
        built.md.pk,
        {"year": 2024},
        "DONE",
    )


def test_builders_are_registered_with_actions():
    assert registry.get("summary_docx").action == Action.UNIT_VIEW
    assert registry.get("summary_pdf").action == Action.UNIT_VIEW
    assert registry.get("roster_xlsx").action == Action.PERSON_VIEW


def test_builders_are_found_in_the_apps_that_own_them():
    """jobs imports no builder by name: `JobsConfig.ready` autodiscovers each app's `builders` module."""
    owners = {
        key: registry.get(key).build.__module__ for key in ("summary_docx", "summary_pdf", "roster_xlsx")
    }
    assert owners == {
        "summary_docx": "reports.builders",
        "summary_pdf": "reports.builders",
        "roster_xlsx": "members.builders",
    }
    assert registry.get("summary_pdf").job_title(
        unit=SimpleNamespace(short_name="LĐLĐ Mỹ Đức", name=""), params={"year": 2024}
    ) == ("Báo cáo tổng kết năm 2024 (.pdf) — LĐLĐ Mỹ Đức")


def test_jobs_autodiscovers_builders_modules(monkeypatch):
    from django.apps import apps

    seen = []
    monkeypatch.setattr("jobs.apps.autodiscover_modules", lambda name: seen.append(name))
    apps.get_app_config("jobs").ready()
    assert seen == ["builders"]
