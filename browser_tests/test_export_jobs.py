"""Big exports and PDF conversions run in the background (issue 12, finding 11): the Mỹ Đức officer
clicks "Xuất Excel" on the member list and "Tạo PDF" on a movement's plan, lands on the job page each
time, downloads the file from there and finds both in "Tệp đã tạo"."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from browser_tests.test_foundation import login
from documents.pdf import soffice_path
from jobs.models import BuildJob
from movements.models import Movement
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, tmp_path):
    link = page.get_by_role("link", name="Tải về")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_member_export_and_plan_pdf_are_jobs_downloaded_from_the_job_page(
    page, live_server, shot, console_errors, tmp_path
):
    call_command("load_demo", verbosity=0)
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")

    page.goto(f"{live_server.url}/doan-vien/?don_vi={ubnd.pk}")
    page.get_by_role("button", name="Xuất Excel").click()
    expect(page).to_have_url(re.compile(r"/tep/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(r"Danh sách đoàn viên \(\.xlsx\)"))).to_be_visible()
    expect(page.get_by_test_id("trang-thai")).to_contain_text("Đã xong")
    shot(page, "51-member-export-job", width=1280)
    path = _download(page, tmp_path)
    assert path.suffix == ".xlsx"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[2][:2] == ["STT", "Họ và tên"] and len(rows) > 3

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) not installed: the plan PDF part needs it")
    movement = Movement.objects.filter(organiser__code="HN-MD").order_by("pk").first()
    page.goto(f"{live_server.url}/van-ban/phong-trao/{movement.pk}/ke-hoach/")
    page.get_by_label("Họ tên người ký").fill("Lê Văn Ký")
    page.get_by_role("button", name="Tạo PDF").click()
    expect(page).to_have_url(re.compile(r"/tep/\d+/$"))
    expect(page.get_by_test_id("trang-thai")).to_contain_text("Đã xong", timeout=60_000)
    path = _download(page, tmp_path)
    assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF")
    job = BuildJob.objects.get(kind="plan_pdf")
    assert job.subject_id == movement.pk and job.params["nguoi_ky"] == "Lê Văn Ký"

    page.goto(f"{live_server.url}/tep/")
    expect(page.get_by_role("link", name=re.compile(r"Danh sách đoàn viên \(\.xlsx\)"))).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"Kế hoạch phát động phong trào \(\.pdf\)"))
    ).to_be_visible()
