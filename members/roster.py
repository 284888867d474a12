"""Member rosters in and out: reading spreadsheets, mapping their columns, validating every row, and
writing .xlsx files (template, error file, export).

Reading uses python-calamine (.xlsx, .xls, .ods; dates come back as `date`/`datetime` when the cell is a
real date). Row numbers in errors are the spreadsheet's own (1-based, title rows counted). Validation
fetches existing people in bulk as plain values (a few queries per chunk of rows, never one per row);
the commit lives in `members.services.roster_import` (fast inserts: `members.roster_db`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import connection
from django.db.models import F, Lookup
from django.utils import timezone
from python_calamine import CalamineError, CalamineWorkbook

from core.text import fold
from organizations.models import OrgUnit

from .choices import Gender, UnionRole
from .models import Membership, Person

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".ods")
HEADER_SCAN_ROWS = 20
CHUNK = 1000


class RosterFileError(Exception):
    """The file cannot be read as a roster (wrong format, no header row, empty). Vietnamese message."""


@dataclass(frozen=True)
class RosterField:
    key: str
    label: str  # the header written in the template and the export
    aliases: tuple[str, ...]  # folded header texts that name this column
    required: bool = False


FIELDS: tuple[RosterField, ...] = (
    RosterField(
        "full_name", "Họ và tên", ("ho va ten", "ho ten", "ho va ten doan vien", "ten doan vien"), True
    ),
    RosterField("gender", "Giới tính", ("gioi tinh", "gioi", "nam nu", "nam/nu", "phai"), True),
    RosterField("birth_date", "Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh")),
    RosterField(
        "citizen_id",
        "Số CCCD",
        (
            "so cccd",
            "cccd",
            "so can cuoc",
            "can cuoc",
            "so can cuoc cong dan",
            "can cuoc cong dan",
            "so cccd/cmnd",
            "cccd/cmnd",
            "so dinh danh",
            "so dinh danh ca nhan",
        ),
    ),
    RosterField("group", "Tổ công đoàn", ("to cong doan", "to cd", "to", "cong doan bo phan", "cd bo phan")),
    RosterField("job_title", "Chức vụ", ("chuc vu", "chuc vu chuyen mon", "chuc danh", "chuc vu, chuc danh")),
    RosterField(
        "union_role", "Chức vụ công đoàn", ("chuc vu cong doan", "chuc vu cd", "chuc danh cong doan")
    ),
    RosterField(
        "union_joined_on",
        "Ngày vào công đoàn",
        (
            "ngay vao cong doan",
            "ngay vao cd",
            "ngay ket nap",
            "ngay ket nap cong doan",
            "ngay gia nhap cong doan",
        ),
    ),
    RosterField("card_number", "Số thẻ đoàn viên", ("so the doan vien", "so the", "so the dv", "ma the")),
    RosterField("phone", "Điện thoại", ("dien thoai", "so dien thoai", "sdt", "dt", "so dt")),
    RosterField("email", "Email", ("email", "e-mail", "thu dien tu", "dia chi email")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
_ALIAS = {alias: f.key for f in FIELDS for alias in f.aliases}
_PUNCT = re.compile(r"[\s.:;*()\[\]_-]+")

GENDER_WORDS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "trai": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "gai": Gender.FEMALE,
}
UNION_ROLE_WORDS = {fold(label): value for value, label in UnionRole.choices} | {
    "uv bch": UnionRole.UV_BCH,
    "uy vien bch": UnionRole.UV_BCH,
    "to truong cong doan": UnionRole.TO_TRUONG,
    "to pho cong doan": UnionRole.TO_PHO,
    "chu tich cong doan": UnionRole.CHU_TICH,
    "pho chu tich cong doan": UnionRole.PHO_CHU_TICH,
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _header_key(text: Any) -> str:
    """Folded header text without punctuation: "Số CCCD (*)" → "so cccd"."""
    if text is None:
        return ""
    return " ".join(_PUNCT.sub(" ", fold(str(text))).split())


def field_for_header(text: Any) -> str | None:
    key = _header_key(text)
    if not key:
        return None
    if key in _ALIAS:
        return _ALIAS[key]
    compact = key.replace(" ", "")
    for alias, field_key in _ALIAS.items():
        if alias.replace(" ", "") == compact:
            return field_key
    return None


# ---------------------------------------------------------------------------------------------- reading
def read_rows(source, filename: str) -> list[list[Any]]:
    """All rows of the first non-empty sheet, as Python values, row 0 = spreadsheet row 1."""
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise RosterFileError("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods).")
    try:
        if isinstance(source, str):
            workbook = CalamineWorkbook.from_path(source)
        else:
            data = source if isinstance(source, bytes) else source.read()
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(any(_present(c) for c in row) for row in rows):
                return rows
    except CalamineError as exc:
        raise RosterFileError("Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính.") from exc
    except Exception as exc:  # calamine raises plain errors for some malformed files
        raise RosterFileError(f"Không đọc được tệp: {exc}") from exc
    raise RosterFileError("Tệp không có dữ liệu.")


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def detect_header(rows: list[list[Any]]) -> int:
    """Index of the header row: the first of the top rows naming the most known columns (≥ 2).
    Title rows and merged banner cells name at most one, so they are skipped."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len({k for k in (field_for_header(c) for c in row) if k})
        if score > best_score:
            best, best_score = index, score
    if best is None:
        raise RosterFileError(
            "Không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Ngày sinh”, “Giới tính”) "
            f"trong {HEADER_SCAN_ROWS} dòng đầu của tệp."
        )
    return best


