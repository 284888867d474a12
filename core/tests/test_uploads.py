"""Issue 12, finding 3: the upload guard refuses hostile spreadsheets before any parser runs, and the
parser runs in a child process whose death (memory limit, abort, timeout) becomes a message while this
process lives. The hostile files are generated here (`core.tests.bombs`)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from python_calamine import CalamineWorkbook

from core import uploads
from core.tests import bombs


def _file(tmp_path, data: bytes, name="tep.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path, name="tep.xlsx") -> str:
    with pytest.raises(uploads.UploadRefused) as caught:
        uploads.guard(path, name)
    return caught.value.message


def test_a_small_honest_workbook_passes_and_is_read_in_the_child(tmp_path):
    path = _file(tmp_path, bombs.small_valid())
    uploads.guard(path, "tep.xlsx")
    answer = uploads.read_sheet(path, tmp_path / "rows.gz", filename="tep.xlsx")
    assert answer["rows"] == 2 and 0 < answer["peak_rss"] < 100 * uploads.MB
    with open(tmp_path / "rows.gz", "rb") as handle:
        assert uploads.load_rows(handle) == [["Họ và tên", "Giới tính"], ["Nguyễn Văn An", "Nam"]]


@override_settings(THIDUA_UPLOAD_MAX_BYTES=1000)
def test_size_limit(tmp_path):
    assert _refused(_file(tmp_path, bombs.small_valid() + b"\0" * 1000)) == "Tệp quá lớn: tối đa 0,0 MB."
    assert _refused(_file(tmp_path, b"\xd0\xcf\x11\xe0" + b"\0" * 2000, "cu.xls"), "cu.xls").startswith(
        "Tệp quá lớn"
    )


def test_size_limit_message_in_megabytes(tmp_path):
    with override_settings(THIDUA_UPLOAD_MAX_BYTES=20 * uploads.MB):
        assert uploads.too_large_message() == "Tệp quá lớn: tối đa 20 MB."


def test_not_a_zip(tmp_path):
    message = _refused(_file(tmp_path, b"not a spreadsheet"))
    assert message == "Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính."


def test_sparse_declared_range_is_refused_before_calamine(tmp_path, monkeypatch):
    """The 5 KB file of the finding: calamine would allocate 512 GB for it and abort the process."""
    data = bombs.sparse_range()
    assert len(data) < 5 * 1024
    path = _file(tmp_path, data)
    monkeypatch.setattr(CalamineWorkbook, "from_path", None)  # no parser may be reached
    assert _refused(path) == ("Trang tính khai báo vùng A1:XFD1048576 (17 tỷ ô), vượt giới hạn 2.500.000 ô.")


def test_tall_declared_range_is_refused(tmp_path):
    message = _refused(_file(tmp_path, bombs.tall_sheet(300_000)))
    assert message == "Trang tính khai báo vùng A1:B300000 (300.000 dòng), vượt giới hạn 201.000 dòng."


def test_xml_bomb_total_uncompressed_size(tmp_path):
    """1 MB that inflates to 1 GB of sheet XML: refused from the central directory, nothing inflated."""
    data = bombs.xml_bomb(inflated=1024**3)
    assert len(data) < 1.5 * uploads.MB
    assert _refused(_file(tmp_path, data)) == "Tệp nén bất thường (giải nén ra hơn 200 MB): không xử lý."


def test_xml_bomb_with_lying_headers_is_caught_while_streaming(tmp_path):
    """The headers declare 64 KB; the stream gives 50 MB: refused after 64 KB + 1 byte of output."""
    data = bombs.xml_bomb(inflated=50 * uploads.MB, lying=True)
    message = _refused(_file(tmp_path, data))
    assert message == "Tệp nén bất thường (dữ liệu giải nén lớn hơn kích thước khai báo): không xử lý."


def test_compression_ratio(tmp_path):
    message = _refused(_file(tmp_path, bombs.high_ratio()))
    assert message.startswith("Tệp nén bất thường (tỷ lệ nén ") and "tối đa 100:1" in message


def test_too_many_members(tmp_path):
    message = _refused(_file(tmp_path, bombs.many_members(1001)))
    assert message == "Tệp nén bất thường (1.006 thành phần, tối đa 1.000): không xử lý."


def test_ods_gets_the_archive_checks_too(tmp_path):
    path = _file(tmp_path, bombs.xml_bomb(inflated=300 * uploads.MB), "tep.ods")
    assert _refused(path, "tep.ods").startswith("Tệp nén bất thường (giải nén ra hơn 200 MB)")


def test_a_child_killed_by_the_address_space_limit_gives_the_message(tmp_path):
    """No <dimension>: the guard cannot see the 17-billion-cell range, calamine tries to allocate
    512 GB in the child, which aborts; this process gets the message."""
    path = _file(tmp_path, bombs.sparse_range(declare=False))
    uploads.guard(path, "tep.xlsx")  # nothing declared: the sandbox is the bound
    with pytest.raises(uploads.UploadRefused, match="tệp quá phức tạp hoặc bị hỏng"):
        uploads.read_sheet(path, tmp_path / "rows.gz", filename="tep.xlsx")


@override_settings(THIDUA_UPLOAD_READ_MEMORY_BYTES=8 * uploads.MB)
def test_a_tiny_memory_limit_kills_the_child_not_us(tmp_path):
    path = _file(tmp_path, bombs.small_valid())
    with pytest.raises(uploads.UploadRefused) as caught:
        uploads.read_sheet(path, tmp_path / "rows.gz", filename="tep.xlsx")
    assert caught.value.message == "Không đọc được tệp: tệp quá phức tạp hoặc bị hỏng."


@override_settings(THIDUA_UPLOAD_READ_RSS_BYTES=1024)
def test_the_resident_memory_watch_kills_the_child(tmp_path):
    path = _file(tmp_path, bombs.small_valid())
    with pytest.raises(uploads.UploadRefused, match="tệp quá phức tạp hoặc bị hỏng"):
        uploads.read_sheet(path, tmp_path / "rows.gz", filename="tep.xlsx")


@override_settings(THIDUA_UPLOAD_READ_TIMEOUT=0)
def test_a_timeout_kills_the_child(tmp_path):
    path = _file(tmp_path, bombs.small_valid())
    with pytest.raises(uploads.UploadRefused, match="tệp quá phức tạp hoặc bị hỏng"):
        uploads.read_sheet(path, tmp_path / "rows.gz", filename="tep.xlsx")


def test_stored_rows_keep_their_types():
    rows = [
        ["Họ và tên", 1.0, 2, True, None, ""],
        [dt.date(1990, 5, 7), dt.datetime(2020, 1, 2, 3, 4, 5), dt.time(8, 30), dt.timedelta(hours=1)],
    ]
    buffer = io.BytesIO()
    assert uploads.write_rows(rows, buffer) == 2
    buffer.seek(0)
    assert uploads.load_rows(buffer) == rows
    buffer.seek(0)
    assert uploads.load_rows(buffer, 1) == rows[:1]


def test_the_kernel_module_imports_no_app():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(uploads.__file__).read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    apps = {"accounts", "organizations", "members", "clusters", "jobs", "nominations", "reports"}
    assert not {m.split(".")[0] for m in modules} & apps
