"""`core.xlsx`, the one .xlsx writer: text stays text (no formula, hyperlink or number guessed from it),
numbers stay numbers, dates stay dates; and no other module of the project creates an XlsxWriter
workbook (a source scan, with a test that the scan catches one)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

from core.xlsx import OPTIONS, Workbook, sheet_name

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1+2",
    "@SUM(A1)",
    "-2+3",
    "=1+1",
    "http://evil.example/x",
    "0012",
]

# Files that may create an XlsxWriter workbook directly: the writer itself, and the test and benchmark
# code that generates INPUT files (rosters to upload, hostile files), which never reach a user.
ALLOWED = {"core/xlsx.py"}


def _exempt(path: str) -> bool:
    return path in ALLOWED or "/tests/" in f"/{path}" or path.startswith(("browser_tests/", "bench/"))


WORKBOOK = re.compile(r"\bxlsxwriter\s*\.\s*Workbook\s*\(|\bfrom\s+xlsxwriter\s+import\s+.*\bWorkbook\b")


def sheet_xml(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        }


def test_text_is_written_as_text_never_as_a_formula_url_or_number():
    book = Workbook()
    sheet = book.sheet("Thử")
    for row, text in enumerate(HOSTILE):
        sheet.cell(row, 0, text)
        sheet.text(row, 1, text)
    sheet.merge(len(HOSTILE), 0, len(HOSTILE), 3, HOSTILE[0])
    sheet.row(len(HOSTILE) + 1, 0, [HOSTILE[1], 7, 2.5, Decimal("1.5"), True, dt.date(2024, 3, 15), None])
    content = book.close()

    for name, xml in sheet_xml(content).items():
        assert "<f>" not in xml and "<f " not in xml, name  # no formula element at all
        assert "<hyperlink" not in xml, name
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    for row, text in enumerate(HOSTILE):
        assert rows[row][:2] == [text, text]  # the literal text, "0012" keeps its zeros
    assert rows[len(HOSTILE)][0] == HOSTILE[0]
    assert rows[len(HOSTILE) + 1][:6] == [HOSTILE[1], 7, 2.5, 1.5, True, dt.date(2024, 3, 15)]


def test_every_workbook_is_opened_with_the_guessing_options_off():
    assert OPTIONS["strings_to_formulas"] is False
    assert OPTIONS["strings_to_urls"] is False
    assert OPTIONS["strings_to_numbers"] is False
    book = Workbook()
    assert book._book.strings_to_formulas is False
    assert book._book.strings_to_urls is False
    assert book._book.strings_to_numbers is False
    book.close()


def test_sheet_names_from_text_are_valid():
    assert sheet_name("Khen thưởng 2024/2025: [tổng]") == "Khen thưởng 2024-2025- -tổng-"
    assert len(sheet_name("x" * 40)) == 31 and sheet_name("") == "Sheet1"


def _offenders(files: dict[str, str]) -> list[str]:
    return sorted(path for path, text in files.items() if not _exempt(path) and WORKBOOK.search(text))


def test_no_workbook_is_created_outside_core_xlsx():
    files = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in ROOT.rglob("*.py")
        if not any(part in {".venv", "node_modules", ".git"} or part.startswith(".") for part in path.parts)
    }
    assert "core/xlsx.py" in files and "reports/exports.py" in files  # the scan sees the project
    assert _offenders(files) == [], "create .xlsx files through core.xlsx.Workbook only"


def test_the_scan_catches_a_workbook_created_elsewhere():
    sample = {
        "reports/new_export.py": "import xlsxwriter\nbook = xlsxwriter.Workbook(buffer, {})\n",
        "members/other.py": "from xlsxwriter import Workbook\n",
        "core/xlsx.py": "xlsxwriter.Workbook(x)",
        "members/tests/test_upload.py": "xlsxwriter.Workbook(path)",  # an input file for a test
    }
    assert _offenders(sample) == ["members/other.py", "reports/new_export.py"]
