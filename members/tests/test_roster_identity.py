"""Issue 14: who a roster row is when the file has no citizen IDs. A row is matched by citizen ID, else
by card number, else by folded full name and birth date among the people with an open membership in
the target unit's subtree; the same name with only a birth year, or without a birth date, is a
possible duplicate that is not written unless the officer confirms it. Re-importing a file without
citizen IDs creates nobody twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from accounts.roles import Role
from conftest import add_person
from core.models import AuditEvent
from members import roster
from members.models import Membership, Person
from members.services import RosterInvalid, roster_import

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Hữu", "Ngọc", "Quang"]
GIVEN = ["Hà", "Hải", "Hạnh", "Hiền", "Hùng", "Hương", "Khánh", "Lâm", "Linh", "Long", "Nga", "Phúc", "Quý"]
GROUPS = ["Tổ CĐ Phòng Nội vụ", "Phòng Tài chính - Kế hoạch"]


def people(n: int = 83) -> list[dict]:
    """n people of a union's list: distinct names, 1 in 10 without a birth date."""
    out = []
    for i in range(n):
        name = f"{FAMILY[i % 11]} {MIDDLE[i % 8]} {GIVEN[i % 13]}"
        birth = None if i % 10 == 9 else dt.date(1965 + i % 35, 1 + i % 12, 1 + (i * 7) % 28)
        out.append(
            {
                "name": name,
                "gender": "Nữ" if i % 2 else "Nam",
                "birth": birth,
                "group": GROUPS[i % 2],
                "job": "Chuyên viên",
                "phone": f"09{i:08d}",
                "cid": f"0011{85 + i % 10:02d}{300000 + i:06d}",
            }
        )
    assert len({p["name"] for p in out}) == n
    return out


