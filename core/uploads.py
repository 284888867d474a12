"""The one guard for uploaded spreadsheets, run BEFORE any parser sees the bytes, and the sandboxed read.

`guard(path, filename)` refuses, with a Vietnamese message (`UploadRefused`):
- a file over `THIDUA_UPLOAD_MAX_BYTES` (also stopped while the request is read: `limit_upload_size`);
- for the zip-based formats (.xlsx, .ods), from the central directory: too many members, a total declared
  uncompressed size over `THIDUA_UPLOAD_MAX_UNCOMPRESSED_BYTES`, a member's compression ratio over
  `THIDUA_UPLOAD_MAX_COMPRESSION_RATIO`; then every member is inflated as a stream (never held in
  memory) and refused as soon as it gives more bytes than it declares (a lying header);
- for .xlsx, each worksheet's `<dimension ref="…"/>` (read from the first KB of its XML) over
  `THIDUA_UPLOAD_MAX_CELLS` cells or `THIDUA_UPLOAD_MAX_SHEET_ROWS` rows.
.xls (OLE) files get the size limit only; every format then goes through the sandbox.

`read_sheet(path, dest, sheet=None)` parses in a CHILD process (`python -m core.uploads read …`) under
`RLIMIT_AS = THIDUA_UPLOAD_READ_MEMORY_BYTES` and a timeout (`THIDUA_UPLOAD_READ_TIMEOUT`): calamine can
still abort on a hostile file it was not refused for; the child dies, the caller gets a message and lives.
The child streams ONE sheet into `dest` as gzip JSON lines (one row a line, typed dates), which
`iter_rows` / `load_rows` read back — the spreadsheet itself is parsed once. The sheet is the one named,
else the sheet the file opens on (.xlsx `activeTab`, .ods `ActiveTable`) when it is visible, else the
first visible non-empty sheet: a hidden sheet is read only when named. Beside the rows the child reports
every sheet's name, visibility and emptiness and the read sheet's merged ranges (0-based, capped at
`MAX_MERGED`), through a small JSON file next to `dest` (a pipe would fill up and block the child).

The kernel module: it imports no app (the limits are settings, the callers pass their own messages).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import logging
import os
import re
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.numbers import fmt_int
from core.text import normalize

MB = 1024 * 1024
DEFAULTS = {
    "THIDUA_UPLOAD_MAX_BYTES": 20 * MB,
    "THIDUA_UPLOAD_MAX_UNCOMPRESSED_BYTES": 200 * MB,
    "THIDUA_UPLOAD_MAX_COMPRESSION_RATIO": 100,
    "THIDUA_UPLOAD_MAX_ZIP_MEMBERS": 1000,
    "THIDUA_UPLOAD_MAX_CELLS": 2_500_000,
    "THIDUA_UPLOAD_MAX_SHEET_ROWS": 201_000,
    "THIDUA_UPLOAD_READ_MEMORY_BYTES": 384 * MB,
    "THIDUA_UPLOAD_READ_RSS_BYTES": 272 * MB,
    "THIDUA_UPLOAD_READ_TIMEOUT": 120,
}
ZIP_KINDS = (".xlsx", ".xlsm", ".ods")
RATIO_FLOOR = 1 * MB  # members smaller than this are not judged by their ratio (tiny XML parts compress well)
DIMENSION_PROBE = 4096  # bytes of a worksheet's XML read to find its <dimension>
CHUNK = 64 * 1024
POLL = 0.005  # seconds between two looks at the child's resident memory
MAX_MERGED = 20_000  # merged ranges reported for the read sheet (an office file has a few dozen)
ACTIVE_PROBE = 256 * 1024  # bytes of xl/workbook.xml / settings.xml read to find the sheet the file opens on
logger = logging.getLogger(__name__)

NOT_A_SPREADSHEET = "Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính."
TOO_COMPLEX = "Không đọc được tệp: tệp quá phức tạp hoặc bị hỏng."
NO_DATA = "Tệp không có dữ liệu."

_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_ACTIVE_TAB = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?workbookView\b[^>]*?\bactiveTab=\"(\d{1,5})\"")
_ODS_ACTIVE = re.compile(
    rb"<config:config-item\s+config:name=\"ActiveTable\"\s+config:type=\"string\">([^<]{1,200})</config:config-item>"
)


class UploadRefused(Exception):
    """The upload is refused before (or instead of) being parsed. `message` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def limit(name: str) -> int:
    from django.conf import settings

    return int(getattr(settings, name, DEFAULTS[name]))


