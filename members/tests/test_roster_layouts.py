"""Rosters as offices lay them out (issue 14, first part): headers carrying column numbers, required
marks, hints in parentheses and line breaks, and the synonyms offices use, are recognised; a group
written "Tổ CĐ Phòng Nội vụ" finds the group "Tổ công đoàn Phòng Nội vụ" and "Phòng Nội vụ" alike."""

import pytest

from members import roster
from members.roster.fields import field_for_header
from members.roster.reader import guess_mapping
from members.roster.validate import group_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên (1)", "full_name"),
        ("Họ tên đoàn viên", "full_name"),
        ("Giới tính (*)", "gender"),
        ("Số CMND/CCCD", "citizen_id"),
        ("Số CCCD (12 số)", "citizen_id"),
        ("cmnd", "citizen_id"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Ngày kết nạp CĐ", "union_joined_on"),
        ("Ngày vào\ncông đoàn", "union_joined_on"),
        ("Chức vụ chính quyền", "job_title"),
        ("Điện thoại liên hệ", "phone"),
        ("Khối (Tổ) công tác", "group"),
    ],
)
def test_headers_as_offices_write_them(header, field):
    assert field_for_header(header) == field


def test_a_numbered_starred_header_row_maps_every_column():
    header = ["STT (1)", "Họ và tên (2)", "Giới tính (*) (3)", "Số CMND/CCCD (4)", "Khối (Tổ) công tác (5)"]
    assert guess_mapping(header) == {"full_name": 1, "gender": 2, "citizen_id": 3, "group": 4}


def test_group_key_drops_the_word_for_a_group():
    assert group_key("to cd phong kinh te") == "phong kinh te"
    assert group_key("cong doan bo phan ke toan") == "ke toan"
    assert group_key("phong noi vu") == "phong noi vu"
    assert group_key("to cd ") == "to cd "  # nothing left: kept as written


@pytest.mark.parametrize("written", ["Tổ CĐ Phòng Nội vụ", "Phòng Nội vụ", "Tổ công đoàn Phòng Nội vụ"])
def test_a_group_written_with_or_without_its_prefix_is_found(tree, written):
    rows = [["Họ và tên", "Giới tính", "Tổ công đoàn"], ["Vũ Thị Mai", "Nữ", written]]
    plan = roster.validate(
        rows=rows, header_row=0, mapping={"full_name": 0, "gender": 1, "group": 2}, unit=tree.ubnd
    )
    assert plan.errors == []
    (record,) = plan.records
    assert record.unit == tree.t1
