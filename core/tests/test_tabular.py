"""Issue 14: spreadsheets as offices lay them out — title rows, merged banners, two-row merged headers,
the column-number row, section rows, totals, the signature block, stray zeros, vertically merged cells —
read by `core.tabular` from workbooks built here with real merged cells (xlsxwriter `merge_range`), read
through `core.uploads.read_sheet` (the sandbox) and, converted by LibreOffice, as .xls and .ods."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import xlsxwriter

from core import tabular, uploads

KEYS = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "gioi tinh": "gender",
    "ngay sinh": "birth_date",
    "ngay thang nam sinh": "birth_date",
    "so cccd": "citizen_id",
    "chuc vu": "job_title",
    "to cong doan": "group",
}


def match(text):
    return KEYS.get(tabular.words(text))


def two_row_book(path):
    """The "Mẫu 01" roster: a title block, a two-row header ("Họ và tên" over "Họ đệm" | "Tên",
    "Ngày tháng năm sinh" over "Nam" | "Nữ", STT and the rest merged down over both rows), the
    column-number row, section rows merged across, a person named "Lập", totals, zeros, the signature."""
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Danh sách")
    ws.merge_range("A1:G1", "CÔNG ĐOÀN ỦY BAN NHÂN DÂN HUYỆN MỸ ĐỨC")
    ws.merge_range("A2:G2", "DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN NĂM 2024")
    ws.merge_range("A4:A5", "STT")
    ws.merge_range("B4:C4", "Họ và tên")
    ws.write("B5", "Họ đệm")
    ws.write("C5", "Tên")
    ws.merge_range("D4:E4", "Ngày tháng\nnăm sinh")
    ws.write("D5", "Nam")
    ws.write("E5", "Nữ")
    ws.merge_range("F4:F5", "Số CCCD\n(12 số)")
    ws.merge_range("G4:G5", "Chức vụ (*)")
    ws.write_row("A6", ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    ws.merge_range("A7:G7", "I. Tổ công đoàn Phòng Nội vụ")
    ws.write_row("A8", [1, "Nguyễn Văn", "Lập", "12/05/1980", None, "001080012345", "Chuyên viên"])
    ws.write_row("A9", [2, "Trần Thị Thu", "Hà", None, "03/04/1990", "001190000002", "Kế toán"])
    ws.write("A10", 3)
    ws.merge_range("A11:G11", "II. Tổ công đoàn Phòng Tài chính - Kế hoạch")
    ws.write_row("A12", [4, "Lê", "Minh", "01/01/1975", None, "001075000003", ""])
    ws.write_row("A13", [None, 0, 0, 0, 0, 0, 0])
    ws.merge_range("A14:C14", "Tổng cộng")
    ws.write_row("D14", [2, 1])
    ws.merge_range("E16:G16", "Mỹ Đức, ngày 10 tháng 3 năm 2024")
    ws.merge_range("A17:C17", "NGƯỜI LẬP BIỂU")
    ws.merge_range("E17:G17", "TM. BAN CHẤP HÀNH")
    ws.merge_range("E18:G18", "CHỦ TỊCH")
    ws.merge_range("A19:C19", "(Ký, ghi rõ họ tên)")
    ws.merge_range("A22:C22", "Phạm Thị Lan")
    ws.merge_range("E22:G22", "Đặng Đức Thắng")
    book.close()


def marks_book(path):
    """Gender as "x" under "Giới tính" → "Nam" | "Nữ", a group cell merged down over its rows, and a
    hidden first sheet."""
    book = xlsxwriter.Workbook(path)
    hidden = book.add_worksheet("Dữ liệu ẩn")
    hidden.write_row("A1", ["Họ và tên", "Giới tính"])
    hidden.write_row("A2", ["Không Được Đọc", "Nam"])
    ws = book.add_worksheet("DS đoàn viên")
    ws.merge_range("A1:E1", "DANH SÁCH ĐOÀN VIÊN")
    ws.merge_range("A3:A4", "TT")
    ws.merge_range("B3:B4", "Họ và tên")
    ws.merge_range("C3:D3", "Giới tính")
    ws.write("C4", "Nam")
    ws.write("D4", "Nữ")
    ws.merge_range("E3:E4", "Tổ công đoàn")
    people = [
        ("Nguyễn Văn Khoa", "x", None),
        ("Vũ Thị Bình", None, "x"),
        ("Đỗ Văn Cường", "x", None),
        ("Hoàng Thị Dung", None, "X"),
        ("Phan Văn Em", "x", None),
    ]
    for offset, (name, male, female) in enumerate(people):
        ws.write_row(4 + offset, 0, [offset + 1, name, male, female])
    ws.merge_range("E5:E9", "Tổ công đoàn Phòng Nội vụ")
    ws.activate()
    hidden.hide()
    book.close()


def _read(path, name, sheet=None):
    dest = path.parent / (name + ".rows.gz")
    answer = uploads.read_sheet(path, dest, filename=name, sheet=sheet)
    with open(dest, "rb") as handle:
        return uploads.load_rows(handle), answer


SOFFICE = shutil.which("soffice")


def _convert(path, kind, outdir):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) không có trên máy: không tạo được tệp .xls/.ods để thử")
    done = subprocess.run(  # noqa: S603 — our own temporary files
        [
            SOFFICE,
            f"-env:UserInstallation=file://{outdir}/lo-profile",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = outdir / (path.stem + "." + kind)
    if not converted.exists():
        pytest.skip(
            f"LibreOffice không chuyển được sang .{kind} (thiếu LibreOffice Calc?): {done.stderr[-200:]!r}"
        )
    return converted


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    made = {"two_row": folder / "mau01.xlsx", "marks": folder / "danh_dau.xlsx"}
    two_row_book(made["two_row"])
    marks_book(made["marks"])
    return folder, made


def _layout_and_rows(path, name):
    rows, answer = _read(path, name)
    layout = tabular.detect(rows, answer["merged"], match)
    return rows, answer, layout


def _check_two_row(rows, merged, layout):
    assert (layout.header_first, layout.header_last, layout.number_row, layout.data_start) == (3, 4, 5, 6)
    parts = layout.name_parts
    assert [(c.index, c.part, c.child) for c in parts] == [
        (1, "family_middle", "Họ đệm"),
        (2, "given", "Tên"),
    ]
    births = layout.of_role(tabular.BIRTH_BY_GENDER)
    assert [(c.index, c.gender, c.key) for c in births] == [(3, "Nam", "birth_date"), (4, "Nữ", "birth_date")]
    assert layout.column_of("citizen_id") == 5 and layout.column_of("job_title") == 6 and layout.stt == 0
    verdicts = {
        index + 1: (verdict, row) for index, verdict, row in tabular.classify_rows(rows, layout, merged)
    }
    data = {n: (v, row) for n, (v, row) in verdicts.items() if isinstance(v, tabular.Data)}
    assert sorted(data) == [8, 9, 12]
    people = [
        (layout.full_name(row), layout.genders(row), str(layout.birth(row)), v.section)
        for n, (v, row) in data.items()
    ]
    assert people == [
        ("Nguyễn Văn Lập", ["Nam"], "12/05/1980", "Tổ công đoàn Phòng Nội vụ"),
        ("Trần Thị Thu Hà", ["Nữ"], "03/04/1990", "Tổ công đoàn Phòng Nội vụ"),
        ("Lê Minh", ["Nam"], "01/01/1975", "Tổ công đoàn Phòng Tài chính - Kế hoạch"),
    ]
    reasons = {
        n: v.reason
        for n, (v, _) in verdicts.items()
        if isinstance(v, tabular.Skip) and v.reason != tabular.EMPTY
    }
    assert reasons == {
        7: "dòng mục “Tổ công đoàn Phòng Nội vụ”",
        10: tabular.ONLY_NUMBER,
        11: "dòng mục “Tổ công đoàn Phòng Tài chính - Kế hoạch”",
        13: tabular.ONLY_ZEROS,
        14: tabular.TOTAL,
        16: tabular.SIGNATURE,
        17: tabular.AFTER_SIGNATURE,
        18: tabular.AFTER_SIGNATURE,
        19: tabular.AFTER_SIGNATURE,
        22: tabular.AFTER_SIGNATURE,
    }


def test_two_row_merged_header_and_every_noise_row(books):
    folder, made = books
    rows, answer, layout = _layout_and_rows(made["two_row"], "mau01.xlsx")
    assert [3, 1, 3, 2] in answer["merged"] and [3, 0, 4, 0] in answer["merged"]  # B4:C4, A4:A5
    _check_two_row(rows, answer["merged"], layout)


def test_two_row_header_as_xls(books):
    folder, made = books
    converted = _convert(made["two_row"], "xls", folder)
    rows, answer, layout = _layout_and_rows(converted, converted.name)
    assert answer["merged"]  # .xls gives its merged ranges
    _check_two_row(rows, answer["merged"], layout)


def test_two_row_header_as_ods(books):
    """calamine gives no merged ranges for .ods (None): the header is read from its labels alone."""
    folder, made = books
    converted = _convert(made["two_row"], "ods", folder)
    rows, answer, layout = _layout_and_rows(converted, converted.name)
    _check_two_row(rows, answer["merged"], layout)


def test_x_marks_give_the_gender_and_a_merged_group_cell_fills_down(books):
    folder, made = books
    rows, answer, layout = _layout_and_rows(made["marks"], "danh_dau.xlsx")
    assert answer["sheet"] == "DS đoàn viên"
    assert [m for m in answer["merged"] if m[0] == 4] == [[4, 4, 8, 4]]  # E5:E9, 0-based
    marks = layout.of_role(tabular.GENDER_MARK)
    assert [(c.index, c.gender) for c in marks] == [(2, "Nam"), (3, "Nữ")]
    assert layout.column_of("group") == 4 and layout.data_start == 4
    got = [
        (row[1], layout.genders(row), row[4])
        for _, verdict, row in tabular.classify_rows(rows, layout, answer["merged"])
        if isinstance(verdict, tabular.Data)
    ]
    assert [g for _, g, _ in got] == [["Nam"], ["Nữ"], ["Nam"], ["Nữ"], ["Nam"]]
    assert {group for _, _, group in got} == {"Tổ công đoàn Phòng Nội vụ"}


def test_an_ods_keeps_its_merged_group_cell(books):
    """calamine gives no merged ranges for .ods: `core.uploads` reads them from content.xml itself, so a
    group cell merged over five rows fills all five there too."""
    folder, made = books
    converted = _convert(made["marks"], "ods", folder)
    rows, answer, layout = _layout_and_rows(converted, converted.name)
    assert [4, 4, 8, 4] in answer["merged"]  # E5:E9, 0-based, as from the .xlsx
    groups = [
        row[4]
        for _, verdict, row in tabular.classify_rows(rows, layout, answer["merged"])
        if isinstance(verdict, tabular.Data)
    ]
    assert groups == ["Tổ công đoàn Phòng Nội vụ"] * 5


def test_a_hidden_sheet_is_read_only_when_named(books):
    folder, made = books
    rows, answer = _read(made["marks"], "danh_dau.xlsx")
    assert answer["sheet"] == "DS đoàn viên"
    assert answer["sheets"] == [
        {"name": "Dữ liệu ẩn", "visible": False, "empty": False},
        {"name": "DS đoàn viên", "visible": True, "empty": False},
    ]
    rows, answer = _read(made["marks"], "danh_dau.xlsx", sheet="Dữ liệu ẩn")
    assert answer["sheet"] == "Dữ liệu ẩn" and rows[1][0] == "Không Được Đọc"
    with pytest.raises(uploads.UploadRefused) as refused:
        _read(made["marks"], "danh_dau.xlsx", sheet="Không có")
    assert refused.value.message == "Tệp không có trang tính “Không có”."


def test_the_hidden_sheet_is_not_the_default_in_xls_and_ods_either(books):
    folder, made = books
    for kind in ("xls", "ods"):
        converted = _convert(made["marks"], kind, folder)
        rows, answer = _read(converted, converted.name)
        assert answer["sheet"] == "DS đoàn viên", kind
        assert [s["visible"] for s in answer["sheets"]] == [False, True], kind


def test_the_sheet_the_file_opens_on_is_read_first(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "hai.xlsx")
    first = book.add_worksheet("Năm 2023")
    first.write_row("A1", ["Họ và tên", "Giới tính"])
    first.write_row("A2", ["Cũ Văn Một", "Nam"])
    second = book.add_worksheet("Năm 2024")
    second.write_row("A1", ["Họ và tên", "Giới tính"])
    second.write_row("A2", ["Mới Thị Hai", "Nữ"])
    second.activate()
    book.close()
    rows, answer = _read(tmp_path / "hai.xlsx", "hai.xlsx")
    assert answer["sheet"] == "Năm 2024" and rows[1] == ["Mới Thị Hai", "Nữ"]


def test_the_merged_ranges_are_capped(monkeypatch):
    class Sheet:
        merged_cell_ranges = [((r, 0), (r, 1)) for r in range(30)] + [((40, 0), (40, 0))]

    class Unsupported:
        merged_cell_ranges = None  # what calamine gives for .ods

    monkeypatch.setattr(uploads, "MAX_MERGED", 10)
    assert uploads._merged(Sheet()) == [[r, 0, r, 1] for r in range(10)]
    assert uploads._merged(Unsupported()) == []


# ---- pure cases (rows as calamine gives them) ------------------------------------------------------------


def test_name_parts_side_by_side_and_ong_ba():
    rows = [
        ["DANH SÁCH", "", "", "", ""],
        ["STT", "Họ", "Tên đệm", "Tên", "Ông/Bà"],
        [1, "Nguyễn", "Thị Minh", "Khai", "Bà"],
        [2, "Tôn Thất", "", "Lập", "Ông"],
    ]
    layout = tabular.detect(rows, [], match)
    assert layout.header_first == 1 and layout.data_start == 2
    assert [c.part for c in layout.name_parts] == ["family", "middle", "given"]
    assert layout.of_role(tabular.GENDER_TITLE)[0].index == 4
    assert [layout.full_name(r) for r in rows[2:]] == ["Nguyễn Thị Minh Khai", "Tôn Thất Lập"]
    assert [layout.genders(r) for r in rows[2:]] == [["Nữ"], ["Nam"]]


def test_a_name_merged_over_two_columns_without_labels():
    rows = [["STT", "Họ và tên", "", "Giới tính"], [1, "Nguyễn Văn", "An", "Nam"]]
    layout = tabular.detect(rows, [[0, 1, 0, 2]], match)
    assert [c.part for c in layout.name_parts] == ["family_middle", "given"]
    assert layout.full_name(rows[1]) == "Nguyễn Văn An"


def test_year_of_birth_under_nam_nu():
    rows = [
        ["TT", "Họ và tên", "Năm sinh", ""],
        ["", "", "Nam", "Nữ"],
        [1, "Lê Văn Tám", 1970, ""],
        [2, "Võ Thị Sáu", "", 1985],
    ]
    layout = tabular.detect(rows, [[0, 0, 1, 0], [0, 1, 1, 1], [0, 2, 0, 3]], match)
    births = layout.of_role(tabular.BIRTH_BY_GENDER)
    assert [(c.part, c.gender) for c in births] == [("year", "Nam"), ("year", "Nữ")]
    assert [(layout.genders(r), layout.birth(r)) for r in rows[2:]] == [(["Nam"], 1970), (["Nữ"], 1985)]


@pytest.mark.parametrize(
    ("row", "verdict"),
    [
        (["", "Nguyễn Văn Lập", "Nam", "Người lập biểu"], tabular.Data()),  # words alone decide nothing
        (["", "NGƯỜI LẬP BIỂU", "", "THỦ TRƯỞNG ĐƠN VỊ"], tabular.Skip(tabular.SIGNATURE)),
        ([5, "Chủ tịch", "Nữ", ""], tabular.Data()),
        (["", "Cộng:", 12, 7], tabular.Skip(tabular.TOTAL)),
        (["", "Tổng số", "", ""], tabular.Skip(tabular.TOTAL)),
        ([7, "", "", ""], tabular.Skip(tabular.ONLY_NUMBER)),
        (["", 0, "0", ""], tabular.Skip(tabular.ONLY_ZEROS)),
        (["A.", "Khối cơ quan", "", ""], tabular.Skip("dòng mục “Khối cơ quan”")),
        (["1. Khối cơ quan", "", "", ""], tabular.Skip("dòng mục “Khối cơ quan”")),
        ([1, "Khối cơ quan", "", ""], tabular.Skip("dòng mục “Khối cơ quan”")),
        ([1, "Nguyễn Văn Bảy", "", ""], tabular.Data()),  # a short person row stays a person
        (["", "", "", ""], tabular.Skip(tabular.EMPTY)),
        (["", "Họ và tên", "Giới tính", "Ghi chú"], tabular.Skip(tabular.REPEATED_HEADER)),
    ],
)
def test_rows_are_judged_by_their_shape(row, verdict):
    layout = tabular.detect([["STT", "Họ và tên", "Giới tính", "Ghi chú"]], [], match)
    assert tabular.classify(row, layout) == verdict


def test_after_the_signature_every_row_is_skipped_and_a_section_carries_down():
    rows = [
        ["STT", "Họ và tên", "Giới tính"],
        ["I", "Tổ công đoàn Phòng Nội vụ", ""],
        [1, "Nguyễn Văn An", "Nam"],
        ["", "(Ký, ghi rõ họ tên)", ""],
        [2, "Trần Văn Sau", "Nam"],
    ]
    layout = tabular.detect(rows, [], match)
    got = [(i + 1, v) for i, v, _ in tabular.classify_rows(rows, layout)]
    assert got == [
        (2, tabular.Skip("dòng mục “Tổ công đoàn Phòng Nội vụ”")),
        (3, tabular.Data(section="Tổ công đoàn Phòng Nội vụ")),
        (4, tabular.Skip(tabular.SIGNATURE)),
        (5, tabular.Skip(tabular.AFTER_SIGNATURE)),
    ]


def test_fill_down_copies_only_vertical_merges_and_leaves_the_rows_given():
    rows = [["Tổ", "Tên"], ["Tổ A", "An"], ["", "Bình"], ["", "Cường"]]
    filled = tabular.fill_down(rows, [[1, 0, 3, 0], [0, 0, 0, 1]], start=1)
    assert [r[0] for r in filled] == ["Tổ", "Tổ A", "Tổ A", "Tổ A"]
    assert rows[2][0] == ""


def test_a_huge_merged_range_costs_only_the_rows_read():
    rows = [["Họ và tên", "Giới tính"], ["An", "Nam"]]
    layout = tabular.detect(rows, [[5, 0, 1_048_575, 16_383]], match)
    assert layout.header_first == 0


def test_dates_in_cells_are_no_header():
    rows = [["Họ và tên", "Ngày sinh"], ["An", dt.date(1990, 1, 1)]]
    assert tabular.detect(rows, [], match).data_start == 1


def test_the_kernel_module_imports_no_app():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(tabular.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert all(m.split(".")[0] not in {"members", "organizations", "accounts"} for m in imported)
    assert {m for m in imported if m.startswith("core")} <= {"core.text"}


def test_day_month_year_sub_columns_under_a_merged_birth_header_are_a_date_not_genders():
    """ "Ngày, tháng, năm sinh" merged over "Ngày" | "Tháng" | "Năm": "Năm" is the year, not the male column."""
    rows = [
        ["STT", "Họ và tên", "Ngày, tháng, năm sinh", "", "", "Tổ công đoàn"],
        ["", "", "Ngày", "Tháng", "Năm", ""],
        [1, "Nguyễn Văn An", 15, 3, 1990, "Phòng Nội vụ"],
        [2, "Trần Thị Hoa", "", "", 1985, "Phòng Nội vụ"],
    ]
    merged = [[0, 2, 0, 4], [0, 0, 1, 0], [0, 1, 1, 1], [0, 5, 1, 5]]
    keys = {"ho va ten": "full_name", "ngay thang nam sinh": "birth_date", "to cong doan": "group"}
    layout = tabular.detect(rows, merged, lambda text: keys.get(tabular.words(text)))
    assert layout.header_last == 1 and not layout.of_role(tabular.BIRTH_BY_GENDER)
    assert [(c.index, c.part) for c in layout.of_role(tabular.BIRTH_PART)] == [
        (2, "day"),
        (3, "month"),
        (4, "year"),
    ]
    assert layout.genders(rows[2]) == []
    assert layout.birth(rows[2]) == "15/3/1990"
    assert layout.birth(rows[3]) == 1985