def _mb(size: int) -> str:
    return fmt_int(round(size / MB)) if size >= MB else f"{size / MB:.1f}".replace(".", ",")


def too_large_message() -> str:
    return f"Tệp quá lớn: tối đa {_mb(limit('THIDUA_UPLOAD_MAX_BYTES'))} MB."


def _big(count: int) -> str:
    """17179869184 → "17 tỷ"; 2500000 → "3 triệu"; 12000 → "12.000"."""
    if count >= 10**9:
        return f"{fmt_int(round(count / 10**9))} tỷ"
    if count >= 10**7:
        return f"{fmt_int(round(count / 10**6))} triệu"
    return fmt_int(count)


# ---- the guard -------------------------------------------------------------------------------------------


def guard(path: str | os.PathLike, filename: str) -> None:
    """Refuse a hostile or oversized spreadsheet before any parser reads it (see the module text)."""
    size = os.path.getsize(path)
    if size > limit("THIDUA_UPLOAD_MAX_BYTES"):
        raise UploadRefused(too_large_message())
    if filename.lower().endswith(ZIP_KINDS):
        _guard_zip(path, xlsx=not filename.lower().endswith(".ods"))


def _guard_zip(path, *, xlsx: bool) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused(NOT_A_SPREADSHEET) from exc
    with archive:
        members = archive.infolist()
        max_members = limit("THIDUA_UPLOAD_MAX_ZIP_MEMBERS")
        if len(members) > max_members:
            raise UploadRefused(
                f"Tệp nén bất thường ({fmt_int(len(members))} thành phần, tối đa {fmt_int(max_members)}): "
                "không xử lý."
            )
        max_total = limit("THIDUA_UPLOAD_MAX_UNCOMPRESSED_BYTES")
        if sum(m.file_size for m in members) > max_total:
            raise UploadRefused(f"Tệp nén bất thường (giải nén ra hơn {_mb(max_total)} MB): không xử lý.")
        max_ratio = limit("THIDUA_UPLOAD_MAX_COMPRESSION_RATIO")
        for member in members:
            if member.file_size > RATIO_FLOOR and member.file_size > max_ratio * max(member.compress_size, 1):
                ratio = member.file_size // max(member.compress_size, 1)
                raise UploadRefused(
                    f"Tệp nén bất thường (tỷ lệ nén {fmt_int(ratio)}:1, tối đa {fmt_int(max_ratio)}:1): "
                    "không xử lý."
                )
        with open(path, "rb") as raw:
            for member in members:
                _verify_inflated_size(raw, member)
        if xlsx:
            for member in members:
                if _WORKSHEET.match(member.filename):
                    with archive.open(member) as handle:
                        head = handle.read(DIMENSION_PROBE)
                    _check_dimension(head)


