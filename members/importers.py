"""Import kind "doan-vien": a member roster (danh sách đoàn viên) as offices keep it, into a union unit and
its union groups — the roster on the one import framework (`imports.kinds`).

The framework reads the file (header, noise rows, merged cells, name parts joined, genders from the
"Nam"/"Nữ" sub-columns, "x" marks or "Ông/Bà", the birth date written under "Nam"/"Nữ", the text of the
section row above each row). Every other cell reaches this kind as read (`RAW`): `members.roster.validate`
does the roster's own value parsing — citizen IDs, the day/month order of each date column, legacy
TCVN3/VNI names, "Năm sinh" years, title case — once. The rows are handed to it as "virtual rows": a header
row, then each spreadsheet row at its own number (the others empty, which validate skips), so its messages
name the spreadsheet's rows. The commit is `members.services.roster_import` (all-or-nothing, bulk writes).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.access import Action, can, require
from core.exceptions import ServiceError
from core.text import fold
from imports.kinds import (
    GENDER,
    RAW,
    CellError,
    Column,
    ImportInvalid,
    ImportKind,
    Outcome,
    RowPlan,
    Source,
    SourceRow,
    register,
)

from . import roster
from .models import Person
from .services import IMPORT_MEMBERSHIP_FIELDS, IMPORT_PERSON_FIELDS, RosterInvalid, roster_import

KEY = "doan-vien"
YEAR_ONLY = "Năm sinh"  # validate reads a birth column headed so as years (01/01 of the year)

_HINTS = {
    "birth_date": "dd/mm/yyyy",
    "citizen_id": "12 chữ số",
    "gender": "Nam hoặc Nữ",
    "group": "tên tổ như trên hệ thống",
}


def _column(field: roster.RosterField) -> Column:
    aliases = field.aliases
    if field.key == "birth_date":  # "Năm sinh" is its own column (years only), below
        aliases = tuple(a for a in aliases if a != "nam sinh")
    return Column(
        field.key,
        field.label,
        aliases,
        GENDER if field.key == "gender" else RAW,
        field.required,
        _HINTS.get(field.key, ""),
    )


COLUMNS: tuple[Column, ...] = (
    *(_column(f) for f in roster.FIELDS),
    Column("birth_year", YEAR_ONLY, ("nam sinh",), RAW, hint="khi chỉ biết năm sinh"),
)
LABEL = {c.key: c.label for c in COLUMNS}
KEYS = [f.key for f in roster.FIELDS]

SAMPLE = (
    "Nguyễn Thị Thu Hà",
    "Nữ",
    "15/03/1990",
    "001190012345",
    "Tổ công đoàn Phòng Nội vụ",
    "Chuyên viên",
    "Đoàn viên",
    "01/06/2015",
    "0100000123",
    "0912345678",
    "ha.ntt@example.vn",
    "",
)
NOTES = (
    "Số CCCD gồm đúng 12 chữ số; định dạng cột là Văn bản để không mất số 0 ở đầu.",
    "Giới tính: Nam hoặc Nữ (hoặc hai cột Nam, Nữ đánh dấu x). Tổ công đoàn: ghi đúng tên tổ như trên hệ "
    "thống (có thể không dấu), hoặc để trống và ghi tên tổ ở dòng mục phía trên.",
    "Chức vụ công đoàn: Chủ tịch, Phó Chủ tịch, Ủy viên Ban Chấp hành, Tổ trưởng, Tổ phó, Đoàn viên.",
    "Khi chỉ biết năm sinh, ghi vào cột “Năm sinh” (ngày sinh được ghi là 01/01 của năm đó).",
    "Đoàn viên đã có được khớp theo số CCCD, rồi số thẻ, rồi họ tên và ngày sinh: được cập nhật, "
    "không tạo trùng. Dòng có thể trùng một người đã có chỉ được thêm mới khi bạn xác nhận ở bước xem trước.",
)


def _target_ok(unit) -> str | None:
    if not unit.unit_type.holds_members:
        return (
            f"“{unit.name}” không có đoàn viên sinh hoạt trực tiếp: hãy nhập danh sách cho công đoàn cơ sở "
            "hoặc tổ công đoàn."
        )
    return None


# ---- SourceRows → the rows `roster.validate` reads -------------------------------------------------------


def virtual_rows(rows: list[SourceRow]) -> tuple[list[list[Any]], dict[str, int]]:
    """(rows, mapping) for `roster.validate` / `roster_import` with header_row 0: the header, then each
    source row at index `number - 1` (its spreadsheet row), empty lists between. The mapping names only
    the columns the file gives (an unmapped column is never written over), and always the name and the
    gender (validate reports their empty cells)."""
    dates = any(r.values.get("birth_date") is not None for r in rows)
    years = any(r.values.get("birth_year") is not None for r in rows)
    header = [LABEL[k] for k in KEYS]
    if years:  # a "Năm sinh" column: validate reads it as years (full dates still as dates)
        header[KEYS.index("birth_date")] = YEAR_ONLY
    width = len(KEYS)
    out: list[list[Any]] = [header]
    given: set[str] = {"full_name", "gender"}
    for row in rows:
        while len(out) < row.number - 1:
            out.append([])
        cells: list[Any] = [row.values.get(k) for k in KEYS]
        birth = KEYS.index("birth_date")
        if cells[birth] is None:
            cells[birth] = row.values.get("birth_year")
        group = KEYS.index("group")
        if not _present(cells[group]) and row.section:
            cells[group] = row.section
        for key, cell in zip(KEYS, cells, strict=True):
            if _present(cell):
                given.add(key)
        # an empty row stays empty (validate skips it): a row the framework kept has at least a cell
        out.append(cells if any(_present(c) for c in cells) else [None] * width)
    if dates or years:
        given.add("birth_date")
    return out, {k: i for i, k in enumerate(KEYS) if k in given}


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ---- RosterPlan → RowPlans -------------------------------------------------------------------------------


def _name(person: dict[str, Any]) -> str:
    return " ".join(p for p in (person["family_name"], person["middle_name"], person["given_name"]) if p)


def _target(record: roster.RosterRecord) -> str:
    name = record.existing.full_name if record.existing is not None else _name(record.person)
    birth = record.person.get("birth_date") or (
        record.existing.values.get("birth_date") if record.existing else None
    )
    return f"{name}{f' ({birth.year})' if birth else ''} — {record.unit.name}"


_NAME_PARTS = ("family_name", "middle_name", "given_name")
_MEMBERSHIP_LABELS = {
    "union_role": "Chức vụ công đoàn",
    "job_title": "Chức vụ",
    "card_number": "Số thẻ đoàn viên",
}


def _changes(record: roster.RosterRecord, mapping: dict[str, int]) -> str:
    """What the commit changes on a matched person, in words ("Đã có: sửa Điện thoại; chuyển từ …")."""
    existing = record.existing
    names = [n for key, fields in IMPORT_PERSON_FIELDS.items() if key in mapping for n in fields]
    differ = [
        n for n in names if record.person[n] not in (None, "") and record.person[n] != existing.values[n]
    ]
    changed = ["Họ và tên"] if any(n in _NAME_PARTS for n in differ) else []
    changed += [str(Person._meta.get_field(n).verbose_name) for n in differ if n not in _NAME_PARTS]
    current = record.membership
    moved = ""
    if current is None:
        moved = f"ghi sinh hoạt tại “{record.unit.name}”"
    elif record.group_given and current.unit_id != record.unit.pk:
        moved = f"chuyển từ “{current.unit_name}” sang “{record.unit.name}”"
    else:
        changed += [
            _MEMBERSHIP_LABELS[key]
            for key, name in IMPORT_MEMBERSHIP_FIELDS.items()
            if key in mapping
            and (value := getattr(record, name)) not in (None, "")
            and value != getattr(current, name)
        ]
    parts = (["sửa " + ", ".join(changed)] if changed else []) + ([moved] if moved else [])
    return f"Đã có: {'; '.join(parts)}." if parts else "Đã có, không thay đổi."


def _values(record: roster.RosterRecord) -> dict[str, Any]:
    person = record.person
    return {
        "full_name": _name(person),
        "gender": person["gender"],
        "birth_date": person["birth_date"],
        "birth_year_only": record.birth_year_only,
        "citizen_id": person["citizen_id"],
        "group": record.unit.name,
        "job_title": record.job_title,
        "union_role": record.union_role,
        "union_joined_on": person["union_joined_on"],
        "card_number": record.card_number,
        "phone": person["phone"],
        "email": person["email"],
    }


def row_plans(plan: roster.RosterPlan, rows: list[SourceRow], mapping: dict[str, int]) -> list[RowPlan]:
    """Every source row's outcome: an error (column and message), a possible duplicate (held back unless
    confirmed), an update of a person already recorded, or a new person; the notices on their rows (a
    notice about a whole column on the first row of the file)."""
    errors: dict[int, list[CellError]] = {}
    for error in plan.errors:
        errors.setdefault(error.row, []).append(CellError(error.column, error.message))
    duplicates = dict(plan.duplicates)
    records = {r.row: r for r in plan.records}
    notices: dict[int, list[str]] = {}
    first = rows[0].number if rows else 0
    for notice in plan.notices:
        if notice.row is None:
            notices.setdefault(first, []).append(f"Cả cột “{notice.column}”: {notice.message}")
        else:
            notices.setdefault(notice.row, []).append(f"{notice.column}: {notice.message}")
    plans = []
    for source in rows:
        number = source.number
        record = records.get(number)
        values = _values(record) if record is not None else dict(source.raw)
        row_notices = notices.get(number, [])
        if number in errors:
            plans.append(
                RowPlan(number, Outcome.ERROR, errors=errors[number], values=values, notices=row_notices)
            )
        elif number in duplicates:
            plans.append(
                RowPlan(
                    number, Outcome.DUPLICATE, reason=duplicates[number], values=values, notices=row_notices
                )
            )
        elif record is None:  # an empty row validate skipped (nothing the framework kept is empty)
            plans.append(RowPlan(number, Outcome.SKIPPED, reason="Dòng trống.", notices=row_notices))
        elif record.existing is not None:
            plans.append(
                RowPlan(
                    number,
                    Outcome.UPDATE,
                    target=_target(record),
                    reason=_changes(record, mapping),
                    values=values,
                    notices=row_notices,
                )
            )
        else:
            plans.append(
                RowPlan(number, Outcome.NEW, target=_target(record), values=values, notices=row_notices)
            )
    return plans


# ---- union groups the file names and the tree does not have yet ----------------------------------------
CREATE_GROUPS = "create_groups"
MISSING_GROUP = "Không có tổ công đoàn"
_GROUP_WORDS = ("to cong doan ", "to cd ", "cong doan bo phan ", "cd bo phan ")


def _group_home(unit):
    """Where missing groups are created: the grassroots union itself, or the one above a group."""
    return unit.get_parent() if unit.unit_type.code == "TO_CD" else unit


def missing_groups(rows: list[SourceRow], unit) -> dict[str, str]:
    """{folded name: name as written} of the groups the rows name (their group cell, else their section)
    that the unit's subtree does not have."""
    lookup = roster.group_lookup(unit)
    found: dict[str, str] = {}
    for row in rows:
        text = row.values.get("group")
        text = " ".join(str(text).split()) if _present(text) else (row.section or "")
        if not text:
            continue
        key = fold(text)
        if key not in lookup and roster.group_key(key) not in lookup:
            found.setdefault(roster.group_key(key), text)
    return found


