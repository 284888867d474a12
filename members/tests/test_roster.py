"""Roster import: reading .xlsx/.xls/.ods, header detection, mapping, validation, all-or-nothing commit."""

import datetime as dt
from pathlib import Path

import pytest

from accounts.roles import Role
from core.models import AuditEvent
from members import roster
from members.models import Membership, Person
from members.services import RosterInvalid, roster_import

FILES = Path(__file__).resolve().parent / "files"


def load(name):
    rows = roster.read_rows((FILES / name).read_bytes(), name)
    header = roster.detect_header(rows)
    return rows, header, roster.guess_mapping(rows[header])


@pytest.mark.parametrize("name", ["roster_basic.xlsx", "roster_basic.xls", "roster_basic.ods"])
def test_reads_every_format_finds_header_under_merged_title_and_maps_reordered_columns(name):
    rows, header, mapping = load(name)
    assert header == 3  # spreadsheet row 4, under two merged title rows and a blank row
    assert mapping == {
        "citizen_id": 1,
        "full_name": 2,
        "gender": 3,
        "birth_date": 4,
        "group": 5,
        "job_title": 6,
        "union_role": 7,
        "card_number": 8,
        "phone": 9,
        "union_joined_on": 10,
    }


@pytest.mark.parametrize(
    "text,key",
    [
        ("Họ và tên", "full_name"),
        ("HO TEN", "full_name"),
        ("Số căn cước", "citizen_id"),
        ("CCCD", "citizen_id"),
        ("Tổ CĐ", "group"),
        ("Chức vụ", "job_title"),
        ("Chức vụ công đoàn", "union_role"),
        ("Số thẻ", "card_number"),
        ("Số thẻ đoàn viên", "card_number"),
        ("Điện thoại", "phone"),
        ("E-mail", "email"),
        ("STT", None),
        ("Ngày vào công đoàn", "union_joined_on"),
        ("Giới tính (*)", "gender"),
    ],
)
def test_header_aliases_with_and_without_diacritics(text, key):
    assert roster.field_for_header(text) == key


@pytest.mark.parametrize(
    "value,expected",
    [
        ("17/05/1985", dt.date(1985, 5, 17)),
        ("5-7-1995", dt.date(1995, 7, 5)),
        (31184.0, dt.date(1985, 5, 17)),
        (dt.datetime(1985, 5, 17, 0, 0), dt.date(1985, 5, 17)),
        ("31184", dt.date(1985, 5, 17)),
    ],
)
def test_dates_as_text_excel_serials_and_date_cells(value, expected):
    assert roster.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/1980", "1985", "abc", True])
def test_bad_dates_raise(value):
    with pytest.raises(ValueError):
        roster.parse_date(value)


@pytest.mark.parametrize("name", ["roster_basic.xlsx", "roster_basic.xls", "roster_basic.ods"])
def test_import_creates_and_updates_in_groups(name, tree, officer):
    rows, header, mapping = load(name)
    before = Person.objects.count()
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["rows"] == 6
    assert summary["created"] == 5
    assert Person.objects.count() == before + 5
    mai = Person.objects.get(citizen_id="001190000101")
    assert mai.full_name == "Lê Thị Mai" and mai.gender == "F" and mai.birth_date == dt.date(1990, 2, 3)
    assert mai.union_joined_on == dt.date(2015, 9, 1)  # Excel serial
    membership = mai.memberships.get(ended_on__isnull=True)
    assert (
        membership.unit == tree.t2
        and membership.job_title == "Kế toán"
        and membership.card_number == "0100000101"
    )
    bao = Person.objects.get(citizen_id="001092000102")
    assert bao.birth_date == dt.date(1992, 11, 20) and bao.gender == "M"
    assert bao.memberships.get().unit == tree.t1  # "to cong doan phong noi vu" without diacritics
    trang = Person.objects.get(citizen_id="001195000103")
    assert trang.memberships.get().unit == tree.ubnd  # no group: the CĐCS itself
    assert trang.memberships.get().union_role == "UV_BCH"
    an = Person.objects.get(pk=tree.an.pk)
    assert an.phone == "0912000001" and an.union_joined_on == dt.date(2010, 6, 1)
    current = an.memberships.get(ended_on__isnull=True)
    assert (
        current.union_role == "TO_TRUONG" and current.job_title == "Trưởng phòng" and current.unit == tree.t1
    )
    # one summary event names every person created (no event per row); the history rows carry values
    (event,) = AuditEvent.objects.filter(action="roster.import", unit=tree.ubnd)
    assert event.actor == officer and event.changes["summary"][1]["created"] == 5
    created_with_history = Person.history.filter(
        history_type="+", history_change_reason="Nhập danh sách", history_user=officer
    ).values_list("id", flat=True)
    assert sorted(event.changes["created"]) == sorted(created_with_history)
    assert len(event.changes["created"]) == 5 and mai.pk in event.changes["created"]
    assert event.changes["updated"] == [tree.an.pk]
    assert not AuditEvent.objects.filter(action="person.create").exists()
    assert Person.history.filter(citizen_id="001190000101").count() == 1