def _verify_inflated_size(raw, member: zipfile.ZipInfo) -> None:
    """Inflate the member's bytes as a stream and refuse it when it gives more than it declares
    (calamine trusts the declared sizes only so far). Memory: one chunk at a time."""
    lying = UploadRefused("Tệp nén bất thường (dữ liệu giải nén lớn hơn kích thước khai báo): không xử lý.")
    if member.flag_bits & 0x1:  # encrypted: no spreadsheet reader opens it
        raise UploadRefused(NOT_A_SPREADSHEET)
    raw.seek(member.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise UploadRefused(NOT_A_SPREADSHEET)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(member.header_offset + 30 + name_len + extra_len)
    left = member.compress_size
    if member.compress_type == zipfile.ZIP_STORED:
        if member.compress_size != member.file_size:
            raise lying
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise UploadRefused(NOT_A_SPREADSHEET)
    inflater = zlib.decompressobj(-15)
    budget = member.file_size
    produced = 0
    try:
        while left > 0 or inflater.unconsumed_tail:
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            else:
                data = raw.read(min(CHUNK, left))
                if not data:
                    break
                left -= len(data)
            out = inflater.decompress(data, budget - produced + 1)
            produced += len(out)
            if produced > budget:
                raise lying
            if inflater.eof:
                break
    except zlib.error as exc:
        raise UploadRefused(NOT_A_SPREADSHEET) from exc


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _check_dimension(head: bytes) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return  # no declared range: the sandbox bounds the read
    ref = match.group(1).decode("ascii", "replace")
    corners = [_CELL_REF.match(part.strip()) for part in ref.split(":")]
    if not corners or len(corners) > 2 or not all(corners):
        return
    cols = [_column_number(c.group(1)) for c in corners]
    rows = [int(c.group(2)) for c in corners]
    height, width = max(rows) - min(rows) + 1, max(cols) - min(cols) + 1
    shown = ref.upper().replace("$", "")
    max_cells = limit("THIDUA_UPLOAD_MAX_CELLS")
    if height * width > max_cells:
        raise UploadRefused(
            f"Trang tính khai báo vùng {shown} ({_big(height * width)} ô), "
            f"vượt giới hạn {fmt_int(max_cells)} ô."
        )
    max_rows = limit("THIDUA_UPLOAD_MAX_SHEET_ROWS")
    if height > max_rows:
        raise UploadRefused(
            f"Trang tính khai báo vùng {shown} ({fmt_int(height)} dòng), vượt giới hạn {fmt_int(max_rows)} dòng."
        )


# ---- the size limit while the request is read ------------------------------------------------------------


def limit_upload_size(view):
    """Decorate an upload view: a file over THIDUA_UPLOAD_MAX_BYTES is dropped while the request is read
    (never written to disk) and `request.upload_too_large` is set for the view to show the message.
    The handler must be installed before the CSRF check reads the body (Django's documented pattern)."""
    from functools import wraps

    from django.core.files.uploadhandler import FileUploadHandler, SkipFile
    from django.views.decorators.csrf import csrf_exempt, csrf_protect

    class SizeLimitUploadHandler(FileUploadHandler):
        def __init__(self, request):
            super().__init__(request)
            self.maximum = limit("THIDUA_UPLOAD_MAX_BYTES")

        def new_file(self, field_name, file_name, content_type, content_length, charset=None, extra=None):
            super().new_file(field_name, file_name, content_type, content_length, charset, extra)
            if content_length is not None and content_length > self.maximum:
                self._refuse()

        def receive_data_chunk(self, raw_data, start):
            if start + len(raw_data) > self.maximum:
                self._refuse()
            return raw_data

        def file_complete(self, file_size):
            return None

        def _refuse(self):
            self.request.upload_too_large = True
            raise SkipFile()

    protected = csrf_protect(view)

    @wraps(view)
    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_too_large = False
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper


# ---- the stored rows -------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"td": value.total_seconds()}
    return str(value)


def _decode(obj: dict) -> Any:
    if "dt" in obj:
        return dt.datetime.fromisoformat(obj["dt"])
    if "d" in obj:
        return dt.date.fromisoformat(obj["d"])
    if "t" in obj:
        return dt.time.fromisoformat(obj["t"])
    if "td" in obj:
        return dt.timedelta(seconds=obj["td"])
    return obj


def write_rows(rows, handle) -> int:
    """Rows (lists of cells) as gzip JSON lines into a binary handle; returns the number of rows."""
    count = 0
    with gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=5) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=_encode).encode() + b"\n")
            count += 1
    return count


def iter_rows(handle, limit_rows: int | None = None) -> Iterator[list[Any]]:
    """The stored rows back, one at a time (dates as dates); only `limit_rows` of them if given."""
    with gzip.GzipFile(fileobj=handle, mode="rb") as source:
        for index, line in enumerate(source):
            if limit_rows is not None and index >= limit_rows:
                return
            yield json.loads(line, object_hook=_decode)


def load_rows(handle, limit_rows: int | None = None) -> list[list[Any]]:
    return list(iter_rows(handle, limit_rows))


# ---- the sandboxed read ----------------------------------------------------------------------------------


