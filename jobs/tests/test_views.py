"""Views: start from a form, the job page in every state, the htmx partial, download, my files; a job is
visible to its creator only (404 for anyone else, never data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from jobs import services
from jobs.models import BuildJob
from jobs.tests.conftest import docx_text


def make_job(user, unit, **fields) -> BuildJob:
    values = {
        "kind": "summary_docx",
        "title": "Báo cáo tổng kết năm 2024 (.docx) — LĐLĐ huyện Mỹ Đức",
        "params": {"year": 2024},
        **fields,
    }
    return BuildJob.objects.create(unit=unit, created_by=user, **values)


def test_dashboard_summary_button_is_a_post_form_starting_the_job(officer_client, built):
    html = officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/?nam=2024").content.decode()
    assert 'action="/tep/tao/"' in html
    assert 'name="kind" value="summary_docx"' in html and 'name="year" value="2024"' in html
    # the old direct download still answers
    assert officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/tong-ket/?nam=2024").status_code == 200


def test_create_redirects_to_the_job_page_with_download(officer_client, officer, built):
    response = officer_client.post("/tep/tao/", {"kind": "summary_docx", "unit": built.md.pk, "year": "2024"})
    job = BuildJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tep/{job.pk}/"
    assert job.created_by == officer

    page = officer_client.get(f"/tep/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Báo cáo tổng kết năm 2024 (.docx) — LĐLĐ huyện Mỹ Đức" in html
    assert "Đã xong" in html and "100%" in html
    assert f'href="/tep/{job.pk}/tai-ve/"' in html and "Tải về" in html and "Tạo lại" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert 'name="kind" value="summary_pdf"' in html and "Tạo bản PDF" in html  # the same summary as PDF

    download = officer_client.get(f"/tep/{job.pk}/tai-ve/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        f'attachment; filename="bao-cao-tong-ket-{built.md.code}-2024.docx"'
        == download["Content-Disposition"]
    )
    assert "LĐLĐ huyện Mỹ Đức" in docx_text(b"".join(download.streaming_content))


def test_queued_and_running_pages_poll_and_show_progress(officer_client, officer, tree):
    queued = make_job(officer, tree.md, stage="Đang chờ đến lượt")
    html = officer_client.get(f"/tep/{queued.pk}/").content.decode()
    assert f'hx-get="/tep/{queued.pk}/"' in html and 'hx-trigger="every 1s"' in html
    assert "Đang chờ" in html and "0%" in html and "Tải về" not in html
    assert "progress-bar-animated" in html
    assert officer_client.get(f"/tep/{queued.pk}/tai-ve/").status_code == 404  # not ready

    running = make_job(
        officer,
        tree.md,
        status="RUNNING",
        percent=40,
        stage="Đang tổng hợp số liệu",
        started_at=timezone.now(),
    )
    html = officer_client.get(f"/tep/{running.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "Đang tạo" in html and "Đang tổng hợp số liệu" in html
    assert 'aria-valuenow="40"' in html and "width: 40%" in html
    assert "Tải về" not in html and "Tạo lại" not in html


def test_htmx_request_gets_the_progress_partial(officer_client, officer, tree):
    job = make_job(officer, tree.md, status="RUNNING", percent=65, stage="Đang chuyển sang PDF")
    response = officer_client.get(f"/tep/{job.pk}/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="tien-do"') and "<html" not in html
    assert "65%" in html and "Đang chuyển sang PDF" in html and 'hx-swap="outerHTML"' in html

    BuildJob.objects.filter(pk=job.pk).update(status="DONE", percent=100, stage="Hoàn tất")
    html = officer_client.get(f"/tep/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and "Tải về" in html  # the swap ends the polling


def test_failed_page_shows_the_message_not_the_traceback(officer_client, officer, tree, temp_builder):
    def build(*, job, progress):
        raise ValueError("Traceback-like internal detail: division by zero")

    temp_builder("test_fail_view", build)
    officer_client.post("/tep/tao/", {"kind": "test_fail_view", "unit": tree.md.pk})
    job = BuildJob.objects.get()
    html = officer_client.get(f"/tep/{job.pk}/").content.decode()
    assert job.status == "FAILED"
    assert services.GENERIC_ERROR in html and "Không tạo được" in html
    assert "Traceback" not in html and "division" not in html and "ValueError" not in html
    assert "Tạo lại" in html and f'href="/tep/{job.pk}/tai-ve/"' not in html


def test_retry_button_starts_a_new_job(officer_client, officer, built):
    officer_client.post("/tep/tao/", {"kind": "summary_docx", "unit": built.md.pk, "year": "2024"})
    first = BuildJob.objects.get()
    response = officer_client.post(f"/tep/{first.pk}/tao-lai/")
    second = BuildJob.objects.exclude(pk=first.pk).get()
    assert response["Location"] == f"/tep/{second.pk}/"
    assert second.params == {"year": 2024} and second.status == "DONE"


def test_job_of_another_user_is_404_everywhere(client, officer, make_user, built):
    job = services.job_start(acting_user=officer, kind="summary_docx", unit=built.md, params={"year": 2024})
    colleague = make_user(Role.OFFICER, built.md)  # same unit, same rights: still not their file
    client.force_login(colleague)
    for url in (f"/tep/{job.pk}/", f"/tep/{job.pk}/tai-ve/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Mỹ Đức" not in response.content.decode() and response.content[:2] != b"PK"
    assert client.get(f"/tep/{job.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert client.post(f"/tep/{job.pk}/tao-lai/").status_code == 404
    assert "Báo cáo tổng kết" not in client.get("/tep/").content.decode()
    assert BuildJob.objects.count() == 1

    client.force_login(make_user(is_superuser=True))
    assert client.get(f"/tep/{job.pk}/").status_code == 200
    assert client.get(f"/tep/{job.pk}/tai-ve/").status_code == 200


def test_creator_who_lost_the_right_gets_404(client, make_user, built):
    officer = make_user(Role.OFFICER, built.md)
    job = services.job_start(acting_user=officer, kind="summary_docx", unit=built.md, params={"year": 2024})
    RoleAssignment.objects.filter(user=officer).delete()
    client.force_login(officer)
    assert client.get(f"/tep/{job.pk}/tai-ve/").status_code == 404


def test_create_permission_answers(client, make_user, tree):
    client.force_login(make_user())  # no role anywhere
    response = client.post("/tep/tao/", {"kind": "summary_docx", "unit": tree.md.pk, "year": "2024"})
    assert response.status_code == 403
    client.force_login(make_user(Role.OFFICER, tree.md))
    response = client.post("/tep/tao/", {"kind": "summary_docx", "unit": tree.mk.pk, "year": "2024"})
    assert response.status_code == 404  # outside the officer's subtree
    assert client.post("/tep/tao/", {"kind": "khong-co", "unit": tree.md.pk}).status_code == 404
    assert client.get("/tep/tao/").status_code == 405
    assert not BuildJob.objects.exists()


def test_create_with_bad_year_goes_back_with_a_message(officer_client, tree):
    dashboard = f"/bao-cao/don-vi/{tree.md.pk}/"
    response = officer_client.post(
        "/tep/tao/",
        {"kind": "summary_docx", "unit": tree.md.pk, "year": "năm ngoái"},
        headers={"Referer": f"http://testserver{dashboard}"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"http://testserver{dashboard}"
    assert "Năm báo cáo không hợp lệ." in response.content.decode()
    assert not BuildJob.objects.exists()


def test_list_shows_own_jobs_newest_first_and_an_empty_state(officer_client, officer, make_user, tree):
    html = officer_client.get("/tep/").content.decode()
    assert "Bạn chưa tạo tệp nào." in html

    older = make_job(officer, tree.md, title="Tệp cũ hơn", status="FAILED", error="Không tạo được tệp: x")
    BuildJob.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    newer = make_job(officer, tree.md, title="Tệp mới hơn", status="DONE", percent=100)
    newer.file.save("thu.docx", ContentFile(b"PK"), save=True)
    make_job(make_user(Role.OFFICER, tree.md), tree.md, title="Tệp của người khác")

    html = officer_client.get("/tep/").content.decode()
    assert "Bạn chưa tạo tệp nào." not in html
    assert html.index("Tệp mới hơn") < html.index("Tệp cũ hơn")
    assert "Tệp của người khác" not in html
    assert f'href="/tep/{newer.pk}/tai-ve/"' in html and "Không tạo được" in html


def test_menu_and_profile_link_to_my_files(officer_client):
    assert 'href="/tep/"' in officer_client.get("/").content.decode()
    assert 'href="/tep/"' in officer_client.get("/tai-khoan/").content.decode()


@pytest.mark.parametrize("url", ["/tep/", "/tep/1/", "/tep/1/tai-ve/"])
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_job_built_and_downloaded_on_a_storage_without_local_paths(
    officer_client, built, settings, tmp_path
):
    """Issue 16, scale-out: with the files in a shared bucket (THIDUA_S3_*) the build writes and the
    download reads through the storage API only; a storage without path() (as S3Storage)."""
    from pathlib import Path

    from core.tests.storage import NoPathStorage

    settings.MEDIA_ROOT = str(tmp_path / "media")  # nothing lands on disk, not even here
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.tests.storage.NoPathStorage"},
    }
    officer_client.post("/tep/tao/", {"kind": "summary_docx", "unit": built.md.pk, "year": "2024"})
    job = BuildJob.objects.get()
    assert isinstance(job.file.storage._wrapped, NoPathStorage) and job.file.storage.exists(job.file.name)
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    download = officer_client.get(f"/tep/{job.pk}/tai-ve/")
    assert download.status_code == 200
    assert "LĐLĐ huyện Mỹ Đức" in docx_text(b"".join(download.streaming_content))
