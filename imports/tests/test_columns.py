"""The columns the import kinds share (`imports.columns`): the same header lands on the same column in every
kind that has it, "Năm sinh" is the birth year (never the record's year), and the "Loại" words."""

from __future__ import annotations

import pytest

from imports import columns, kinds
from imports.kinds import YEAR
from imports.reading import layout_of, matcher

# what each kind calls the shared columns (kinds keep their own keys: their tests build SourceRows by key)
KEYS = {
    "khen-thuong": {
        "name": "name",
        "birth_date": "birth_date",
        "birth_year": "birth_year",
        "workplace": "unit_text",
        "year": "year",
        "decision_number": "decision_number",
        "decision_date": "decision_date",
        "kind": "subject",
        "award": "award",
        "achievements": "summary",
    },
    "de-nghi": {
        "stt": "stt",
        "name": "ten",
        "birth_date": "ngay_sinh",
        "birth_year": "nam_sinh",
        "card_number": "so_the",
        "citizen_id": "cccd",
        "workplace": "don_vi",
        "kind": "loai",
        "award": "danh_hieu",
        "achievements": "tom_tat",
    },
    "danh-gia": {
        "stt": "stt",
        "name": "full_name",
        "birth_date": "birth_date",
        "birth_year": "birth_year",
        "card_number": "card_number",
        "citizen_id": "citizen_id",
        "workplace": "unit_text",
        "year": "year",
    },
    "sang-kien": {
        "stt": "stt",
        "workplace": "author_units",
        "year": "year",
        "decision_number": "decision_ref",
        "decision_date": "recognized_on",
    },
}

# headers as offices write them, each with the shared column it names
HEADERS = [
    ("STT", "stt"),
    ("TT", "stt"),
    ("Số TT", "stt"),
    ("Họ và tên", "name"),
    ("Họ tên", "name"),
    ("Ngày sinh", "birth_date"),
    ("Ngày, tháng, năm sinh", "birth_date"),
    ("Ngày sinh/Năm sinh", "birth_date"),
    ("Năm sinh", "birth_year"),
    ("NĂM SINH", "birth_year"),
    ("Số thẻ đoàn viên", "card_number"),
    ("Số thẻ ĐV", "card_number"),
    ("Mã đoàn viên", "card_number"),
    ("Số CCCD (12 số)", "citizen_id"),
    ("Số CMND/CCCD", "citizen_id"),
    ("Căn cước công dân", "citizen_id"),
    ("Đơn vị công tác", "workplace"),
    ("Đơn vị", "workplace"),
    ("Tổ công đoàn", "workplace"),
    ("Chức vụ, đơn vị công tác", "workplace"),
    ("Phòng, ban", "workplace"),
    ("Năm", "year"),
    ("Năm xét", "year"),
    ("Năm khen thưởng", "year"),
    ("Năm đánh giá", "year"),
    ("Năm công nhận", "year"),
    ("Số quyết định", "decision_number"),
    ("Số QĐ", "decision_number"),
    ("Số, ký hiệu", "decision_number"),
    ("Ngày quyết định", "decision_date"),
    ("Ngày QĐ", "decision_date"),
    ("Ngày ký", "decision_date"),
    ("Loại", "kind"),
    ("Tập thể/Cá nhân", "kind"),
    ("Danh hiệu thi đua/Hình thức khen thưởng", "award"),
    ("Hình thức khen thưởng", "award"),
    ("Danh hiệu", "award"),
    ("Tóm tắt thành tích", "achievements"),
    ("Thành tích", "achievements"),
]


@pytest.mark.parametrize("header,shared", HEADERS)
def test_a_header_lands_on_the_same_shared_column_in_every_kind_that_has_it(header, shared):
    kinds_with_it = [key for key, names in KEYS.items() if shared in names]
    assert kinds_with_it, shared
    for key in kinds_with_it:
        assert matcher(kinds.get(key))(header) == KEYS[key][shared], (key, header)


def test_the_year_of_birth_is_never_the_year_of_the_record():
    for kind in kinds.all_kinds():
        match = matcher(kind)
        birth_years = [c.key for c in kind.columns if c.label == "Năm sinh"]
        years = [c.key for c in kind.columns if c.type == YEAR and c.label == "Năm"]
        if birth_years:
            assert match("Năm sinh") == birth_years[0], kind.key
        if years:
            assert match("Năm") == years[0], kind.key
            assert match("Năm sinh") != years[0], kind.key
    assert "nam" not in columns.BIRTH_YEAR + columns.BIRTH_DATE
    assert not {a for a in columns.YEAR_OF if "sinh" in a.split()}


def test_a_birth_year_over_nam_and_nu_sub_columns_is_read_as_the_birth_year():
    # "Năm sinh" merged over "Nam" | "Nữ": "nam" is a sub-column's gender, not the record's year
    rows = [
        ["STT", "Họ và tên", "Năm sinh", None, "Danh hiệu", "Năm"],
        [None, None, "Nam", "Nữ", None, None],
        [1, "Nguyễn Văn An", 1985, None, "LĐTT", 2023],
    ]
    merged = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4), (0, 5, 1, 5)]
    for key, birth_year in (("khen-thuong", "birth_year"), ("de-nghi", "nam_sinh")):
        layout = layout_of(kinds.get(key), rows, merged)
        under = [c for c in layout.columns if c.index in (2, 3)]
        assert {c.key for c in under} == {birth_year}, key
    layout = layout_of(kinds.get("khen-thuong"), rows, merged)
    assert layout.keys["year"] == 5


def test_the_shared_columns_keep_one_definition():
    kind_a, kind_b = kinds.get("khen-thuong"), kinds.get("de-nghi")
    by_key = {k: {c.key: c for c in kind.columns} for k, kind in (("a", kind_a), ("b", kind_b))}
    assert by_key["a"]["name"].aliases == by_key["b"]["ten"].aliases
    assert by_key["a"]["birth_date"].aliases == by_key["b"]["ngay_sinh"].aliases
    assert by_key["a"]["unit_text"].aliases == by_key["b"]["don_vi"].aliases
    assert by_key["a"]["award"].aliases == by_key["b"]["danh_hieu"].aliases
    # "doi tuong" is the awards kind's "Loại"; in the nomination list it is "Phân loại đối tượng"
    assert matcher(kind_a)("Đối tượng") == "subject"
    assert matcher(kind_b)("Đối tượng") == "phan_loai"


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Cá nhân", columns.PERSON),
        ("CN", columns.PERSON),
        ("cá nhân.", columns.PERSON),
        ("Tập thể", columns.COLLECTIVE),
        ("TT", columns.COLLECTIVE),
        ("Đơn vị", columns.COLLECTIVE),
        ("Hộ gia đình", None),
        ("", None),
    ],
)
def test_the_words_of_the_loai_column(text, kind):
    assert columns.kind_of(text) == kind


@pytest.mark.parametrize(
    "section,kind",
    [
        ("I. TẬP THỂ", columns.COLLECTIVE),
        ("II. Cá nhân", columns.PERSON),
        ("Danh sách cá nhân đề nghị khen thưởng", columns.PERSON),
        ("Tổ công đoàn Phòng Nội vụ", None),
        ("Tập thể và cá nhân", None),
    ],
)
def test_the_kind_a_section_row_holds(section, kind):
    assert columns.kind_of_section(section) == kind
