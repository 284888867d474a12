"""Background builds in the browser: the Mỹ Đức officer starts the year-end summary from the dashboard,
lands on the job page, downloads the .docx and reads it back; then the "Tệp đã tạo" list."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from browser_tests.test_foundation import login
from jobs.models import BuildJob
from organizations.models import OrgUnit
from reports.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _docx_text(path) -> str:
    doc = Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_officer_builds_year_end_summary_in_the_background(page, live_server, shot, console_errors, tmp_path):
    call_command("load_demo", verbosity=0)
    build_demo(rng=None, year=2024)
    my_duc = OrgUnit.objects.get(code="HN-MD")

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/bao-cao/don-vi/{my_duc.pk}/?nam=2024")
    page.get_by_role("button", name="Báo cáo tổng kết (.docx)").click()

    # the job page (the test settings run the task inside the POST: it is already done)
    expect(page).to_have_url(re.compile(r"/tep/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("Báo cáo tổng kết năm 2024"))).to_be_visible()
    expect(page.get_by_test_id("trang-thai")).to_contain_text("Đã xong")
    download_link = page.get_by_role("link", name="Tải về")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("button", name="Tạo lại")).to_be_visible()
    expect(page.get_by_role("button", name="Tạo bản PDF")).to_be_visible()
    job = BuildJob.objects.get()
    assert job.status == "DONE" and job.created_by.username == "canbo.myduc"
    shot(page, "50-job-done", width=1280)
    shot(page, "50-job-done", width=390)

    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename == "bao-cao-tong-ket-HN-MD-2024.docx"
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = _docx_text(path)
    assert "LĐLĐ huyện Mỹ Đức" in text
    assert "Tổng kết phong trào thi đua năm 2024" in text

    # "Tệp đã tạo": from the menu's folder icon (shown from 1400 px and in the phone menu; the profile
    # page links it too), the list of the officer's own files
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tệp đã tạo").click()
    expect(page.get_by_role("heading", name="Tệp đã tạo")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Báo cáo tổng kết năm 2024"))).to_be_visible()
    shot(page, "51-jobs-list", width=1280)
    shot(page, "51-jobs-list", width=390)
    assert console_errors == []


def test_job_page_polls_until_done_and_empty_list(page, live_server, shot, console_errors):
    """A queued job (no worker in the test): the page polls with htmx and shows the result once the row
    changes, as the worker would write it."""
    call_command("load_demo", verbosity=0)
    my_duc = OrgUnit.objects.get(code="HN-MD")
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/tep/")
    expect(page.get_by_text("Bạn chưa tạo tệp nào.")).to_be_visible()
    shot(page, "52-jobs-empty", width=390)

    from accounts.models import User

    job = BuildJob.objects.create(
        kind="summary_docx",
        title="Báo cáo tổng kết năm 2024 (.pdf) — LĐLĐ huyện Mỹ Đức",
        unit=my_duc,
        params={"year": 2024},
        created_by=User.objects.get(username="canbo.myduc"),
        status="RUNNING",
        percent=60,
        stage="Đang chuyển sang PDF",
    )
    page.goto(f"{live_server.url}/tep/{job.pk}/")
    expect(page.get_by_test_id("trang-thai")).to_contain_text("Đang chuyển sang PDF")
    shot(page, "53-job-running", width=390)
    shot(page, "53-job-running", width=1280)
    BuildJob.objects.filter(pk=job.pk).update(
        status="FAILED",
        finished_at=timezone.now(),
        error="Không tạo được tệp: Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF.",
    )
    expect(page.get_by_test_id("loi")).to_contain_text("chưa cài LibreOffice", timeout=5000)
    expect(page.get_by_role("button", name="Tạo lại")).to_be_visible()
    shot(page, "54-job-failed", width=390)
    shot(page, "54-job-failed", width=1280)
    assert console_errors == []