def test_reimport_same_file_creates_nothing_and_audits_changes(tree, officer):
    rows, header, mapping = load("roster_basic.xlsx")
    roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    count = Person.objects.count()
    memberships = Membership.objects.count()
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["created"] == 0 and summary["updated"] == 0 and summary["unchanged"] == 6
    assert Person.objects.count() == count and Membership.objects.count() == memberships

    # the same file with a changed phone and a changed name: updated in place, audited
    rows[5][9] = "0909999999"  # Lê Thị Mai, row 6 in the sheet
    rows[5][2] = "Lê Thị Ngọc Mai"
    rows[6][8] = ""  # an empty cell never erases
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["created"] == 0 and summary["updated"] == 1
    assert Person.objects.count() == count
    mai = Person.objects.get(citizen_id="001190000101")
    assert mai.phone == "0909999999" and mai.full_name == "Lê Thị Ngọc Mai"
    event = AuditEvent.objects.get(action="person.update", object_id=str(mai.pk))
    assert event.changes["phone"] == ["0912000101", "0909999999"]
    assert event.changes["middle_name"] == ["Thị", "Thị Ngọc"]
    assert Person.objects.get(citizen_id="001092000102").memberships.get().card_number == "0100000102"


def test_match_by_card_number_when_citizen_id_missing(tree, officer):
    rows, header, mapping = load("roster_basic.xlsx")
    rows[4][1] = None  # the existing member An, matched by card number 0100000001 instead
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["created"] == 5
    assert Person.objects.filter(full_name="Nguyễn Văn An").count() == 1


def test_500_rows_with_3_bad_rows_writes_nothing_and_names_rows_and_columns(tree, officer):
    rows, header, mapping = load("roster_500_bad.xlsx")
    persons, memberships, events = (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    errors = caught.value.plan.errors
    assert [(e.row, e.column) for e in errors] == [(62, "Ngày sinh"), (235, "Số CCCD"), (486, "Tổ CĐ")]
    assert "12" in errors[1].message and "số 0" in errors[1].message
    assert "Phòng Không Có" in errors[2].message
    assert errors[0].as_text().startswith("Dòng 62, cột “Ngày sinh”")
    assert (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == (
        persons,
        memberships,
        events,
    )


def test_duplicates_inside_file_and_bad_values(tree, officer):
    rows, header, mapping = load("roster_basic.xlsx")
    rows[6][1] = rows[5][1]  # same citizen ID as the row above
    rows[7][3] = "Khác"
    rows[8][8] = rows[4][8]  # card number 0100000001 twice
    rows[9][1] = "00119500010"  # 11 digits as text
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    found = {(e.row, e.column): e.message for e in caught.value.plan.errors}
    assert "trùng với dòng 6" in found[(7, "Số CCCD")]
    assert "Nam hoặc Nữ" in found[(8, "Gioi tinh")]
    assert "trùng với dòng 5" in found[(9, "Số thẻ")]
    assert "12 chữ số" in found[(10, "Số CCCD")]


def test_person_of_another_unit_is_reported_not_moved(tree, officer, make_user):
    rows, header, mapping = load("roster_basic.xlsx")
    rows[5][1] = tree.minh_khai.citizen_id  # a member of Công đoàn phường Minh Khai (another branch)
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    (error,) = caught.value.plan.errors
    # outside the officer's scope (Mỹ Đức): neither the person nor the unit is named
    assert error.row == 6 and error.column == "Số CCCD" and "ngoài phạm vi của bạn" in error.message
    assert "Minh Khai" not in error.message and tree.minh_khai.full_name not in error.message
    # an officer of Hà Nội holds both: told whom and where, to arrange the transfer
    with pytest.raises(RosterInvalid) as caught:
        roster_import(
            acting_user=make_user(Role.OFFICER, tree.hn),
            unit=tree.ubnd,
            rows=rows,
            header_row=header,
            mapping=mapping,
        )
    (error,) = caught.value.plan.errors
    assert error.row == 6 and "Minh Khai" in error.message and "chuyển sinh hoạt" in error.message


def test_unit_without_members_refused_and_scope_required(tree, officer, make_user):
    rows, header, mapping = load("roster_basic.xlsx")
    with pytest.raises(roster.RosterFileError):
        roster_import(acting_user=officer, unit=tree.md, rows=rows, header_row=header, mapping=mapping)
    other = make_user(Role.OFFICER, tree.hbt)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        roster_import(acting_user=other, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    assert not Person.objects.filter(citizen_id="001190000101").exists()


def test_no_header_row():
    with pytest.raises(roster.RosterFileError, match="dòng tiêu đề"):
        roster.detect_header([["Danh sách"], [1, 2, 3]])
