"""Roster screens on the import framework (kind "doan-vien"): upload → columns → preview → commit (immediate
task backend) → status; error file, template, the old addresses; export (masked / unmasked + audit);
scope (403 / 404)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from core.models import AuditEvent
from imports.models import ImportBatch
from members.models import Person

FILES = Path(__file__).resolve().parent / "files"
UPLOAD = reverse("imports:upload", args=["doan-vien"])


def upload(client, unit, name="roster_basic.xlsx"):
    data = (FILES / name).read_bytes()
    return client.post(f"{UPLOAD}?don_vi={unit.pk}", {"file": SimpleUploadedFile(name, data)})


def sheet_rows(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_index(0)
        .to_python(skip_empty_area=False)
    )


def mapping_post(batch, **extra):
    data = {"header_row": batch.header_row + 1, "header_rows": batch.header_rows}
    return data | {k: str(v) for k, v in batch.mapping.items()} | extra


def test_full_flow_upload_map_preview_commit(officer_client, tree):
    members = officer_client.get(reverse("members:list") + f"?don_vi={tree.ubnd.pk}").content.decode()
    assert f"{UPLOAD}?don_vi={tree.ubnd.pk}" in members and "Nhập danh sách" in members
    assert reverse("imports:template", args=["doan-vien"]) in members
    page = officer_client.get(f"{UPLOAD}?don_vi={tree.ubnd.pk}")
    assert page.status_code == 200 and "Danh sách đoàn viên" in page.content.decode()
    response = upload(officer_client, tree.ubnd)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:status", args=[batch.pk]) and batch.kind == "doan-vien"
    assert batch.header_row == 3 and batch.mapping["full_name"] == 2

    page = officer_client.get(reverse("imports:mapping", args=[batch.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Dòng tiêu đề cột" in html and "C: Họ tên" in html
    post = mapping_post(batch, phone="")  # the user chooses not to import phone numbers
    response = officer_client.post(reverse("imports:mapping", args=[batch.pk]), post)
    assert response.url == reverse("imports:preview", args=[batch.pk])
    batch.refresh_from_db()
    assert "phone" not in batch.mapping
    assert batch.status == "CHECKED" and batch.counts["new"] == 5 and batch.counts["update"] == 1

    html = officer_client.get(response.url).content.decode()
    assert "Không có dòng lỗi" in html and "Ghi vào hệ thống" in html

    response = officer_client.post(reverse("imports:commit", args=[batch.pk]))
    assert response.url == reverse("imports:status", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "DONE", batch.message
    assert batch.result["created"] == 5
    assert Person.objects.get(pk=tree.an.pk).phone == ""  # phone column not mapped: untouched

    page = officer_client.get(response.url)
    assert "Đã ghi 6 dòng: thêm mới 5 đoàn viên" in page.content.decode()
    partial = officer_client.get(response.url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'id="tien-do"' in partial.content.decode()
    assert "hx-trigger" not in partial.content.decode()  # finished: polling stops
    members = officer_client.get(reverse("members:list") + f"?don_vi={tree.ubnd.pk}").content.decode()
    assert "Lê Thị Mai" in members


def test_mapping_change_of_header_row_guesses_the_columns_again(officer_client, tree):
    upload(officer_client, tree.ubnd)
    batch = ImportBatch.objects.get()
    url = reverse("imports:mapping", args=[batch.pk])
    response = officer_client.post(url, {"header_row": 1, "header_rows": 1, "full_name": "0", "gender": "1"})
    assert response.status_code in (200, 302)


def test_preview_lists_errors_and_error_file(officer_client, tree):
    upload(officer_client, tree.ubnd, "roster_500_bad.xlsx")
    batch = ImportBatch.objects.get()
    officer_client.post(reverse("imports:mapping", args=[batch.pk]), mapping_post(batch))
    batch.refresh_from_db()
    assert batch.status == "INVALID" and batch.counts["error"] == 3
    html = officer_client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "3 dòng có lỗi" in html and "Ghi vào hệ thống" not in html
    for column in ("Ngày sinh", "Số CCCD", "Tổ công đoàn"):
        assert f"<strong>{column}:</strong>" in html, column
    # committing an invalid roster is refused
    response = officer_client.post(reverse("imports:commit", args=[batch.pk]))
    assert response.url == reverse("imports:preview", args=[batch.pk])
    assert not Person.objects.filter(memberships__card_number="0200000000").exists()

    response = officer_client.get(reverse("imports:error_file", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = sheet_rows(response)
    header = rows[batch.header_row]
    assert header[-2:] == ["Kết quả kiểm tra", "Lỗi, lý do"]
    flagged = [n + 1 for n, r in enumerate(rows) if n > batch.header_row and len(r) > 1 and r[-2] == "Lỗi"]
    assert flagged == [62, 235, 486]
    assert rows[61][-1].startswith("Ngày sinh:")


def test_upload_rejects_bad_files(officer_client, tree):
    url = f"{UPLOAD}?don_vi={tree.ubnd.pk}"
    response = officer_client.post(url, {"file": SimpleUploadedFile("a.csv", b"x,y")})
    assert "Chỉ nhận tệp Excel" in response.content.decode()
    response = officer_client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"not a spreadsheet")})
    assert "Không đọc được tệp" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_template_download_and_the_old_addresses(officer_client, tree):
    response = officer_client.get(reverse("imports:template", args=["doan-vien"]))
    assert response.status_code == 200
    assert sheet_rows(response)[0][:3] == ["Họ và tên (*)", "Giới tính (*)", "Ngày sinh"]
    old = officer_client.get("/doan-vien/nhap/mau.xlsx")
    assert old.status_code == 301 and old["Location"] == reverse("imports:template", args=["doan-vien"])
    old = officer_client.get(f"/doan-vien/nhap/?don_vi={tree.ubnd.pk}")
    assert old.status_code == 301 and old["Location"] == f"{UPLOAD}?don_vi={tree.ubnd.pk}"
    old = officer_client.get("/doan-vien/nhap/")
    assert old.status_code == 301 and old["Location"] == reverse("members:list")
    assert officer_client.get("/doan-vien/nhap/1/").status_code == 404  # the old imports are gone


def test_out_of_scope_import_and_export(client, tree, make_user):
    officer_hbt = make_user(Role.OFFICER, tree.hbt)
    client.force_login(officer_hbt)
    assert client.get(f"{UPLOAD}?don_vi={tree.ubnd.pk}").status_code == 404
    assert upload(client, tree.ubnd).status_code == 404
    assert not ImportBatch.objects.exists()
    assert client.post(reverse("members:roster_export"), {"don_vi": tree.ubnd.pk}).status_code == 404


def test_other_users_import_is_404_and_member_gets_403(client, officer_client, tree, make_user):
    upload(officer_client, tree.ubnd)
    batch = ImportBatch.objects.get()
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    for name in ("status", "mapping", "preview", "error_file"):
        assert client.get(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 404
    client.force_login(make_user())
    assert client.get(f"{UPLOAD}?don_vi={tree.ubnd.pk}").status_code == 403
    assert client.get(reverse("imports:template", args=["doan-vien"])).status_code == 403
    assert client.get(reverse("imports:status", args=[batch.pk])).status_code == 403


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
    batch = ImportBatch.objects.get()
    officer_client.post(reverse("imports:mapping", args=[batch.pk]), mapping_post(batch))
    batch.refresh_from_db()
    assert batch.status == "CHECKED" and batch.counts["new"] == 5, batch.counts
