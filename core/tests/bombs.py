"""Hostile spreadsheets, generated (never stored in the repository): used by the upload-guard tests and by
`bench/upload_bombs.py`. The zip is written by hand so that sizes can be declared as the attacker likes
and a 1 GB sheet is deflated once per megabyte (full-flush blocks repeat byte for byte)."""

from __future__ import annotations

import struct
import zlib

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook {NS} xmlns:r="{REL_NS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


class Member:
    def __init__(self, name: str, deflated: bytes, crc: int, size: int, declared: int | None = None):
        self.name = name.encode()
        self.deflated = deflated
        self.crc = crc
        self.size = size  # what it really inflates to
        self.declared = size if declared is None else declared  # what the headers say


def plain(name: str, text: str | bytes) -> Member:
    data = text.encode() if isinstance(text, str) else text
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes, declared: int | None = None):
    """head + chunk × times + tail, deflated with the chunk compressed once (Z_FULL_FLUSH resets the
    dictionary, so each repetition deflates to the same bytes)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    return Member(name, start + block * times + end, crc, size, declared)


def build_zip(members: list[Member]) -> bytes:
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, m.crc, len(m.deflated), m.declared, len(m.name), 0)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + m.name + m.deflated
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                m.crc,
                len(m.deflated),
                m.declared,
                len(m.name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + m.name
        )
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + end)


def xlsx(sheet: Member, extra: list[Member] | None = None) -> bytes:
    return build_zip(
        [
            plain("[Content_Types].xml", CONTENT_TYPES),
            plain("_rels/.rels", ROOT_RELS),
            plain("xl/workbook.xml", WORKBOOK),
            plain("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            sheet,
            *(extra or []),
        ]
    )


def sheet_xml(dimension: str | None, cells: list[tuple[str, str]]) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    rows: dict[int, list[str]] = {}
    for ref, text in cells:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(row, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}>{dim}<sheetData>{body}</sheetData></worksheet>'


HEADER = [("A1", "Họ và tên"), ("B1", "Giới tính"), ("A2", "Nguyễn Văn An"), ("B2", "Nam")]


def sparse_range(*, declare: bool = True) -> bytes:
    """About 1 KB: a sheet spanning A1:XFD1048576 (two real cells at opposite corners). calamine
    allocates rows × cols cells (17 billion: 512 GB) for it and aborts the process. With
    `declare=False` the <dimension> is left out, so only the sandbox can stop it."""
    cells = [*HEADER, ("XFD1048576", "x")]
    return xlsx(plain("xl/worksheets/sheet1.xml", sheet_xml("A1:XFD1048576" if declare else None, cells)))


def xml_bomb(*, inflated: int = 1024**3, lying: bool = False) -> bytes:
    """About inflated/1000 bytes (1 MB for 1 GB): a sheet whose XML inflates to `inflated` bytes of rows.
    `lying=True` declares a 64 KB sheet in the zip headers."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}>'
        '<dimension ref="A1:B2"/><sheetData>'
    ).encode()
    tail = b"</sheetData></worksheet>"
    row = b"<row><c><v>1</v></c><c><v>2</v></c></row>"
    chunk = row + b" " * (1024 * 1024 - len(row))  # long runs deflate about 1000:1
    times = max(inflated // len(chunk), 1)
    return xlsx(repeated("xl/worksheets/sheet1.xml", head, chunk, times, tail, 64 * 1024 if lying else None))


def many_members(count: int = 1001) -> bytes:
    return xlsx(
        plain("xl/worksheets/sheet1.xml", sheet_xml("A1:B2", HEADER)),
        [plain(f"xl/media/p{i}.bin", b"x") for i in range(count)],
    )


def high_ratio(size: int = 5 * 1024 * 1024) -> bytes:
    """A 5 MB part of zeros (deflated about 1000:1) — under the total limit, over the ratio limit."""
    return xlsx(
        plain("xl/worksheets/sheet1.xml", sheet_xml("A1:B2", HEADER)),
        [repeated("xl/media/blank.bin", b"", b"\0" * 65536, size // 65536, b"")],
    )


def tall_sheet(rows: int = 300_000) -> bytes:
    return xlsx(plain("xl/worksheets/sheet1.xml", sheet_xml(f"A1:B{rows}", HEADER)))


def small_valid() -> bytes:
    return xlsx(plain("xl/worksheets/sheet1.xml", sheet_xml("A1:B2", HEADER)))
