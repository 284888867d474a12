"""Issue 14: cell values offices corrupt, through the roster check and import — a year in a date
column, day/month order per column, citizen IDs turned into numbers, names typed in TCVN3 / VNI or in
capitals.

The sheets are written the way offices lay them out (a title, a blank row, a header with "STT"),
with number cells where Excel makes numbers, and read back through the real reader."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from core.text import person_sort_key
from members import roster
from members.models import Person
from members.services import RosterInvalid, roster_import

TITLE_ROWS = 3  # title, subtitle, blank: the header is spreadsheet row 4, data from row 5


def office_sheet(header: list[str], rows: list[list], formats: dict[int, str] | None = None) -> bytes:
    """An .xlsx as an office sends it; ints and floats are written as number cells (with the column's
    number format, e.g. "0.00E+00"), dates as date cells, the rest as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True})
    sheet.merge_range(0, 0, 0, len(header), "CÔNG ĐOÀN ỦY BAN NHÂN DÂN HUYỆN MỸ ĐỨC", bold)
    sheet.merge_range(1, 0, 1, len(header), "DANH SÁCH ĐOÀN VIÊN NĂM 2025", bold)
    sheet.write_row(TITLE_ROWS, 0, ["STT", *header], bold)
    number_formats = {col: book.add_format({"num_format": fmt}) for col, fmt in (formats or {}).items()}
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows, start=TITLE_ROWS + 1):
        sheet.write_number(r, 0, r - TITLE_ROWS)
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value, number_formats.get(c - 1))
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def check(header, rows, unit, formats=None, **options):
    data = roster.read_rows(office_sheet(header, rows, formats), "danh_sach.xlsx")
    header_row = roster.detect_header(data)
    assert header_row == TITLE_ROWS
    mapping = roster.guess_mapping(data[header_row])
    plan = roster.validate(rows=data, header_row=header_row, mapping=mapping, unit=unit, **options)
    return plan, (data, header_row, mapping)


def commit(officer, unit, read, **options):
    data, header_row, mapping = read
    return roster_import(
        acting_user=officer, unit=unit, rows=data, header_row=header_row, mapping=mapping, **options
    )


def errors_of(plan):
    return {(e.row, e.column): e.message for e in plan.errors}


def notices_of(plan):
    return {(n.row, n.column): n.message for n in plan.notices}


# ---------------------------------------------------------------------------------- year-only dates
def test_a_year_typed_as_a_number_in_a_birth_date_column_is_an_error_asking_for_the_full_date(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [["Lê Thị Mai", "Nữ", "03/02/1990"], ["Ngô Văn Hải", "Nam", 1980]],
        tree.ubnd,
    )
    (error,) = plan.errors
    assert (error.row, error.column) == (6, "Ngày sinh")
    assert "chỉ có năm (1980)" in error.message and "ngày/tháng/năm" in error.message
    assert "Năm sinh" in error.message  # how to keep years only
    assert all(r.person["birth_date"] != dt.date(1905, 6, 2) for r in plan.records)


def test_a_year_in_the_union_join_column_is_an_error(tree):
    plan, _ = check(["Họ và tên", "Giới tính", "Ngày vào công đoàn"], [["Lê Thị Mai", "Nữ", 2010]], tree.ubnd)
    (error,) = plan.errors
    assert (error.row, error.column) == (5, "Ngày vào công đoàn") and "chỉ có năm (2010)" in error.message


def test_a_nam_sinh_column_stores_1_january_and_the_preview_says_only_the_year_is_known(tree, officer):
    plan, read = check(
        ["Họ và tên", "Giới tính", "Năm sinh"],
        [["Lê Thị Mai", "Nữ", 1990], ["Ngô Văn Hải", "Nam", "1985"], ["Phan Văn Tú", "Nam", "17/05/1984"]],
        tree.ubnd,
    )
    assert not plan.errors
    mai, hai, tu = plan.records
    assert mai.person["birth_date"] == dt.date(1990, 1, 1) and mai.birth_year_only
    assert hai.person["birth_date"] == dt.date(1985, 1, 1) and hai.birth_year_only
    assert tu.person["birth_date"] == dt.date(1984, 5, 17) and not tu.birth_year_only  # a full date kept
    (notice,) = plan.notices
    assert notice.row is None and notice.column == "Năm sinh"
    assert "chỉ có năm sinh ở 2 dòng (dòng 5, 6)" in notice.message and "01/01" in notice.message
    assert notice.as_text().startswith("Cột “Năm sinh”: chỉ có năm sinh")
    commit(officer, tree.ubnd, read)
    assert Person.objects.get(full_name="Lê Thị Mai").birth_date == dt.date(1990, 1, 1)