def guess_mapping(header: list[Any]) -> dict[str, int]:
    """{field key: column index}, first matching column wins."""
    mapping: dict[str, int] = {}
    for index, text in enumerate(header):
        key = field_for_header(text)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def column_name(index: int) -> str:
    """0 → "A", 27 → "AB"."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def display(value: Any) -> str:
    """A cell as the user typed it: dates dd/mm/yyyy, whole numbers without ",0"."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return _text(value)


def header_label(header: list[Any], index: int) -> str:
    text = header[index] if index < len(header) else None
    return str(text).strip() if _present(text) else f"Cột {column_name(index)}"


# -------------------------------------------------------------------------------------------- validation
@dataclass(slots=True)
class RowError:
    row: int  # spreadsheet row number (1-based)
    column: str  # column header as written in the file
    message: str

    def as_text(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.message}"


@dataclass(slots=True)
class ExistingPerson:
    """A person already in the database that a row matched: their id and current values (plain data,
    fetched in bulk; the commit loads model instances only for the people it actually changes)."""

    pk: int
    full_name: str
    values: dict[str, Any]  # services.PERSON_FIELDS as stored


@dataclass(slots=True)
class OpenMembership:
    """The open membership of a matched person (plain data, fetched in bulk)."""

    pk: int
    unit_id: int
    unit_name: str
    unit_path: str
    started_on: dt.date
    union_role: str
    job_title: str
    work_mode: str
    card_number: str


@dataclass(slots=True)
class RosterRecord:
    row: int
    person: dict[str, Any]
    unit: OrgUnit
    union_role: str
    job_title: str
    card_number: str
    group_given: bool = False
    existing: ExistingPerson | None = None
    membership: OpenMembership | None = None  # the existing person's open membership


@dataclass
class RosterPlan:
    unit: OrgUnit
    header_row: int
    records: list[RosterRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.records if r.existing is None)

    @property
    def match_count(self) -> int:
        return sum(1 for r in self.records if r.existing is not None)


