"""Issue 14: member rosters as offices lay them out — a two-row merged header (name parts, birth dates
under "Nam" / "Nữ"), the column-number row, section rows giving the union group, totals, zeros and the
signature block; "x" marks under "Giới tính"; "Ông/Bà"; a group cell merged over its rows; a hidden
first sheet. Every person is read whole and right, every noise row is skipped with its reason, nobody
is invented (people counted after the commit); the same files as .xls and .ods."""

from __future__ import annotations

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.test_tabular import _convert, marks_book, two_row_book
from members import roster
from members.models import Membership, Person, RosterImport
from members.services import roster_import

pytestmark = pytest.mark.django_db


def _import(path, tree, officer, sheet=None):
    rows, info = roster.read_table(str(path), path.name, sheet=sheet)
    shaped = roster.shape(rows, info["merged"])
    summary = roster_import(
        acting_user=officer,
        unit=tree.ubnd,
        rows=shaped.rows,
        header_row=shaped.header_row,
        mapping=shaped.mapping,
    )
    return shaped, summary


def _people(names):
    found = {}
    for person in Person.objects.filter(full_name__in=names):
        membership = Membership.objects.get(person=person, ended_on__isnull=True)
        found[person.full_name] = (
            person.family_name,
            person.middle_name,
            person.given_name,
            person.gender,
            person.birth_date and f"{person.birth_date:%d/%m/%Y}",
            membership.unit.code,
        )
    return found


TWO_ROW_PEOPLE = {
    "Nguyễn Văn Lập": ("Nguyễn", "Văn", "Lập", "M", "12/05/1980", "HN-MD-UBND-T01"),
    "Trần Thị Thu Hà": ("Trần", "Thị Thu", "Hà", "F", "03/04/1990", "HN-MD-UBND-T01"),
    "Lê Minh": ("Lê", "", "Minh", "M", "01/01/1975", "HN-MD-UBND-T02"),
}
TWO_ROW_SKIPPED = [
    (7, "dòng mục “Tổ công đoàn Phòng Nội vụ”"),
    (10, "chỉ có số thứ tự"),
    (11, "dòng mục “Tổ công đoàn Phòng Tài chính - Kế hoạch”"),
    (13, "chỉ có số 0"),
    (14, "dòng tổng cộng"),
    (16, "phần ký tên cuối bảng"),
    (17, "nằm sau phần ký tên cuối bảng"),
    (18, "nằm sau phần ký tên cuối bảng"),
    (19, "nằm sau phần ký tên cuối bảng"),
    (22, "nằm sau phần ký tên cuối bảng"),
]


@pytest.fixture
def two_row(tmp_path):
    path = tmp_path / "mau01.xlsx"
    two_row_book(path)
    return path


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_two_row_header_sections_totals_and_signature(kind, two_row, tree, officer, tmp_path):
    path = two_row if kind == "xlsx" else _convert(two_row, kind, tmp_path)
    before = Person.objects.count()
    shaped, summary = _import(path, tree, officer)
    assert shaped.header_row == 3 and shaped.skipped == TWO_ROW_SKIPPED
    assert summary["created"] == 3 and Person.objects.count() == before + 3
    assert _people(TWO_ROW_PEOPLE) == TWO_ROW_PEOPLE
    assert not Person.objects.filter(full_name__in=["Phạm Thị Lan", "Tổng cộng", "Người Lập Biểu"]).exists()
    job = Membership.objects.get(person__full_name="Nguyễn Văn Lập", ended_on__isnull=True).job_title
    assert job == "Chuyên viên"


MARKED = {
    "Nguyễn Văn Khoa": "M",
    "Vũ Thị Bình": "F",
    "Đỗ Văn Cường": "M",
    "Hoàng Thị Dung": "F",
    "Phan Văn Em": "M",
}


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_x_marks_and_a_merged_group_cell_on_the_visible_sheet(kind, tree, officer, tmp_path):
    path = tmp_path / "danh_dau.xlsx"
    marks_book(path)
    path = path if kind == "xlsx" else _convert(path, kind, tmp_path)
    before = Person.objects.count()
    shaped, summary = _import(path, tree, officer)
    assert summary["created"] == 5 and Person.objects.count() == before + 5
    assert not Person.objects.filter(full_name="Không Được Đọc").exists()  # the hidden sheet
    genders = dict(Person.objects.filter(full_name__in=MARKED).values_list("full_name", "gender"))
    assert genders == MARKED
    units = set(
        Membership.objects.filter(person__full_name__in=["Nguyễn Văn Khoa", "Phan Văn Em"]).values_list(
            "unit__code", flat=True
        )
    )
    if kind == "ods":  # calamine gives no merged ranges for .ods: the group is on the first row only
        assert "HN-MD-UBND-T01" in units
    else:
        assert units == {"HN-MD-UBND-T01"}