def _group_name(text: str) -> str:
    """ "Phòng Kinh tế", "Tổ CĐ Phòng Kinh tế" → "Tổ công đoàn Phòng Kinh tế"."""
    folded = fold(text)
    for words in _GROUP_WORDS:
        if folded.startswith(words) and len(text) > len(words):
            text = text[len(words) :].strip()  # folding keeps the length of Vietnamese letters
            break
    return f"Tổ công đoàn {text}"


def may_create_groups(user, unit) -> bool:
    home = _group_home(unit)
    return home is not None and can(user, Action.UNIT_MANAGE, home.path)


def groups_create(*, user, unit, rows: list[SourceRow]) -> list:
    """Create the missing groups under the grassroots union (inside the import's transaction)."""
    from organizations.models import OrgUnit, OrgUnitType
    from organizations.services import orgunit_create

    missing = missing_groups(rows, unit)
    if not missing:
        return []
    home = _group_home(unit)
    group_type = OrgUnitType.objects.get(code="TO_CD")
    taken = set(OrgUnit.objects.filter(code__startswith=f"{home.code}-T").values_list("code", flat=True))
    created, number = [], 0
    for text in missing.values():
        number += 1
        while f"{home.code}-T{number:02d}" in taken:
            number += 1
        created.append(
            orgunit_create(
                acting_user=user,
                parent=home,
                name=_group_name(text)[:255],
                code=f"{home.code}-T{number:02d}",
                unit_type=group_type,
            )
        )
    return created


