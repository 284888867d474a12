"""The member roster as a kind of the one import framework ("doan-vien", `members/importers.py`): through
the framework's screens (upload → columns → preview → background commit), its command
(`import_members --dry-run --json`) and its template. Files are laid out as union offices keep them."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from imports.models import ImportBatch
from members import roster
from members.models import Membership, Person

from .test_roster_identity import office_xlsx, people

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "files"
KIND = "doan-vien"


def upload(client, unit, name, data) -> ImportBatch:
    response = client.post(
        f"{reverse('imports:upload', args=[KIND])}?don_vi={unit.pk}",
        {"file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:800]
    return ImportBatch.objects.latest("pk")


def check(client, batch, **extra) -> ImportBatch:
    """ "Kiểm tra dữ liệu" on the mapping page with the columns the framework found."""
    data = {"header_row": batch.header_row + 1, "header_rows": batch.header_rows}
    data |= {key: str(index) for key, index in batch.mapping.items()} | extra
    response = client.post(reverse("imports:mapping", args=[batch.pk]), data)
    assert response.status_code == 302, response.content.decode()[:800]
    batch.refresh_from_db()
    return batch


def commit(client, batch) -> ImportBatch:
    response = client.post(reverse("imports:commit", args=[batch.pk]))
    assert response["Location"] == reverse("imports:status", args=[batch.pk])
    batch.refresh_from_db()
    return batch


def preview(client, batch, outcome="") -> str:
    url = reverse("imports:preview", args=[batch.pk]) + (f"?loai={outcome}" if outcome else "")
    return client.get(url).content.decode()


def counts():
    return Person.objects.count(), Membership.objects.count()


def test_the_83_people_without_citizen_ids_imported_twice_create_nobody_twice(officer_client, tree):
    members = people()
    data = office_xlsx(members, with_ids=False)
    before = counts()
    batch = check(officer_client, upload(officer_client, tree.ubnd, "danh_sach.xlsx", data))
    assert batch.status == "CHECKED" and batch.counts["new"] == 83, batch.counts
    assert "citizen_id" not in batch.mapping
    done = commit(officer_client, batch)
    assert done.status == "DONE", done.message
    assert done.result["created"] == 83 and counts() == (before[0] + 83, before[1] + 83)
    page = officer_client.get(reverse("imports:status", args=[done.pk])).content.decode()
    assert "Đã ghi 83 dòng: thêm mới 83 đoàn viên" in page and "Xem danh sách đoàn viên" in page

    again = check(officer_client, upload(officer_client, tree.ubnd, "danh_sach.xlsx", data))
    no_birth = [4 + i for i, p in enumerate(members) if p["birth"] is None]
    assert again.counts == {"new": 0, "update": 75, "duplicate": len(no_birth), "skipped": 0, "error": 0}
    shown = preview(officer_client, again, "duplicate")
    assert "không có ngày sinh" in shown and "có thể trùng" in shown
    updates = preview(officer_client, again, "update")
    assert f"{members[0]['name']} ({members[0]['birth'].year}) — Tổ công đoàn Phòng Nội vụ" in updates
    assert "Đã có, không thay đổi." in updates
    done = commit(officer_client, again)
    assert done.status == "DONE", done.message
    assert done.result["created"] == 0 and done.result["unchanged"] == 75
    assert done.result["skipped"] == len(no_birth)
    assert counts() == (before[0] + 83, before[1] + 83)


def namesake_file() -> bytes:
    """Two rows: Nguyễn Văn An again with only his birth year (a possible duplicate of tree.an), and a
    new person."""
    book_data = io.BytesIO()
    book = xlsxwriter.Workbook(book_data, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.merge_range(0, 0, 0, 3, "DANH SÁCH ĐOÀN VIÊN BỔ SUNG")
    sheet.write_row(2, 0, ["STT", "Họ và tên", "Giới tính", "Năm sinh"])
    sheet.write_row(3, 0, [1, "Nguyễn Văn An", "Nam", 1985])
    sheet.write_row(4, 0, [2, "Hà Thị Mới", "Nữ", 1999])
    book.close()
    return book_data.getvalue()


def test_a_possible_duplicate_is_skipped_unless_confirmed_on_the_preview(officer_client, tree):
    batch = check(officer_client, upload(officer_client, tree.ubnd, "bo_sung.xlsx", namesake_file()))
    assert batch.counts["duplicate"] == 1 and batch.counts["new"] == 1, batch.counts
    shown = preview(officer_client, batch, "duplicate")
    assert "Dòng 4: “Nguyễn Văn An” (dòng này chỉ có năm sinh 1985) có thể trùng" in shown

    officer_client.post(reverse("imports:confirm", args=[batch.pk]), {"xac_nhan": ["4"]})
    batch.refresh_from_db()
    assert batch.options["confirm_duplicates"] == [4]
    assert batch.counts["duplicate"] == 0 and batch.counts["new"] == 2, batch.counts
    before = Person.objects.filter(full_name="Nguyễn Văn An").count()
    done = commit(officer_client, batch)
    assert done.status == "DONE" and done.result["created"] == 2, done.message
    assert Person.objects.filter(full_name="Nguyễn Văn An").count() == before + 1
    assert Person.objects.get(full_name="Hà Thị Mới").birth_date == dt.date(1999, 1, 1)


def test_an_unconfirmed_duplicate_is_not_written(officer_client, tree):
    batch = check(officer_client, upload(officer_client, tree.ubnd, "bo_sung.xlsx", namesake_file()))
    before = Person.objects.filter(full_name="Nguyễn Văn An").count()
    done = commit(officer_client, batch)
    assert done.result["created"] == 1 and done.result["skipped"] == 1
    assert "bỏ qua 1 dòng có thể trùng" in done.result["message"]
    assert Person.objects.filter(full_name="Nguyễn Văn An").count() == before


def test_the_command_prints_parsed_rows_and_the_skipped_noise_rows(officer, tree, tmp_path, capsys):
    from core.tests.test_tabular import two_row_book

    path = tmp_path / "mau01.xlsx"
    two_row_book(path)
    before = counts()
    call_command("import_members", "HN-MD-UBND", str(path), "--user", officer.username, "--dry-run", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["kind"] == KIND and payload["counts"]["new"] == 3 and payload["counts"]["error"] == 0
    rows = {r["number"]: r for r in payload["rows"]}
    lap = rows[8]["values"]
    assert lap["full_name"] == "Nguyễn Văn Lập" and lap["gender"] == "M"
    assert lap["birth_date"] == "1980-05-12" and lap["citizen_id"] == "001080012345"
    assert lap["group"] == "Tổ công đoàn Phòng Nội vụ" and lap["job_title"] == "Chuyên viên"
    assert rows[12]["values"]["group"] == "Tổ công đoàn Phòng Tài chính - Kế hoạch"  # from the section row
    assert rows[7]["outcome"] == "skipped" and "Tổ công đoàn Phòng Nội vụ" in rows[7]["reason"]
    assert rows[14]["outcome"] == "skipped" and rows[14]["reason"] == "Dòng tổng cộng."
    assert rows[16]["reason"] == "Phần ký tên cuối bảng."
    assert counts() == before  # a dry run writes nothing
    call_command("import_members", "HN-MD-UBND", str(path), "--user", officer.username)
    assert counts() == (before[0] + 3, before[1] + 3)
    assert not Person.objects.filter(full_name__in=["Phạm Thị Lan", "Tổng cộng"]).exists()


def test_another_branchs_officer_gets_404_on_the_batch(client, officer_client, tree, make_user):
    batch = upload(officer_client, tree.ubnd, "roster_basic.xlsx", (FILES / "roster_basic.xlsx").read_bytes())
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    for name in ("imports:status", "imports:mapping", "imports:preview", "imports:error_file"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404, name
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk]), {"xac_nhan": ["5"]}).status_code == 404
    upload_url = f"{reverse('imports:upload', args=[KIND])}?don_vi={tree.ubnd.pk}"
    assert client.get(upload_url).status_code == 404
    client.force_login(make_user(Role.MEMBER, tree.ubnd))
    assert client.get(upload_url).status_code == 403
    assert client.get(reverse("imports:template", args=[KIND])).status_code == 403
    assert client.get(reverse("imports:status", args=[batch.pk])).status_code == 403


def test_the_template_names_the_roster_columns_and_reads_back(officer_client):
    response = officer_client.get(reverse("imports:template", args=[KIND]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    sheet = book.get_sheet_by_index(0).to_python()
    labels = [f.label + (" (*)" if f.required else "") for f in roster.FIELDS]
    assert sheet[0][: len(labels)] == labels and sheet[0][len(labels)] == "Năm sinh"
    assert sheet[2][0] == "Nguyễn Thị Thu Hà"
    notes = " ".join(str(r[0]) for r in book.get_sheet_by_name("Hướng dẫn").to_python())
    assert "12 chữ số" in notes and "Chức vụ công đoàn" in notes
    # the template as filled in by an office reads back through the framework: the sample row is a person
    batch_rows = roster.read_rows(response.content, "mau.xlsx")
    header = roster.detect_header(batch_rows)
    assert set(roster.guess_mapping(batch_rows[header])) == {f.key for f in roster.FIELDS}


def test_a_unit_holding_no_members_is_refused_with_the_reason(officer_client, tree):
    data = (FILES / "roster_basic.xlsx").read_bytes()
    response = officer_client.post(
        f"{reverse('imports:upload', args=[KIND])}?don_vi={tree.md.pk}",
        {"file": SimpleUploadedFile("roster_basic.xlsx", data)},
    )
    assert response.status_code == 200
    assert "không có đoàn viên sinh hoạt trực tiếp" in response.content.decode()
    assert not ImportBatch.objects.exists()
    index = officer_client.get(f"{reverse('imports:index')}?don_vi={tree.ubnd.pk}").content.decode()
    assert "Danh sách đoàn viên" in index and reverse("imports:upload", args=[KIND]) in index


def test_an_update_says_what_changes(officer_client, tree):
    # the tree holds Nguyễn Văn An, born 17/05/1985, in Tổ công đoàn Phòng Nội vụ
    book_data = io.BytesIO()
    book = xlsxwriter.Workbook(book_data, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Họ và tên", "Giới tính", "Ngày sinh", "Tổ công đoàn", "Điện thoại"])
    sheet.write_row(1, 0, ["Nguyễn Văn An", "Nam", "17/05/1985", "Phòng Tài chính - Kế hoạch", "0912000111"])
    book.close()
    batch = check(officer_client, upload(officer_client, tree.ubnd, "sua.xlsx", book_data.getvalue()))
    assert batch.counts["update"] == 1, batch.counts
    shown = preview(officer_client, batch, "update")
    assert "sửa Điện thoại" in shown and "chuyển từ “Tổ công đoàn Phòng Nội vụ” sang" in shown
    done = commit(officer_client, batch)
    assert done.result["updated"] == 1 and done.result["transferred"] == 1
    assert Person.objects.get(pk=tree.an.pk).phone == "0912000111"


def missing_group_file() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Tổ công đoàn"])
    sheet.write_row(1, 0, [1, "Lưu Văn Kiên", "Nam", "12/05/1988", "Tổ CĐ Phòng Kinh tế"])
    sheet.write_row(2, 0, [2, "Đỗ Thị Lan", "Nữ", "03/09/1992", "Tổ CĐ Phòng Kinh tế"])
    sheet.write_row(3, 0, [3, "Hà Văn Minh", "Nam", "21/01/1979", "Tổ công đoàn Phòng Nội vụ"])
    book.close()
    return buffer.getvalue()


def test_a_group_the_tree_lacks_is_offered_and_created_on_writing(officer_client, tree):
    from organizations.models import OrgUnit

    batch = check(officer_client, upload(officer_client, tree.ubnd, "to-moi.xlsx", missing_group_file()))
    assert batch.status == "INVALID" and batch.counts["error"] == 2 and batch.counts["new"] == 1
    page = preview(officer_client, batch, "error")
    assert "Không có tổ công đoàn “Tổ CĐ Phòng Kinh tế”" in page
    assert "Tạo tổ công đoàn còn thiếu" in page  # the error says how
    batch = check(officer_client, batch, flag_create_groups="on")
    assert batch.options["create_groups"] is True
    assert batch.status == "CHECKED" and batch.counts["new"] == 3, batch.counts
    assert "Tổ công đoàn Phòng Kinh tế (tổ mới)" in preview(officer_client, batch, "new")
    before = counts()
    batch = commit(officer_client, batch)
    assert batch.status == "DONE", batch.message
    group = OrgUnit.objects.get(name="Tổ công đoàn Phòng Kinh tế")
    assert group.get_parent() == tree.ubnd and group.unit_type.code == "TO_CD"
    assert set(Membership.objects.filter(unit=group).values_list("person__full_name", flat=True)) == {
        "Lưu Văn Kiên",
        "Đỗ Thị Lan",
    }
    assert counts() == (before[0] + 3, before[1] + 3)
    assert "tạo mới “Tổ công đoàn Phòng Kinh tế”" in batch.result["message"]
    # the same file again: the group now exists, nobody doubles
    again = check(officer_client, upload(officer_client, tree.ubnd, "to-moi.xlsx", missing_group_file()))
    assert again.counts["error"] == 0 and again.counts["new"] == 0
    assert OrgUnit.objects.filter(name="Tổ công đoàn Phòng Kinh tế").count() == 1


def test_names_in_capitals_are_title_cased_when_the_officer_asks(officer_client, tree):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Tổ công đoàn"])
    sheet.write_row(1, 0, [1, "NGUYỄN THỊ THU HÀ", "Nữ", "15/03/1990", "Tổ công đoàn Phòng Nội vụ"])
    book.close()
    batch = check(
        officer_client, upload(officer_client, tree.ubnd, "hoa.xlsx", buffer.getvalue()), title_case="on"
    )
    assert batch.options["title_case"] is True and batch.status == "CHECKED"
    assert commit(officer_client, batch).status == "DONE"
    assert Person.objects.filter(full_name="Nguyễn Thị Thu Hà").exists()
