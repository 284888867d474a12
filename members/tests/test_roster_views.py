"""Roster screens: upload → mapping → preview → commit (immediate task backend) → status; error file,
template, export (masked / unmasked + audit); scope (403 / 404)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from core.models import AuditEvent
from members.models import Person, RosterImport

FILES = Path(__file__).resolve().parent / "files"


def upload(client, unit, name="roster_basic.xlsx"):
    data = (FILES / name).read_bytes()
    return client.post(
        reverse("members:roster_upload") + f"?don_vi={unit.pk}",
        {"unit": unit.pk, "file": SimpleUploadedFile(name, data)},
    )


def sheet_rows(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_index(0)
        .to_python(skip_empty_area=False)
    )


def test_full_flow_upload_map_preview_commit(officer_client, tree):
    page = officer_client.get(reverse("members:roster_upload") + f"?don_vi={tree.ubnd.pk}")
    assert page.status_code == 200 and "Nhập danh sách đoàn viên" in page.content.decode()
    response = upload(officer_client, tree.ubnd)
    record = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:roster_mapping", args=[record.pk])
    assert record.header_row == 3 and record.mapping["full_name"] == 2

    page = officer_client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dòng tiêu đề cột" in html and "C: Họ tên" in html
    post = {"header_row": 4, **{k: str(v) for k, v in record.mapping.items()}, "action": "check"}
    post["phone"] = ""  # the user chooses not to import phone numbers
    response = officer_client.post(page.wsgi_request.path, post)
    assert response.url == reverse("members:roster_preview", args=[record.pk])
    record.refresh_from_db()
    assert "phone" not in record.mapping

    page = officer_client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "Dữ liệu hợp lệ" in html and "Ghi vào hệ thống" in html
    record.refresh_from_db()
    assert record.status == RosterImport.Status.CHECKED and record.total_rows == 6

    response = officer_client.post(reverse("members:roster_commit", args=[record.pk]))
    assert response.url == reverse("members:roster_status", args=[record.pk])
    record.refresh_from_db()
    assert record.status == RosterImport.Status.DONE, record.message
    assert record.result["created"] == 5 and record.task_id
    assert Person.objects.get(pk=tree.an.pk).phone == ""  # phone column not mapped: untouched

    page = officer_client.get(response.url)
    assert "Đã ghi 6 dòng: thêm mới 5 đoàn viên" in page.content.decode()
    partial = officer_client.get(response.url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'id="tien-do"' in partial.content.decode()
    assert "hx-trigger" not in partial.content.decode()  # finished: polling stops
    members = officer_client.get(reverse("members:list") + f"?don_vi={tree.ubnd.pk}").content.decode()
    assert "Lê Thị Mai" in members


def test_mapping_change_of_header_row_regresses_to_guess(officer_client, tree):
    upload(officer_client, tree.ubnd)
    record = RosterImport.objects.get()
    url = reverse("members:roster_mapping", args=[record.pk])
    response = officer_client.post(
        url, {"header_row": 1, "full_name": "0", "gender": "1", "action": "reload"}
    )
    assert response.status_code in (200, 302)


def test_preview_lists_errors_and_error_file(officer_client, tree):
    upload(officer_client, tree.ubnd, "roster_500_bad.xlsx")
    record = RosterImport.objects.get()
    page = officer_client.get(reverse("members:roster_preview", args=[record.pk]))
    html = page.content.decode()
    assert "Tệp có 3 lỗi" in html and "Ghi vào hệ thống" not in html
    for row, column in ((62, "Ngày sinh"), (235, "Số CCCD"), (486, "Tổ CĐ")):
        assert f'<td data-label="Dòng">{row}</td><td data-label="Cột">{column}</td>' in html
    # committing an invalid roster is refused
    response = officer_client.post(reverse("members:roster_commit", args=[record.pk]))
    assert response.url == reverse("members:roster_preview", args=[record.pk])
    assert not Person.objects.filter(memberships__card_number="0200000000").exists()

    response = officer_client.get(reverse("members:roster_error_file", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = sheet_rows(response)
    last = len(rows[3]) - 1
    assert rows[3][last] == "Lỗi"
    assert [n + 1 for n, r in enumerate(rows) if n > 3 and r[last]] == [62, 235, 486]


def test_upload_rejects_bad_files(officer_client, tree):
    response = officer_client.post(
        reverse("members:roster_upload"), {"unit": tree.ubnd.pk, "file": SimpleUploadedFile("a.csv", b"x,y")}
    )
    assert "Chỉ nhận tệp Excel" in response.content.decode()
    response = officer_client.post(
        reverse("members:roster_upload"),
        {"unit": tree.ubnd.pk, "file": SimpleUploadedFile("a.xlsx", b"not a spreadsheet")},
    )
    assert "Không đọc được tệp" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_template_download(officer_client):
    response = officer_client.get(reverse("members:roster_template"))
    assert response.status_code == 200
    assert sheet_rows(response)[0][:3] == ["Họ và tên (*)", "Giới tính (*)", "Ngày sinh"]


def test_out_of_scope_import_and_export(client, tree, make_user):
    officer_hbt = make_user(Role.OFFICER, tree.hbt)
    client.force_login(officer_hbt)
    assert client.get(reverse("members:roster_upload") + f"?don_vi={tree.ubnd.pk}").status_code == 404
    assert upload(client, tree.ubnd).status_code == 404
    data = (FILES / "roster_basic.xlsx").read_bytes()
    response = client.post(  # without ?don_vi the unit is simply not among the choices
        reverse("members:roster_upload"),
        {"unit": tree.ubnd.pk, "file": SimpleUploadedFile("roster_basic.xlsx", data)},
    )
    assert response.status_code == 200 and not RosterImport.objects.exists()
    assert client.post(reverse("members:roster_export"), {"don_vi": tree.ubnd.pk}).status_code == 404


def test_other_users_import_is_404_and_member_gets_403(client, officer_client, tree, make_user):
    upload(officer_client, tree.ubnd)
    record = RosterImport.objects.get()
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    for name in ("roster_status", "roster_mapping", "roster_preview", "roster_error_file"):
        assert client.get(reverse(f"members:{name}", args=[record.pk])).status_code == 404
    assert client.post(reverse("members:roster_commit", args=[record.pk])).status_code == 404
    client.force_login(make_user())
    assert client.get(reverse("members:roster_upload")).status_code == 403
    assert client.get(reverse("members:roster_template")).status_code == 403
    assert client.get(reverse("members:roster_status", args=[record.pk])).status_code == 403


def export(client, unit):
    """The "Xuất Excel" button: a POST starting the background job, the job page, its download."""
    started = client.post(reverse("members:roster_export"), {"don_vi": unit.pk})
    assert started.status_code == 302 and started["Location"].startswith("/tep/"), started
    page = client.get(started["Location"])
    assert page.status_code == 200 and "Tải về" in page.content.decode()
    response = client.get(started["Location"] + "tai-ve/")
    assert response.status_code == 200
    return response


def test_export_is_a_background_job_not_a_get_download(officer_client, tree):
    assert officer_client.get(reverse("members:roster_export") + f"?don_vi={tree.ubnd.pk}").status_code == 405
    response = export(officer_client, tree.ubnd)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "doan_vien_cong_doan_uy_ban_nhan_dan_huyen_my_duc_" in response["Content-Disposition"]


def test_export_masks_citizen_id_without_sensitive_right(client, tree, make_user):
    client.force_login(make_user(Role.LEADER, tree.md))  # may see people, not their citizen IDs
    response = export(client, tree.ubnd)
    rows = sheet_rows(response)
    assert rows[2][:5] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD"]
    names = [r[1] for r in rows[3:]]
    assert names == ["Nguyễn Văn An", "Trần Thị Hoa", "Đặng Đức Thắng"]  # Vietnamese order: An, Hoa, Thắng
    an = rows[3]
    assert an[4] == "••••••••2345" and an[5] == "Tổ công đoàn Phòng Nội vụ"
    assert "001085012345" not in str(rows)
    assert not AuditEvent.objects.filter(action="person.export_sensitive").exists()


def test_export_unmasked_with_sensitive_right_is_audited(officer_client, officer, tree):
    user = officer  # the emulation officer holds person.view_sensitive on Mỹ Đức
    rows = sheet_rows(export(officer_client, tree.ubnd))
    assert rows[3][4] == "001085012345"
    event = AuditEvent.objects.get(action="person.export_sensitive")
    assert event.unit == tree.ubnd and event.actor == user and "3 đoàn viên" in event.summary


@pytest.mark.parametrize("name", ["roster_basic.xls", "roster_basic.ods"])
def test_upload_old_excel_and_ods(officer_client, tree, name):
    response = upload(officer_client, tree.ubnd, name)
    assert response.status_code == 302
    record = RosterImport.objects.get()
    officer_client.get(reverse("members:roster_preview", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RosterImport.Status.CHECKED
