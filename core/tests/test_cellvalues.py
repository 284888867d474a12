"""Issue 14: cell values as offices corrupt them — years in date columns, US-ordered dates, citizen IDs
that Excel turned into numbers, names in capitals (`core.cellvalues`, pure)."""

import datetime as dt

import pytest

from core.cellvalues import (
    CMND_NOTICE,
    DAY_FIRST,
    MONTH_FIRST,
    PROVINCE_CODES,
    RESTORED_NOTICE,
    YearOnly,
    date_order_evidence,
    parse_citizen_id,
    parse_date,
    parse_year,
    resolve_date_order,
    title_case_name,
)


# ----------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("value", [2010, 2010.0, "2010", 1900, 2100.0, " 1985 "])
def test_a_number_from_1900_to_2100_in_a_date_column_is_a_year_not_an_excel_serial(value):
    with pytest.raises(YearOnly) as caught:
        parse_date(value)
    assert caught.value.year == int(float(str(value).strip()))
    assert isinstance(caught.value, ValueError)  # callers that only know ValueError still refuse it


def test_excel_serials_outside_the_year_range_are_still_dates():
    assert parse_date(31184.0) == dt.date(1985, 5, 17)
    assert parse_date("31184") == dt.date(1985, 5, 17)
    assert parse_date(1899) == dt.date(1905, 3, 13)  # just below the years: a serial
    assert parse_date(2101) == dt.date(1905, 10, 1)


@pytest.mark.parametrize(
    "value,order,expected",
    [
        ("08/10/1959", DAY_FIRST, dt.date(1959, 10, 8)),
        ("08/10/1959", MONTH_FIRST, dt.date(1959, 8, 10)),
        ("10/20/1959", MONTH_FIRST, dt.date(1959, 10, 20)),
        ("8-3-1990", MONTH_FIRST, dt.date(1990, 8, 3)),
        ("1990-03-08", MONTH_FIRST, dt.date(1990, 3, 8)),  # ISO: never reordered
        (dt.datetime(1990, 3, 8, 0, 0), MONTH_FIRST, dt.date(1990, 3, 8)),  # a real date cell
    ],
)
def test_text_dates_follow_the_columns_order(value, order, expected):
    assert parse_date(value, order) == expected


@pytest.mark.parametrize("value", ["10/20/1959", "31/02/1980", "abc", True, "1850", 80000])
def test_impossible_dates_raise(value):
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert not isinstance(caught.value, YearOnly)


@pytest.mark.parametrize(
    "value,expected",
    [(1985, 1985), (1985.0, 1985), ("1985", 1985), (dt.date(1985, 5, 17), 1985)],
)
def test_parse_year(value, expected):
    assert parse_year(value) == expected


@pytest.mark.parametrize("value", [1899, 2101, 1985.5, "85", "17/05/1985", "năm 1985"])
def test_parse_year_refuses_what_is_not_a_year(value):
    with pytest.raises(ValueError):
        parse_year(value)


@pytest.mark.parametrize(
    "value,evidence",
    [
        ("20/10/1959", DAY_FIRST),
        ("10/20/1959", MONTH_FIRST),
        ("08/10/1959", None),  # both readings possible
        ("13/13/1959", None),  # no date at all
        (dt.date(1959, 10, 20), None),
        (21480.0, None),
    ],
)
def test_date_order_evidence(value, evidence):
    assert date_order_evidence(value) == evidence


def test_a_column_with_a_month_above_12_in_second_place_is_month_first():
    found = resolve_date_order([(5, "08/10/1959"), (6, "10/20/1959"), (7, "03/04/1960")])
    assert found.order == MONTH_FIRST and found.contradicting == ()
    assert parse_date("08/10/1959", found.order) == dt.date(1959, 8, 10)


def test_a_column_without_evidence_is_day_first():
    assert resolve_date_order([]).order == DAY_FIRST
    found = resolve_date_order([(5, "08/10/1959"), (6, "03/04/1960"), (7, dt.date(1970, 1, 2))])
    assert found.order == DAY_FIRST and found.contradicting == ()