def _offer_groups(plans: list[RowPlan], rows: list[SourceRow], *, unit, user, options: dict) -> None:
    """Rows whose only error is a group the tree lacks: with "Tạo tổ công đoàn còn thiếu" ticked (and the
    right to create units there) they are new rows of a group created on writing; else the error says how."""
    missing = missing_groups(rows, unit)
    if not missing:
        return
    allowed = may_create_groups(user, unit)
    by_number = {r.number: r for r in rows}
    for plan in plans:
        group_errors = [e for e in plan.errors if e.message.startswith(MISSING_GROUP)]
        if not group_errors:
            continue
        if options.get(CREATE_GROUPS) and allowed and len(group_errors) == len(plan.errors):
            source = by_number[plan.number]
            text = source.values.get("group") if _present(source.values.get("group")) else source.section
            plan.outcome, plan.errors = Outcome.NEW, []
            plan.target = f"{source.values.get('full_name') or ''} — {_group_name(' '.join(str(text).split()))} (tổ mới)"
            plan.notices.append("Tổ công đoàn này chưa có: sẽ được tạo khi ghi.")
        elif allowed:
            for error in group_errors:
                error.message += (
                    " Đánh dấu “Tạo tổ công đoàn còn thiếu” ở bước ghép cột để tạo tổ này khi ghi."
                )
        else:
            for error in group_errors:
                error.message += " Nhờ cán bộ quản lý đơn vị tạo tổ này trước, rồi kiểm tra lại."