def read_sheet(
    path: str | os.PathLike, dest: str | os.PathLike, *, filename: str, sheet: str | None = None
) -> dict:
    """Guard, then parse one sheet of `path` in a child process bounded in memory and time; the rows go
    to `dest` (gzip JSON lines). `sheet`: a sheet's name; by default the sheet the file opens on when it
    is visible, else the first visible non-empty sheet (a hidden sheet is never the default).

    Returns {"rows": n, "sheet": name read, "sheets": [{"name", "visible", "empty"}, …] (every sheet, in
    the file's order), "merged": [[first_row, first_col, last_row, last_col], …] (0-based, the read
    sheet's merged ranges, at most `MAX_MERGED`), "peak_rss": bytes}.
    `UploadRefused` on any refusal, and on a child that dies (address-space limit, abort), grows past the
    resident-memory limit, times out, or finds no data (or no sheet of that name).

    Two bounds: RLIMIT_AS (`THIDUA_UPLOAD_READ_MEMORY_BYTES`) is hard but counts reserved address space
    (calamine's vectors reserve about twice what they touch), so it sits above the resident limit
    (`THIDUA_UPLOAD_READ_RSS_BYTES`) that this process watches every few milliseconds and kills at."""
    guard(path, filename)
    active = _active_sheet(path, filename)  # after the guard: the archive is known to be sane
    memory = limit("THIDUA_UPLOAD_READ_MEMORY_BYTES")
    resident = limit("THIDUA_UPLOAD_READ_RSS_BYTES")
    deadline = time.monotonic() + limit("THIDUA_UPLOAD_READ_TIMEOUT")
    meta_path = f"{os.fspath(dest)}.meta.json"
    command = [
        sys.executable,
        "-m",
        "core.uploads",
        "read",
        os.fspath(path),
        os.fspath(dest),
        str(memory),
        sheet or "",
        active,
    ]
    child = subprocess.Popen(  # noqa: S603 — our own interpreter and module, paths as arguments
        command,
        cwd=Path(__file__).resolve().parent.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RUST_BACKTRACE": "0"},
    )
    peak = 0
    try:
        while child.poll() is None:
            peak = max(peak, _resident(child.pid))
            if peak > resident or time.monotonic() > deadline:
                child.kill()
                child.wait()
                logger.warning("upload read killed: %s (%s bytes resident)", filename, peak)
                raise UploadRefused(TOO_COMPLEX)
            time.sleep(POLL)
        output = child.stdout.read().decode(errors="replace").strip()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    try:
        answer = json.loads(output.splitlines()[-1]) if output else {}
    except (ValueError, IndexError):
        answer = {}
    meta = _take_meta(meta_path)
    if child.returncode == 0 and "rows" in answer:
        return {"sheet": "", "sheets": [], "merged": []} | meta | answer | {"peak_rss": peak}
    if child.returncode == 2 and answer.get("error"):
        raise UploadRefused(answer["error"])
    logger.warning("upload read failed: %s (exit %s)", filename, child.returncode)
    raise UploadRefused(TOO_COMPLEX)


def _take_meta(meta_path: str) -> dict:
    """The child's report on the workbook (sheets, merged ranges), read once and removed."""
    try:
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
    except (OSError, ValueError):
        return {}
    finally:
        with contextlib.suppress(OSError):
            os.unlink(meta_path)
    return meta if isinstance(meta, dict) else {}