def test_ong_ba_and_name_parts_side_by_side(tree, officer, tmp_path):
    path = tmp_path / "ong_ba.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.merge_range("A1:F1", "DANH SÁCH CÁN BỘ, ĐOÀN VIÊN")
    ws.write_row("A3", ["STT", "Họ", "Tên đệm", "Tên", "Ông/Bà", "Tổ công đoàn"])
    ws.write_row("A4", [1, "Tôn Nữ", "Thị", "Hà", "Bà", "Phòng Nội vụ"])
    ws.write_row("A5", [2, "Mai", "", "Lập", "Ông", "Tổ CĐ Phòng Nội vụ"])
    ws.write_row("A6", ["", "Cộng", 2, "", "", ""])
    book.close()
    shaped, summary = _import(path, tree, officer)
    assert shaped.skipped == [(6, "dòng tổng cộng")] and summary["created"] == 2
    got = dict(
        Person.objects.filter(full_name__in=["Tôn Nữ Thị Hà", "Mai Lập"]).values_list("full_name", "gender")
    )
    assert got == {"Tôn Nữ Thị Hà": "F", "Mai Lập": "M"}


def test_the_preview_lists_the_skipped_rows_and_the_sheet_choice(officer_client, tree, tmp_path):
    path = tmp_path / "danh_dau.xlsx"
    marks_book(path)
    response = officer_client.post(
        reverse("members:roster_upload") + f"?don_vi={tree.ubnd.pk}",
        {"unit": tree.ubnd.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    record = RosterImport.objects.get()
    assert record.sheet == "DS đoàn viên" and [s["visible"] for s in record.sheets] == [False, True]
    page = officer_client.get(response.url).content.decode()
    assert "Ghép: Giới tính (theo cột Nam/Nữ)" in page
    assert "Trang tính" not in page  # only one visible sheet: nothing to choose

    two = tmp_path / "mau01.xlsx"
    two_row_book(two)
    RosterImport.objects.all().delete()
    response = officer_client.post(
        reverse("members:roster_upload") + f"?don_vi={tree.ubnd.pk}",
        {"unit": tree.ubnd.pk, "file": SimpleUploadedFile(two.name, two.read_bytes())},
    )
    record = RosterImport.objects.get()
    data = {"header_row": record.header_row + 1, **{k: str(v) for k, v in record.mapping.items()}}
    assert officer_client.post(response.url, data | {"action": "check"}).status_code == 302
    page = officer_client.get(reverse("members:roster_preview", args=[record.pk])).content.decode()
    assert "Dữ liệu hợp lệ" in page and "Bỏ qua" in page
    assert "Dòng mục “Tổ công đoàn Phòng Nội vụ”" in page and "Phần ký tên cuối bảng" in page
    assert "Nguyễn Văn Lập" in page
    officer_client.post(reverse("members:roster_commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RosterImport.Status.DONE and record.result["created"] == 3


def test_choosing_another_sheet_rereads_it_in_the_worker(officer_client, tree, tmp_path):
    path = tmp_path / "hai_trang.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, person in (("Tổ Nội vụ", "Ngô Văn Một"), ("Tổ Tài chính", "Đinh Thị Hai")):
        ws = book.add_worksheet(name)
        ws.write_row("A1", ["Họ và tên", "Giới tính"])
        ws.write_row("A2", [person, "Nam" if "Văn" in person else "Nữ"])
    book.close()
    response = officer_client.post(
        reverse("members:roster_upload") + f"?don_vi={tree.ubnd.pk}",
        {"unit": tree.ubnd.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    record = RosterImport.objects.get()
    assert record.sheet == "Tổ Nội vụ"
    page = officer_client.get(response.url).content.decode()
    assert "Trang tính" in page and "Tổ Tài chính" in page and "Ngô Văn Một" in page
    officer_client.post(response.url, {"action": "sheet", "sheet": "Tổ Tài chính"})
    record.refresh_from_db()
    assert record.sheet == "Tổ Tài chính" and record.sheet_pending == ""
    page = officer_client.get(response.url).content.decode()
    assert "Đinh Thị Hai" in page and "Ngô Văn Một" not in page
    refused = officer_client.post(response.url, {"action": "sheet", "sheet": "Không có"}, follow=True)
    assert "Tệp không có trang tính “Không có” để đọc." in refused.content.decode()