def _validate(rows: list[SourceRow], *, unit, user, options: dict):
    table, mapping = virtual_rows(rows)
    try:
        plan = roster.validate(
            rows=table,
            header_row=0,
            mapping=mapping,
            unit=unit,
            acting_user=user,
            title_case_names=bool(options.get("title_case")),
            confirm_duplicates=set(options.get("confirm_duplicates", [])),
        )
    except roster.RosterFileError as problem:
        raise ServiceError(str(problem)) from problem
    return table, mapping, plan


def plan(rows: list[SourceRow], *, unit, user, options: dict | None = None) -> list[RowPlan]:
    require(user, Action.PERSON_CHANGE, unit.path)  # as the commit: the command's user too
    if not rows:
        return []
    options = options or {}
    _table, mapping, roster_plan = _validate(rows, unit=unit, user=user, options=options)
    plans = row_plans(roster_plan, rows, mapping)
    _offer_groups(plans, rows, unit=unit, user=user, options=options)
    return plans


def commit(
    rows: list[SourceRow], *, unit, user, options: dict | None = None, source: Source | None = None
) -> dict:
    options = options or {}
    table, mapping = virtual_rows(rows)
    created_groups = []
    if options.get(CREATE_GROUPS) and may_create_groups(user, unit):
        created_groups = groups_create(user=user, unit=unit, rows=rows)
    try:
        summary = roster_import(
            acting_user=user,
            unit=unit,
            rows=table,
            header_row=0,
            mapping=mapping,
            title_case_names=bool(options.get("title_case")),
            confirm_duplicates=set(options.get("confirm_duplicates", [])),
        )
    except RosterInvalid as invalid:
        raise ImportInvalid(row_plans(invalid.plan, rows, mapping), invalid.message) from invalid
    except roster.RosterFileError as problem:
        raise ServiceError(str(problem)) from problem
    parts = [f"thêm mới {summary['created']} đoàn viên", f"cập nhật {summary['updated']}"]
    parts.append(f"không đổi {summary['unchanged']}")
    if summary["transferred"]:
        parts.append(f"chuyển tổ {summary['transferred']}")
    if summary["skipped"]:
        parts.append(f"bỏ qua {summary['skipped']} dòng có thể trùng")
    if created_groups:
        parts.append("tạo mới " + ", ".join(f"“{g.name}”" for g in created_groups))
    written = summary["rows"] - summary["skipped"]
    return {
        "created": summary["created"],
        "updated": summary["updated"],
        "transferred": summary["transferred"],
        "unchanged": summary["unchanged"],
        "skipped": summary["skipped"],
        "rows": summary["rows"],
        "groups_created": [g.pk for g in created_groups],
        "message": f"Đã ghi {written} dòng: " + ", ".join(parts) + ".",
    }


def _result_link(batch):
    return ("Xem danh sách đoàn viên", f"{reverse('members:list')}?don_vi={batch.unit_id}")


ROSTER = register(
    ImportKind(
        key=KEY,
        command="members",
        title="Danh sách đoàn viên",
        action=Action.PERSON_CHANGE,
        columns=COLUMNS,
        plan=plan,
        commit=commit,
        description=(
            "Danh sách đoàn viên của công đoàn cơ sở hoặc tổ công đoàn: đoàn viên mới được thêm, người đã có "
            "được cập nhật (khớp theo số CCCD, số thẻ, họ tên và ngày sinh), không tạo trùng."
        ),
        confirms_duplicates=True,
        flags=((CREATE_GROUPS, "Tạo tổ công đoàn còn thiếu (tổ có trong tệp mà chưa có trên hệ thống)"),),
        result_link=_result_link,
        target_ok=_target_ok,
        sample=SAMPLE,
        notes=NOTES,
    )
)