def _active_sheet(path, filename: str) -> str:
    """The sheet the file opens on, as the file says: "i:N" (.xlsx `<workbookView activeTab="N">`, an
    index among all sheets), "n:NAME" (.ods `ActiveTable` in settings.xml), or "" (.xls, or not said).
    Only the first `ACTIVE_PROBE` bytes of the part are read."""
    lower = filename.lower()
    if not lower.endswith(ZIP_KINDS):
        return ""
    part, pattern = (
        ("settings.xml", _ODS_ACTIVE) if lower.endswith(".ods") else ("xl/workbook.xml", _ACTIVE_TAB)
    )
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as handle:
            head = handle.read(ACTIVE_PROBE)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return ""
    match = pattern.search(head)
    if not match:
        return ""
    if pattern is _ACTIVE_TAB:
        return f"i:{int(match.group(1))}"
    from xml.sax.saxutils import unescape

    name = unescape(match.group(1).decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
    return f"n:{name}"


def _resident(pid: int) -> int:
    """VmRSS of a process in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _child_read(source: str, dest: str, memory: int, wanted: str = "", active: str = "") -> int:
    """In the child: bound the address space first, then let calamine read (see `read_sheet`)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
    except (MemoryError, ImportError):  # the limit is below what the reader itself needs
        return 3
    try:
        workbook = CalamineWorkbook.from_path(source)
        names = list(workbook.sheet_names)
        try:
            visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
        except Exception:  # noqa: BLE001 — no metadata: every sheet counts as visible
            visible = {}
        sheets = [{"name": name, "visible": visible.get(name, True), "empty": True} for name in names]
        for entry in sheets:
            entry["empty"] = workbook.get_sheet_by_name(entry["name"]).start is None
        if wanted:
            if wanted not in names:
                message = f"Tệp không có trang tính “{wanted}”."
                print(json.dumps({"error": message}, ensure_ascii=False))
                return 2
            order = [wanted]
        else:
            order = [e["name"] for e in sheets if e["visible"] and not e["empty"]]
            opened = _opened_sheet(active, names)
            if opened in order:
                order.remove(opened)
                order.insert(0, opened)
        for name in order:
            sheet = workbook.get_sheet_by_name(name)
            with open(dest, "wb") as handle:
                count = write_rows(_padded(sheet), handle)
            if count:
                merged = _ods_merged(source, name) if source.lower().endswith(".ods") else _merged(sheet)
                _write_meta(dest, {"sheet": name, "sheets": sheets, "merged": merged})
                print(json.dumps({"rows": count}))
                return 0
            next(e for e in sheets if e["name"] == name)["empty"] = True
    except MemoryError:
        return 3
    except CalamineError:
        print(json.dumps({"error": NOT_A_SPREADSHEET}, ensure_ascii=False))
        return 2
    except Exception:  # calamine raises plain errors for some malformed files
        print(json.dumps({"error": NOT_A_SPREADSHEET}, ensure_ascii=False))
        return 2
    print(json.dumps({"error": NO_DATA}, ensure_ascii=False))
    return 2


def _opened_sheet(active: str, names: list[str]) -> str | None:
    if active.startswith("i:") and active[2:].isdigit():
        index = int(active[2:])
        return names[index] if index < len(names) else None
    if active.startswith("n:"):
        return active[2:] if active[2:] in names else None
    return None


def _merged(sheet) -> list[list[int]]:
    """The sheet's merged ranges as [first_row, first_col, last_row, last_col] (0-based, sheet
    coordinates like the stored rows), at most `MAX_MERGED`; [] when the format gives none (None)."""
    try:
        ranges = sheet.merged_cell_ranges
        if callable(ranges):
            ranges = ranges()
    except Exception:  # noqa: BLE001 — a format without merged ranges
        return []
    merged = []
    for (first_row, first_col), (last_row, last_col) in ranges or ():
        if last_row > first_row or last_col > first_col:
            merged.append([int(first_row), int(first_col), int(last_row), int(last_col)])
            if len(merged) >= MAX_MERGED:
                break
    return merged


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merged(source: str, sheet_name: str) -> list[list[int]]:
    """The merged ranges of an .ods sheet, which calamine does not report: read from `content.xml` as a
    stream (cells with `table:number-rows-spanned` / `number-columns-spanned`; repeated rows and cells
    counted), in the same 0-based coordinates as the stored rows; at most `MAX_MERGED`."""
    from xml.etree.ElementTree import iterparse  # noqa: S405 — our guarded upload, in the sandboxed child

    t = _ODS_TABLE
    merged: list[list[int]] = []
    try:
        with zipfile.ZipFile(source) as archive, archive.open("content.xml") as content:
            inside, row = False, 0
            for event, element in iterparse(content, events=("start", "end")):  # noqa: S314
                if element.tag == f"{t}table":
                    if event == "start":
                        inside = element.get(f"{t}name") == sheet_name
                        row = 0
                    elif inside:
                        break
                    continue
                if not inside or event != "end" or element.tag != f"{t}table-row":
                    continue
                repeat = int(element.get(f"{t}number-rows-repeated", "1") or 1)
                col = 0
                for cell in element:
                    span = int(cell.get(f"{t}number-columns-repeated", "1") or 1)
                    rows_spanned = int(cell.get(f"{t}number-rows-spanned", "1") or 1)
                    cols_spanned = int(cell.get(f"{t}number-columns-spanned", "1") or 1)
                    if cell.tag == f"{t}table-cell" and (rows_spanned > 1 or cols_spanned > 1):
                        merged.append([row, col, row + rows_spanned - 1, col + cols_spanned - 1])
                        if len(merged) >= MAX_MERGED:
                            return merged
                    col += span
                row += repeat
                element.clear()
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        return merged
    return merged


def _write_meta(dest: str, meta: dict) -> None:
    with open(f"{dest}.meta.json", "w", encoding="utf-8") as handle:
        json.dump(meta, handle, ensure_ascii=False)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _padded(sheet) -> Iterator[list[Any]]:
    """The sheet's rows as `to_python(skip_empty_area=False)` gives them (row 0 = spreadsheet row 1), one
    at a time, without its trailing empty rows; nothing if the sheet holds no value. (`iter_rows` already
    starts at the sheet's first row, but at the range's first column.)"""
    start = sheet.start
    if start is None:
        return
    lead = [""] * start[1]
    pending = 0  # empty rows seen since the last row with a value
    for row in sheet.iter_rows():
        if any(_present(c) for c in row):
            for _ in range(pending):
                yield [""] * (len(lead) + len(row))
            pending = 0
            yield lead + [normalize(c) if isinstance(c, str) else c for c in row]
        else:
            pending += 1


def main(argv: list[str]) -> int:
    if 4 <= len(argv) <= 6 and argv[0] == "read":
        return _child_read(argv[1], argv[2], int(argv[3]), *argv[4:])
    print(
        "usage: python -m core.uploads read SOURCE DEST MEMORY_BYTES [SHEET [i:ACTIVE_INDEX|n:NAME]]",
        file=sys.stderr,
    )
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