_SERIAL_TEXT = re.compile(r"\d{5}(\.0)?")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
_CID_NOISE = re.compile(r"[\s.]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_date(value: Any) -> dt.date:
    """A real date cell, an Excel serial number, or text dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if not 1 <= value < 80000:
            raise ValueError
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if len(text) == 10 and text[2] == text[5] and text[2] in "/.-":  # the common dd/mm/yyyy, no regex
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdecimal() and month.isdecimal() and year.isdecimal():
            return dt.date(int(year), int(month), int(day))
    if _SERIAL_TEXT.fullmatch(text):
        return parse_date(float(text))
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _YMD.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def group_lookup(unit: OrgUnit) -> dict[str, OrgUnit]:
    """Folded names, short names and codes of the member-holding units in the subtree (the unit too)."""
    units = OrgUnit.objects.filter(
        path__startswith=unit.path, unit_type__holds_members=True, valid_to__isnull=True
    ).select_related("unit_type")
    lookup: dict[str, OrgUnit] = {}
    for candidate in sorted(units, key=lambda u: -u.depth):  # the nearer unit wins a name clash
        for text in (candidate.name, candidate.short_name, candidate.code):
            key = fold(text)
            if key:
                lookup[key] = candidate
                for prefix in ("to cong doan ", "to cd ", "cong doan bo phan ", "cd bo phan "):
                    if key.startswith(prefix):
                        lookup[key[len(prefix) :]] = candidate
    return lookup


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _lookup_chunk() -> int:
    """Values per lookup: PostgreSQL takes one large array; SQLite caps bound parameters."""
    if connection.vendor == "postgresql":
        return 20_000
    connection.ensure_connection()
    try:
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # not SQLite, or Python < 3.11
        return CHUNK
    return max(1, min(20_000, limit - 10))


class AnyOf(Lookup):
    """`field IN (…)` whose values travel as ONE array parameter on PostgreSQL (`= ANY(%s)`): no
    per-value placeholder for Django to build and psycopg to parse. Used as `filter(AnyOf(F(f), values))`."""

    lookup_name = "roster_any_of"  # never registered; used as an expression
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def validate(
    *, rows: list[list[Any]], header_row: int, mapping: dict[str, int], unit: OrgUnit, progress=None
) -> RosterPlan:
    """Check every data row; match rows to existing people (citizen ID first, then card number).

    Errors name the spreadsheet row and the column header. Never writes. Per row this is pure Python
    (folded words are memoised, the group list and the existing people are fetched in bulk)."""
    from .services import person_validate

    header = rows[header_row] if header_row < len(rows) else []
    plan = RosterPlan(unit=unit, header_row=header_row)
    if not unit.unit_type.holds_members:
        raise RosterFileError(
            f"“{unit.name}” không có đoàn viên sinh hoạt trực tiếp: hãy nhập danh sách cho công đoàn cơ sở "
            "hoặc tổ công đoàn."
        )
    for key in ("full_name", "gender"):
        if key not in mapping:
            raise RosterFileError(f"Chưa chọn cột cho “{FIELD_BY_KEY[key].label}”.")
    max_rows = getattr(settings, "ROSTER_MAX_ROWS", 200_000)
    data_rows = [(i, row) for i, row in enumerate(rows[header_row + 1 :], start=header_row + 2)]
    data_rows = [
        (n, row)
        for n, row in data_rows
        if any(c is not None and (not isinstance(c, str) or c.strip()) for c in row)  # _present, inlined
    ]
    if len(data_rows) > max_rows:
        raise RosterFileError(
            f"Tệp có {len(data_rows)} dòng, vượt quá giới hạn {max_rows} dòng một lần nhập."
        )
    plan.total_rows = len(data_rows)
    groups = group_lookup(unit)
    today = timezone.localdate()
    active_today: dict[int, bool] = {}
    folded: dict[str, str] = {}  # a roster repeats the same few genders, groups and roles

    def fold_once(text: str) -> str:
        result = folded.get(text)
        if result is None:
            result = folded[text] = fold(text)
        return result

    # every field's cell of a row in one C call; unmapped fields read the None appended to each row
    width = max(mapping.values(), default=0) + 1
    cells = itemgetter(*(mapping.get(f.key, -1) for f in FIELDS))

    def err(row_number: int, key: str, message: str) -> None:
        plan.errors.append(RowError(row_number, header_label(header, mapping[key]), message))

    parsed: list[RosterRecord] = []
    seen_cid: dict[str, int] = {}
    seen_card: dict[str, int] = {}
    for position, (number, row) in enumerate(data_rows):
        if progress and position % 5000 == 0:
            progress(position, len(data_rows))
        errors_before = len(plan.errors)
        (
            raw_name,
            raw_gender,
            raw_birth,
            raw_cid,
            raw_group,
            raw_job,
            raw_role,
            raw_joined,
            raw_card,
            raw_phone,
            raw_email,
        ) = cells(row + [None] * (width - len(row) + 1) if len(row) < width else row + [None])
        words = _text(raw_name).split(" ")  # the same split as core.text.split_full_name
        if len(words) > 1:
            family, middle, given = words[0], " ".join(words[1:-1]), words[-1]
        else:
            family, middle, given = "", "", words[0]
        if not given:
            err(number, "full_name", "Họ và tên không được để trống.")
        gender_text = _text(raw_gender)
        gender = GENDER_WORDS.get(fold_once(gender_text))
        if gender is None:
            err(number, "gender", f"Giới tính “{gender_text}” không hợp lệ: ghi Nam hoặc Nữ.")
        dates: dict[str, dt.date | None] = {}
        for key, raw in (("birth_date", raw_birth), ("union_joined_on", raw_joined)):
            dates[key] = None
            if _present(raw):
                try:
                    dates[key] = parse_date(raw)
                except (ValueError, OverflowError):
                    err(
                        number,
                        key,
                        f"Ngày “{_text(raw)}” không hợp lệ: ghi theo dạng ngày/tháng/năm (dd/mm/yyyy).",
                    )
        citizen_id = None
        if _present(raw_cid):
            if isinstance(raw_cid, float | int) and not isinstance(raw_cid, bool):
                digits = str(int(raw_cid)) if float(raw_cid).is_integer() else str(raw_cid)
                if len(digits) == 12 and digits.isdigit():
                    citizen_id = digits
                else:
                    err(
                        number,
                        "citizen_id",
                        f"Số CCCD “{digits}” có {len(digits)} chữ số, cần đúng 12. "
                        "Ô đang ở dạng số nên có thể đã mất số 0 ở đầu: hãy định dạng cột là Văn bản (Text) "
                        "và nhập lại.",
                    )
            else:
                text = str(raw_cid)
                if not (len(text) == 12 and text.isdigit()):
                    text = _CID_NOISE.sub("", text).lstrip("'")
                if len(text) == 12 and text.isdigit():
                    citizen_id = text
                else:
                    err(
                        number,
                        "citizen_id",
                        f"Số CCCD “{_text(raw_cid)}” không hợp lệ: phải gồm đúng 12 chữ số.",
                    )
            if citizen_id:
                if citizen_id in seen_cid:
                    err(number, "citizen_id", f"Số CCCD trùng với dòng {seen_cid[citizen_id]} trong tệp.")
                else:
                    seen_cid[citizen_id] = number
        card = _text(raw_card)
        if card:
            if len(card) > 30:
                err(number, "card_number", "Số thẻ đoàn viên dài quá 30 ký tự.")
            elif card in seen_card:
                err(number, "card_number", f"Số thẻ đoàn viên trùng với dòng {seen_card[card]} trong tệp.")
            else:
                seen_card[card] = number
        target = unit
        group_text = _text(raw_group)
        if group_text:
            target = groups.get(fold_once(group_text))
            if target is None:
                err(number, "group", f"Không có tổ công đoàn “{group_text}” trong “{unit.name}”.")
                target = unit
        role_text = _text(raw_role)
        union_role = UNION_ROLE_WORDS.get(fold_once(role_text)) if role_text else ""
        if union_role is None:
            err(number, "union_role", f"Chức vụ công đoàn “{role_text}” không có trong danh mục.")
        email = _text(raw_email)
        if email and not _EMAIL.fullmatch(email):
            err(number, "email", f"Email “{email}” không hợp lệ.")
        phone = _text(raw_phone)
        if len(phone) > 20:
            err(number, "phone", "Số điện thoại dài quá 20 ký tự.")
        job_title = _text(raw_job)[:150]
        person = {
            "family_name": family[:50],
            "middle_name": middle[:80],
            "given_name": given[:50],
            "gender": gender or "",
            "birth_date": dates["birth_date"],
            "citizen_id": citizen_id,
            "phone": phone,
            "email": email,
            "union_joined_on": dates["union_joined_on"],
        }
        if len(plan.errors) == errors_before:
            # the shared person rules (age, join date); the citizen ID is checked here in bulk instead
            for key, message in person_validate(data={**person, "citizen_id": None}, today=today).items():
                if key in mapping:
                    err(number, key, message)
                else:
                    plan.errors.append(RowError(number, FIELD_BY_KEY.get(key, FIELDS[0]).label, message))
        active = active_today.get(target.pk)
        if active is None:
            active = active_today[target.pk] = target.is_active_on(today)
        if not active:
            err(number, "group", f"“{target.name}” không còn hiệu lực.")
        parsed.append(
            RosterRecord(
                row=number,
                person=person,
                unit=target,
                union_role=union_role or "",
                job_title=job_title,
                card_number=card,
                group_given=bool(group_text),
            )
        )
    _match_existing(plan, parsed, header, mapping)
    plan.errors.sort(key=lambda e: e.row)
    plan.records = parsed
    if progress:
        progress(len(data_rows), len(data_rows))
    return plan


def _match_existing(plan: RosterPlan, parsed: list[RosterRecord], header, mapping) -> None:
    """Bulk, as plain values (no model instances): people by citizen ID, open memberships by card
    number, then the matched people and their open memberships. A few queries per chunk of rows."""
    from .services import PERSON_FIELDS

    chunk_size = _lookup_chunk()
    pk_by_cid: dict[str, int] = {}
    cids = [r.person["citizen_id"] for r in parsed if r.person["citizen_id"]]
    for chunk in _chunks(cids, chunk_size):
        pk_by_cid.update(
            Person.objects.filter(AnyOf(F("citizen_id"), chunk)).order_by().values_list("citizen_id", "pk")
        )
    holder_by_card: dict[str, tuple[int, str]] = {}
    cards = [r.card_number for r in parsed if r.card_number]
    for chunk in _chunks(cards, chunk_size):
        for card, person_pk, name in (
            Membership.objects.filter(AnyOf(F("card_number"), chunk), ended_on__isnull=True)
            .order_by()
            .values_list("card_number", "person_id", "person__full_name")
        ):
            holder_by_card[card] = (person_pk, name)
    matched_pk: list[int | None] = []
    for record in parsed:
        cid = record.person["citizen_id"]
        pk = pk_by_cid.get(cid) if cid else None
        holder = holder_by_card.get(record.card_number) if record.card_number else None
        if pk is None and holder is not None:
            pk = holder[0]
        elif pk is not None and holder is not None and holder[0] != pk:
            plan.errors.append(
                RowError(
                    record.row,
                    header_label(header, mapping["card_number"]),
                    f"Số thẻ đoàn viên đã cấp cho đoàn viên khác ({holder[1]}).",
                )
            )
        matched_pk.append(pk)
    wanted = sorted({pk for pk in matched_pk if pk is not None})
    people: dict[int, ExistingPerson] = {}
    open_by_person: dict[int, OpenMembership] = {}
    for chunk in _chunks(wanted, chunk_size):
        for pk, full_name, *values in (
            Person.objects.filter(AnyOf(F("pk"), chunk))
            .order_by()
            .values_list("pk", "full_name", *PERSON_FIELDS)
        ):
            people[pk] = ExistingPerson(pk, full_name, dict(zip(PERSON_FIELDS, values, strict=True)))
        for person_pk, *values in (
            Membership.objects.filter(AnyOf(F("person_id"), chunk), ended_on__isnull=True)
            .order_by()
            .values_list(
                "person_id",
                "pk",
                "unit_id",
                "unit__name",
                "unit__path",
                "started_on",
                "union_role",
                "job_title",
                "work_mode",
                "card_number",
            )
        ):
            open_by_person[person_pk] = OpenMembership(*values)
    seen_person: dict[int, int] = {}
    for record, pk in zip(parsed, matched_pk, strict=True):
        if pk is None:
            continue
        record.existing = people[pk]
        if pk in seen_person:
            plan.errors.append(
                RowError(
                    record.row,
                    FIELD_BY_KEY["full_name"].label,
                    f"Cùng một đoàn viên với dòng {seen_person[pk]} (trùng số CCCD hoặc số thẻ).",
                )
            )
            continue
        seen_person[pk] = record.row
        record.membership = open_by_person.get(pk)
        if record.membership is not None and not record.membership.unit_path.startswith(plan.unit.path):
            column = "citizen_id" if record.person["citizen_id"] else "card_number"
            plan.errors.append(
                RowError(
                    record.row,
                    header_label(header, mapping[column]),
                    f"Đoàn viên {record.existing.full_name} đang sinh hoạt tại "
                    f"“{record.membership.unit_name}”, ngoài đơn vị đang nhập: "
                    "cần làm thủ tục chuyển sinh hoạt.",
                )
            )


# ------------------------------------------------------------------------------------------ xlsx writers
def _workbook(buffer: io.BytesIO):
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "text": workbook.add_format({"num_format": "@"}),
        "error": workbook.add_format({"font_color": "#C00000", "text_wrap": True}),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
    }
    return workbook, formats


def template_workbook() -> bytes:
    buffer = io.BytesIO()
    workbook, fmt = _workbook(buffer)
    sheet = workbook.add_worksheet("Danh sách đoàn viên")
    for col, f in enumerate(FIELDS):
        sheet.write_string(0, col, f.label + (" (*)" if f.required else ""), fmt["header"])
        sheet.set_column(
            col, col, 22, fmt["text"] if f.key in ("citizen_id", "card_number", "phone") else None
        )
    sample = [
        "Nguyễn Thị Thu Hà",
        "Nữ",
        dt.date(1990, 3, 15),
        "001190012345",
        "Tổ công đoàn Phòng Nội vụ",
        "Chuyên viên",
        "Đoàn viên",
        dt.date(2015, 6, 1),
        "0100000123",
        "0912345678",
        "ha.ntt@example.vn",
    ]
    for col, value in enumerate(sample):
        if isinstance(value, dt.date):
            sheet.write_datetime(1, col, dt.datetime.combine(value, dt.time()), fmt["date"])
        else:
            sheet.write_string(1, col, value)
    notes = workbook.add_worksheet("Hướng dẫn")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(
        [
            "Điền mỗi đoàn viên một dòng, bắt đầu từ dòng 2 (xóa dòng ví dụ). Cột có (*) là bắt buộc.",
            "Ngày ghi theo dạng ngày/tháng/năm (15/03/1990) hoặc định dạng ô kiểu Ngày.",
            "Số CCCD gồm đúng 12 chữ số; định dạng cột là Văn bản để không mất số 0 ở đầu.",
            "Giới tính: Nam hoặc Nữ. Tổ công đoàn: ghi đúng tên tổ như trên hệ thống (có thể không dấu).",
            "Chức vụ công đoàn: Chủ tịch, Phó Chủ tịch, Ủy viên Ban Chấp hành, Tổ trưởng, Tổ phó, Đoàn viên.",
            "Nhập lại cùng một tệp sẽ cập nhật đoàn viên đã có (khớp theo số CCCD, rồi số thẻ), "
            "không tạo trùng.",
        ]
    ):
        notes.write_string(row, 0, line)
    workbook.close()
    return buffer.getvalue()


def _write_cell(sheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), fmt["date"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt["date"])
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.timedelta | dt.time):
        sheet.write_string(row, col, str(value))
    else:
        sheet.write_string(row, col, str(value))


def error_workbook(*, rows: list[list[Any]], header_row: int, errors: list[RowError]) -> bytes:
    """The uploaded sheet back, row for row, with a "Lỗi" column after the last one."""
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    width = max((len(r) for r in rows), default=0)
    buffer = io.BytesIO()
    workbook, fmt = _workbook(buffer)
    sheet = workbook.add_worksheet("Danh sách")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, fmt)
        if r == header_row:
            sheet.write_string(r, width, "Lỗi", fmt["header"])
        elif r + 1 in by_row:
            sheet.write_string(r, width, "; ".join(by_row[r + 1]), fmt["error"])
    sheet.set_column(width, width, 60)
    sheet.freeze_panes(header_row + 1, 0)
    workbook.close()
    return buffer.getvalue()


EXPORT_COLUMNS = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Giới tính", 9),
    ("Ngày sinh", 12),
    ("Số CCCD", 16),
    ("Tổ công đoàn", 30),
    ("Chức vụ", 20),
    ("Chức vụ công đoàn", 20),
    ("Ngày vào công đoàn", 14),
    ("Số thẻ đoàn viên", 16),
    ("Điện thoại", 14),
    ("Email", 26),
)


def export_workbook(*, title: str, rows: Iterable[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook, fmt = _workbook(buffer)
    sheet = workbook.add_worksheet("Danh sách đoàn viên")
    sheet.write_string(0, 0, title, fmt["title"])
    for col, (label, width) in enumerate(EXPORT_COLUMNS):
        sheet.write_string(2, col, label, fmt["header"])
        sheet.set_column(col, col, width)
    r = 2
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, fmt)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(r, 3), len(EXPORT_COLUMNS) - 1)
    workbook.close()
    return buffer.getvalue()


def mapping_choices() -> list[tuple[str, str]]:
    return [(f.key, f.label) for f in FIELDS]