# ------------------------------------------------------------------------------- day/month order
def test_us_dates_are_read_month_first_when_the_column_shows_it(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [["Lê Thị Mai", "Nữ", "08/10/1959"], ["Ngô Văn Hải", "Nam", "10/20/1969"]],
        tree.ubnd,
    )
    assert not plan.errors
    assert [r.person["birth_date"] for r in plan.records] == [dt.date(1959, 8, 10), dt.date(1969, 10, 20)]
    (notice,) = plan.notices
    assert notice.column == "Ngày sinh" and "tháng/ngày/năm" in notice.message


def test_a_column_without_evidence_is_read_day_first(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [["Lê Thị Mai", "Nữ", "08/10/1959"], ["Ngô Văn Hải", "Nam", "03/04/1969"]],
        tree.ubnd,
    )
    assert not plan.errors and not plan.notices
    assert [r.person["birth_date"] for r in plan.records] == [dt.date(1959, 10, 8), dt.date(1969, 4, 3)]


def test_a_column_with_evidence_both_ways_names_the_rows_against_the_majority(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [
            ["Lê Thị Mai", "Nữ", "20/10/1959"],
            ["Ngô Văn Hải", "Nam", "10/20/1969"],  # row 6: month first
            ["Phan Văn Tú", "Nam", "25/12/1970"],
            ["Đỗ Thị Lan", "Nữ", "08/10/1975"],  # ambiguous: read as the column, day first
        ],
        tree.ubnd,
    )
    (error,) = plan.errors
    assert (error.row, error.column) == (6, "Ngày sinh")
    assert "10/20/1969" in error.message and "tháng/ngày/năm" in error.message
    assert plan.records[3].person["birth_date"] == dt.date(1975, 10, 8)


# ------------------------------------------------------------------------------------ citizen IDs
def test_citizen_ids_that_excel_turned_into_numbers(tree, officer):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD"]
    rows = [
        ["Lê Thị Mai", "Nữ", "03/02/1990", "001190000101"],  # text: fine
        ["Ngô Văn Hải", "Nam", "04/05/1985", 37085000222],  # number, 11 digits: the 0 is restored
        ["Phan Văn Tú", "Nam", "05/06/1984", 123456789],  # a 9-digit CMND: imported without CCCD
        ["Đỗ Thị Lan", "Nữ", "06/07/1975", 123000000000],  # shown as 1.23E+11 and saved: digits lost
    ]
    plan, read = check(header, rows, tree.ubnd, formats={3: "0.00E+00"})
    (error,) = plan.errors
    assert (error.row, error.column) == (8, "Số CCCD") and "định dạng cột là Văn bản" in error.message
    notices = notices_of(plan)
    assert "mất số 0" in notices[(6, "Số CCCD")] and "037085000222" not in notices[(6, "Số CCCD")]
    assert "CMND" in notices[(7, "Số CCCD")] and "không có số CCCD" in notices[(7, "Số CCCD")]
    assert [r.person["citizen_id"] for r in plan.records] == ["001190000101", "037085000222", None, None]
    with pytest.raises(RosterInvalid):
        commit(officer, tree.ubnd, read)

    rows[3][3] = "001175000444"  # typed again as text
    plan, read = check(header, rows, tree.ubnd, formats={3: "0.00E+00"})
    assert not plan.errors
    commit(officer, tree.ubnd, read)
    assert Person.objects.get(full_name="Ngô Văn Hải").citizen_id == "037085000222"
    assert Person.objects.get(full_name="Phan Văn Tú").citizen_id is None


