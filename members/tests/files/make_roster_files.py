"""Regenerate the roster fixtures: `python members/tests/files/make_roster_files.py`.

Writes the .xlsx files with xlsxwriter; the .xls and .ods copies are made by LibreOffice
(`soffice --headless --convert-to xls|ods`) and committed, so the tests never need LibreOffice.
The people match the `tree` fixture of conftest.py (Công đoàn UBND huyện Mỹ Đức and its two groups).
"""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
HEADERS = [
    "STT",
    "Số CCCD",
    "Họ tên",
    "Gioi tinh",
    "Ngày sinh",
    "Tổ CĐ",
    "Chức vụ",
    "Chức vụ công đoàn",
    "Số thẻ",
    "Điện thoại",
    "Ngày vào CĐ",
]
EPOCH = dt.date(1899, 12, 30)


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


# (citizen id, name, gender, birth (date | serial | text), group, job, union role, card, phone, joined)
BASIC = [
    (
        "001085012345",
        "Nguyễn Văn An",
        "Nam",
        "17/05/1985",
        "Tổ công đoàn Phòng Nội vụ",
        "Trưởng phòng",
        "Tổ trưởng",
        "0100000001",
        "0912000001",
        "01/06/2010",
    ),  # existing person: new phone, role, job
    (
        "001190000101",
        "Lê Thị Mai",
        "Nữ",
        dt.date(1990, 2, 3),
        "Phòng Tài chính - Kế hoạch",
        "Kế toán",
        "Đoàn viên",
        "0100000101",
        "0912000101",
        serial(dt.date(2015, 9, 1)),
    ),
    (
        "001092000102",
        "Phạm Quốc Bảo",
        "nam",
        serial(dt.date(1992, 11, 20)),
        "to cong doan phong noi vu",
        "Chuyên viên",
        "",
        "0100000102",
        "",
        "",
    ),
    (
        "001195000103",
        "Đỗ Thu Trang",
        "nu",
        "05-07-1995",
        "",
        "Văn thư",
        "Ủy viên Ban Chấp hành",
        "0100000103",
        "0987000103",
        "",
    ),
    (
        "001088000104",
        "Hoàng Minh Đức",
        "M",
        dt.date(1988, 12, 31),
        "Tổ công đoàn Phòng Nội vụ",
        "",
        "Đoàn viên",
        "0100000104",
        "",
        dt.date(2012, 3, 8),
    ),
    (
        "001187000105",
        "Vũ Thị Hạnh",
        "F",
        "09/09/1987",
        "Phòng Tài chính - Kế hoạch",
        "Phó phòng",
        "Tổ phó",
        "0100000105",
        "",
        "",
    ),
]


def write(path: Path, rows, *, title=True):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("DS đoàn viên")
    bold = workbook.add_format({"bold": True, "align": "center"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    start = 0
    if title:
        sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN UBND HUYỆN MỸ ĐỨC", bold)
        sheet.merge_range(1, 0, 1, len(HEADERS) - 1, "(Kèm theo Công văn số 12/CĐ ngày 05/01/2026)", bold)
        start = 3
    for col, text in enumerate(HEADERS):
        sheet.write_string(start, col, text, bold)
    for i, row in enumerate(rows, start=1):
        r = start + i
        sheet.write_number(r, 0, i)
        for col, value in enumerate(row, start=1):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            elif value != "":
                sheet.write_string(r, col, value)
    workbook.close()


def big_rows(n=500, bad=(57, 230, 481)):
    """n rows; the data rows with index in `bad` carry one error each (date, citizen ID, group)."""
    groups = ["Tổ công đoàn Phòng Nội vụ", "Tổ công đoàn Phòng Tài chính - Kế hoạch"]
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    rows = []
    for i in range(n):
        birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        row = [
            f"0012{i % 100:02d}{200000 + i:06d}",
            f"Trần Văn {given[i % 10]}",
            "Nam" if i % 2 else "Nữ",
            serial(birth) if i % 3 == 0 else birth.strftime("%d/%m/%Y"),
            groups[i % 2],
            "Chuyên viên",
            "Đoàn viên",
            f"02{i:08d}",
            "",
            "",
        ]
        if i == bad[0]:
            row[3] = "31/02/1980"
        elif i == bad[1]:
            row[0] = 1234567890  # a numeric cell: 10 digits (leading zeros lost)
        elif i == bad[2]:
            row[4] = "Tổ công đoàn Phòng Không Có"
        rows.append(tuple(row))
    return rows


if __name__ == "__main__":
    write(HERE / "roster_basic.xlsx", BASIC)
    write(HERE / "roster_500_bad.xlsx", big_rows())
    soffice = shutil.which("soffice")
    if soffice:
        for fmt in ("xls", "ods"):
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--convert-to",
                    fmt,
                    "--outdir",
                    str(HERE),
                    str(HERE / "roster_basic.xlsx"),
                ],
                check=True,
            )
    else:
        print("soffice not found: .xls/.ods not regenerated")