def test_a_column_with_evidence_both_ways_names_the_rows_against_the_majority():
    found = resolve_date_order(
        [(5, "20/10/1959"), (6, "10/20/1959"), (7, "25/12/1970"), (8, "31/01/1980"), (9, "02/13/1981")]
    )
    assert found.order == DAY_FIRST
    assert found.contradicting == (6, 9)
    assert (found.day_first, found.month_first) == (3, 2)
    month_majority = resolve_date_order([(5, "20/10/1959"), (6, "10/20/1959"), (7, "12/31/1970")])
    assert month_majority.order == MONTH_FIRST and month_majority.contradicting == (5,)


def test_a_tie_is_read_day_first_and_the_month_first_rows_are_named():
    found = resolve_date_order([(5, "20/10/1959"), (6, "10/20/1959")])
    assert found.order == DAY_FIRST and found.contradicting == (6,)


# ----------------------------------------------------------------------------------- citizen IDs
def test_twelve_digits_as_text_with_the_usual_noise():
    for value in ("001085012345", "001 085 012 345", "'001085012345", "001.085.012.345"):
        assert parse_citizen_id(value) == ("001085012345", "", "")
    assert parse_citizen_id(None) == (None, "", "")
    assert parse_citizen_id("  ") == (None, "", "")


def test_a_numeric_cell_of_12_digits_is_kept():
    assert parse_citizen_id(137080000011.0) == ("137080000011", "", "")


def test_a_numeric_11_digit_cell_lost_its_leading_zero_and_is_restored_with_a_notice():
    number, notice, error = parse_citizen_id(37080000011.0)
    assert number == "037080000011" and not error
    assert notice == RESTORED_NOTICE and "số 0" in notice
    assert "037080000011" not in notice  # notices never repeat a citizen ID
    assert parse_citizen_id(37080000011)[0] == "037080000011"  # an int cell too


def test_an_11_digit_number_that_cannot_start_with_a_province_code_is_an_error():
    assert "099" not in PROVINCE_CODES
    number, notice, error = parse_citizen_id(99080000011.0)
    assert number is None and not notice and "12" in error and "Văn bản" in error


@pytest.mark.parametrize("value", [123000000000.0, 1.23e11, 12345600000, 1.234567e11])
def test_a_number_rounded_by_scientific_notation_lost_digits_and_is_an_error(value):
    number, notice, error = parse_citizen_id(value)
    assert number is None and not notice
    assert "định dạng cột là Văn bản" in error


@pytest.mark.parametrize("value", ["1.23E+11", "1,23E+11", "1.23e11"])
def test_scientific_text_is_an_error(value):
    number, _, error = parse_citizen_id(value)
    assert number is None and "khoa học" in error and "định dạng cột là Văn bản" in error


def test_a_decimal_number_is_an_error():
    assert "định dạng cột là Văn bản" in parse_citizen_id(1234567.5).error


@pytest.mark.parametrize("value", [123456789.0, 123456789, "012345678", "012 345 678"])
def test_a_9_digit_cmnd_is_not_a_cccd_the_row_has_no_citizen_id_and_is_told_so(value):
    assert parse_citizen_id(value) == (None, CMND_NOTICE, "")
    assert "CMND" in CMND_NOTICE and "không có số CCCD" in CMND_NOTICE


@pytest.mark.parametrize("value", [1234567890, "00119500010", "0011950001011", "abc", True])
def test_other_lengths_are_errors(value):
    number, notice, error = parse_citizen_id(value)
    assert number is None and not notice and "12" in error


def test_a_10_digit_number_is_reported_with_the_lost_zeros():
    error = parse_citizen_id(1085012345.0).error
    assert "10 chữ số" in error and "số 0" in error


# ----------------------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    "text,expected",
    [
        ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
        ("ĐẶNG THỊ ÁNH", "Đặng Thị Ánh"),
        ("H'HEN NIÊ", "H'Hen Niê"),
        ("LÊ-TRẦN MINH ĐỨC", "Lê-Trần Minh Đức"),
        ("Nguyễn Văn AN", "Nguyễn Văn AN"),  # not all capitals: as typed
        ("nguyễn văn an", "nguyễn văn an"),
        ("", ""),
    ],
)
def test_title_case_name(text, expected):
    assert title_case_name(text) == expected