def office_xlsx(members: list[dict], *, with_ids: bool, birth_header: str = "Ngày sinh") -> bytes:
    """The sheet as a union office keeps it: title rows, "STT", dates typed as text dd/mm/yyyy
    (a few as real date cells), the citizen ID column only when the office has the numbers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    date_cell = book.add_format({"num_format": "dd/mm/yyyy"})
    header = ["STT", "Họ và tên", "Giới tính", birth_header, "Tổ công đoàn", "Chức vụ", "Số điện thoại"]
    if with_ids:
        header.append("Số CCCD")
    sheet.merge_range(0, 0, 0, len(header) - 1, "DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN UBND HUYỆN MỸ ĐỨC", bold)
    sheet.write_row(2, 0, header, bold)
    for i, p in enumerate(members):
        r = 3 + i
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, p["name"])
        sheet.write_string(r, 2, p["gender"])
        birth = p["birth"]
        if isinstance(birth, int):
            sheet.write_number(r, 3, birth)
        elif birth is not None and i % 4 == 0:
            sheet.write_datetime(r, 3, dt.datetime.combine(birth, dt.time()), date_cell)
        elif birth is not None:
            sheet.write_string(r, 3, birth.strftime("%d/%m/%Y"))
        sheet.write_string(r, 4, p["group"])
        sheet.write_string(r, 5, p["job"])
        sheet.write_string(r, 6, p["phone"])
        if with_ids:
            sheet.write_string(r, 7, p["cid"])
    book.close()
    return buffer.getvalue()


def read(data: bytes):
    rows = roster.read_rows(data, "danh_sach.xlsx")
    header = roster.detect_header(rows)
    return rows, header, roster.guess_mapping(rows[header])


def run_import(officer, unit, file):
    rows, header, mapping = file
    return roster_import(acting_user=officer, unit=unit, rows=rows, header_row=header, mapping=mapping)


def check(unit, file, **options):
    rows, header, mapping = file
    return roster.validate(rows=rows, header_row=header, mapping=mapping, unit=unit, **options)


def counts():
    return Person.objects.count(), Membership.objects.count()


# ----------------------------------------------------------------------------- re-import, twice
def test_reimporting_83_people_without_citizen_ids_creates_nobody_twice(tree, officer):
    members = people()
    file = read(office_xlsx(members, with_ids=False))
    assert "citizen_id" not in file[2]
    before = counts()
    first = run_import(officer, tree.ubnd, file)
    assert first["created"] == 83
    after_first = counts()
    assert after_first == (before[0] + 83, before[1] + 83)

    plan = check(tree.ubnd, file, acting_user=officer)
    assert not plan.errors
    assert plan.match_count == 75 and plan.new_count == 0  # matched by name and birth date
    no_birth = [3 + i + 1 for i, p in enumerate(members) if p["birth"] is None]
    assert [row for row, _ in plan.duplicates] == no_birth  # same name, no birth date: not written
    assert "không có ngày sinh" in plan.duplicates[0][1] and "xác nhận" in plan.duplicates[0][1]

    second = run_import(officer, tree.ubnd, file)
    assert second["created"] == 0 and second["updated"] == 0 and second["unchanged"] == 75
    assert counts() == after_first
    # a third time, with a phone changed: the person is updated in place, audited
    file[0][3 + 4][6] = "0988888888"
    third = run_import(officer, tree.ubnd, file)
    assert third["created"] == 0 and third["updated"] == 1 and counts() == after_first
    changed = Person.objects.get(phone="0988888888")
    assert changed.full_name == members[4]["name"]
    assert AuditEvent.objects.filter(action="person.update", object_id=str(changed.pk)).count() == 1


def test_reimporting_83_people_with_citizen_ids_creates_nobody_twice(tree, officer):
    file = read(office_xlsx(people(), with_ids=True))
    before = counts()
    assert run_import(officer, tree.ubnd, file)["created"] == 83
    second = run_import(officer, tree.ubnd, file)
    assert second["created"] == 0 and second["unchanged"] == 83
    assert counts() == (before[0] + 83, before[1] + 83)


def test_a_file_without_ids_after_one_with_ids_matches_the_same_people(tree, officer):
    members = people(20)
    run_import(officer, tree.ubnd, read(office_xlsx(members, with_ids=True)))
    before = counts()
    summary = run_import(officer, tree.ubnd, read(office_xlsx(members, with_ids=False)))
    assert summary["created"] == 0 and counts() == before


def test_reimporting_a_nam_sinh_file_creates_nobody_twice(tree, officer):
    members = [{**p, "birth": 1970 + i} for i, p in enumerate(people(12))]
    file = read(office_xlsx(members, with_ids=False, birth_header="Năm sinh"))
    assert run_import(officer, tree.ubnd, file)["created"] == 12
    before = counts()
    plan = check(tree.ubnd, file, acting_user=officer)
    assert not plan.errors and len(plan.duplicates) == 12 and not plan.records
    assert "chỉ có năm sinh 1970" in plan.duplicates[0][1]
    assert run_import(officer, tree.ubnd, file)["created"] == 0
    assert counts() == before


# ------------------------------------------------------------------------------ the name match
def one_row_file(name, birth, *, group="", cid=None, card=None, birth_header="Ngày sinh"):
    header = ["Họ và tên", "Giới tính", birth_header, "Tổ công đoàn"]
    row = [name, "Nam", birth, group]
    if cid is not None:
        header.append("Số CCCD")
        row.append(cid)
    if card is not None:
        header.append("Số thẻ đoàn viên")
        row.append(card)
    rows = [header, row]
    return rows, 0, roster.guess_mapping(header)


def test_a_row_with_the_same_name_and_birth_date_in_the_subtree_is_that_person(tree, officer):
    file = one_row_file("NGUYEN van an", "17/05/1985", group="Phòng Tài chính - Kế hoạch")
    plan = check(tree.ubnd, file, acting_user=officer)
    (record,) = plan.records
    assert record.existing.pk == tree.an.pk and not plan.duplicates
    before = counts()
    summary = run_import(officer, tree.ubnd, file)
    assert summary["created"] == 0 and summary["transferred"] == 1  # named in another group
    assert Person.objects.count() == before[0]
    assert tree.an.memberships.get(ended_on__isnull=True).unit == tree.t2


def test_a_row_whose_citizen_id_differs_from_the_namesakes_is_someone_else(tree, officer):
    file = one_row_file("Nguyễn Văn An", "17/05/1985", cid="001085099999")
    plan = check(tree.ubnd, file, acting_user=officer)
    (record,) = plan.records
    assert record.existing is None and not plan.duplicates
    # without a citizen ID on the row, the namesake with one is still the row's person
    plan = check(tree.ubnd, one_row_file("Nguyễn Văn An", "17/05/1985"), acting_user=officer)
    assert plan.records[0].existing.pk == tree.an.pk


def test_a_namesake_with_another_birth_date_is_someone_else(tree, officer):
    plan = check(tree.ubnd, one_row_file("Nguyễn Văn An", "18/05/1985"), acting_user=officer)
    (record,) = plan.records
    assert record.existing is None and not plan.duplicates


def test_a_namesake_outside_the_subtree_is_not_matched(tree, officer):
    """Lê Thị Ánh, 17/05/1985, is a member of Minh Khai (another branch): in Mỹ Đức it is a new person."""
    plan = check(tree.ubnd, one_row_file("Lê Thị Ánh", "17/05/1985"), acting_user=officer)
    (record,) = plan.records
    assert record.existing is None and not plan.duplicates and not plan.errors


@pytest.mark.parametrize(
    "birth,told",
    [(None, "dòng này không có ngày sinh"), ("1985", None)],
)
def test_same_name_without_a_full_date_is_a_possible_duplicate_written_only_when_confirmed(
    tree, officer, birth, told
):
    header = "Năm sinh" if birth else "Ngày sinh"
    file = one_row_file("Nguyễn Văn An", birth, birth_header=header)
    plan = check(tree.ubnd, file, acting_user=officer)
    assert not plan.errors and not plan.records
    ((row, message),) = plan.duplicates
    assert row == 2 and "Nguyễn Văn An" in message and "Tổ công đoàn Phòng Nội vụ" in message
    assert told is None or told in message
    if birth:
        assert "chỉ có năm sinh 1985" in message
    before = counts()
    assert run_import(officer, tree.ubnd, file)["created"] == 0 and counts() == before

    confirmed = check(tree.ubnd, file, acting_user=officer, confirm_duplicates={2})
    (record,) = confirmed.records
    assert record.existing is None and not confirmed.duplicates


def test_a_person_recorded_without_a_birth_date_and_a_row_with_one_are_possible_duplicates(tree, officer):
    person = add_person(tree.t1, "Phan Thị Nhung")
    Person.objects.filter(pk=person.pk).update(birth_date=None)
    plan = check(tree.ubnd, one_row_file("Phan Thị Nhung", "02/03/1990"), acting_user=officer)
    ((row, message),) = plan.duplicates
    assert row == 2 and "chưa có ngày sinh" in message


def test_a_person_recorded_from_a_year_only_column_and_a_full_date_of_that_year(tree, officer):
    person = add_person(tree.t1, "Phan Thị Nhung")
    Person.objects.filter(pk=person.pk).update(birth_date=dt.date(1990, 1, 1))
    plan = check(tree.ubnd, one_row_file("Phan Thị Nhung", "02/03/1990"), acting_user=officer)
    assert [row for row, _ in plan.duplicates] == [2]
    plan = check(tree.ubnd, one_row_file("Phan Thị Nhung", "02/03/1991"), acting_user=officer)
    assert not plan.duplicates and plan.records[0].existing is None


def test_two_namesakes_with_the_same_birth_date_are_not_guessed(tree, officer):
    add_person(tree.t2, "Nguyễn Văn An", gender="M")  # a second Nguyễn Văn An, 17/05/1985
    plan = check(tree.ubnd, one_row_file("Nguyễn Văn An", "17/05/1985"), acting_user=officer)
    assert not plan.records and [row for row, _ in plan.duplicates] == [2]


def test_the_same_person_twice_in_the_file_is_a_possible_duplicate(tree, officer):
    header = ["Họ và tên", "Giới tính", "Ngày sinh"]
    rows = [header, ["Phan Văn Tú", "Nam", "05/06/1984"], ["PHAN VĂN TÚ", "Nam", "05/06/1984"]]
    file = (rows, 0, roster.guess_mapping(header))
    plan = check(tree.ubnd, file, acting_user=officer)
    ((row, message),) = plan.duplicates
    assert row == 3 and "dòng 2" in message
    assert len(plan.records) == 1
    assert run_import(officer, tree.ubnd, file)["created"] == 1


def test_a_name_match_outside_the_importers_scope_is_an_error_naming_no_one(tree, make_user):
    """An officer of the CĐCS alone (not its groups): Nguyễn Văn An of Tổ Phòng Nội vụ is outside."""
    unit_only = make_user(Role.OFFICER, tree.ubnd, include_subtree=False)
    file = one_row_file("Nguyễn Văn An", "17/05/1985")
    with pytest.raises(RosterInvalid) as caught:
        run_import(unit_only, tree.ubnd, file)
    (error,) = caught.value.plan.errors
    assert error.row == 2 and error.column == "Họ và tên"
    assert "ngoài phạm vi của bạn" in error.message
    assert "Phòng Nội vụ" not in error.message and tree.an.full_name not in error.message


def test_a_possible_duplicate_outside_the_scope_names_no_one(tree, make_user):
    unit_only = make_user(Role.OFFICER, tree.ubnd, include_subtree=False)
    plan = check(tree.ubnd, one_row_file("Nguyễn Văn An", None), acting_user=unit_only)
    ((_, message),) = plan.duplicates
    assert "Phòng Nội vụ" not in message and "17/05/1985" not in message