# ------------------------------------------------------------------------------------------ names
def test_a_tcvn3_column_is_converted_with_a_notice(tree, officer):
    plan, read = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [
            ["NguyÔn V¨n B¶o", "Nam", "03/02/1990"],
            ["TrÇn ThÞ ¸nh", "Nữ", "04/05/1985"],  # "Ánh": the .Vn fonts have no capital Á
            ["Ph\xadêng Minh §øc", "Nam", "05/06/1984"],
            ["Lª BÐ", "Nữ", "06/07/1986"],  # "é" is 0xD0 ("Ð"), which the upload turns into "Đ"
            ["Hoang Van Nam", "Nam", "07/08/1987"],
            ["Vò Tó", "Nam", "08/09/1988"],  # reads as Unicode too ("Vò Tó"): converted, and told
        ],
        tree.ubnd,
    )
    assert not plan.errors
    names = [
        " ".join(p for p in (r.person["family_name"], r.person["middle_name"], r.person["given_name"]) if p)
        for r in plan.records
    ]
    assert names == ["Nguyễn Văn Bảo", "Trần Thị Ánh", "Phường Minh Đức", "Lê Bé", "Hoang Van Nam", "Vũ Tú"]
    column, row = plan.notices
    assert column.row is None and column.column == "Họ và tên"
    assert "TCVN3" in column.message and "đã chuyển 5 tên sang Unicode" in column.message
    assert row.row == 10 and "“Vò Tó”" in row.message and "“Vũ Tú”" in row.message
    commit(officer, tree.ubnd, read)
    bao = Person.objects.get(full_name="Nguyễn Văn Bảo")
    assert bao.search_text == "nguyen van bao"


def test_a_vni_column_is_converted_and_a_unicode_name_in_it_kept(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"],
        [
            ["Nguyeãn Vaên Baûo", "Nam", "03/02/1990"],
            ["Traàn Thò Aùnh", "Nữ", "04/05/1985"],
            ["Ñaëng Ñöùc Thaéng", "Nam", "05/06/1984"],
            ["Phạm Thị Lý", "Nữ", "06/07/1986"],  # pasted in Unicode
        ],
        tree.ubnd,
    )
    assert not plan.errors
    assert [r.person["given_name"] for r in plan.records] == ["Bảo", "Ánh", "Thắng", "Lý"]
    assert [r.person["family_name"] for r in plan.records] == ["Nguyễn", "Trần", "Đặng", "Phạm"]
    (notice,) = plan.notices
    assert "VNI" in notice.message and "đã chuyển 3 tên" in notice.message


def test_a_name_neither_vietnamese_nor_convertible_is_refused(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính"],
        [["Nguyễn Văn An", "Nam"], ["Ŧrần Ŧhị Hoa", "Nữ"], ["Nguyễn Văn Ánh¤", "Nam"]],
        tree.ubnd,
    )
    errors = errors_of(plan)
    assert sorted(errors) == [(6, "Họ và tên"), (7, "Họ và tên")]
    assert "không phải tiếng Việt" in errors[(6, "Họ và tên")] and "Unicode" in errors[(6, "Họ và tên")]


def test_names_in_capitals_are_title_cased_on_request(tree):
    rows = [["NGUYỄN VĂN BÌNH", "Nam"], ["Lý Thị HOÀI", "Nữ"]]
    plan, _ = check(["Họ và tên", "Giới tính"], rows, tree.ubnd)
    assert plan.records[0].person["family_name"] == "NGUYỄN"  # without the option: as typed
    plan, _ = check(["Họ và tên", "Giới tính"], rows, tree.ubnd, title_case_names=True)
    first, second = (r.person for r in plan.records)
    assert (first["family_name"], first["middle_name"], first["given_name"]) == ("Nguyễn", "Văn", "Bình")
    assert second["given_name"] == "HOÀI"  # not all capitals: left as typed


def test_a_tcvn3_name_in_capitals_converts_and_title_cases(tree):
    plan, _ = check(
        ["Họ và tên", "Giới tính"],
        [["NGUYÔN V¡N B¶O", "Nam"], ["TRÇN THÞ MAI", "Nữ"]],
        tree.ubnd,
        title_case_names=True,
    )
    assert not plan.errors
    assert [r.person["family_name"] + " " + r.person["given_name"] for r in plan.records] == [
        "Nguyễn Bảo",
        "Trần Mai",
    ]


def test_the_eth_look_alike_in_a_name_is_stored_as_d_with_stroke_and_sorts_so(tree, officer):
    plan, read = check(
        ["Họ và tên", "Giới tính", "Ngày sinh"], [["\u00d0ặng Văn \u00d0ức", "Nam", "03/02/1990"]], tree.ubnd
    )
    assert not plan.errors
    commit(officer, tree.ubnd, read)
    person = Person.objects.get(given_name="Đức")
    assert person.full_name == "Đặng Văn Đức" and "\u00d0" not in person.full_name
    assert person.sort_key == person_sort_key(family_name="Đặng", middle_name="Văn", given_name="Đức")
