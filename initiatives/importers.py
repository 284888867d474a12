"""Import kind "sang-kien": initiatives already recognised, from the lists offices keep (`imports.kinds`).

STT | Tên sáng kiến | Năm | Lĩnh vực | Ngày công nhận | Cấp công nhận | Số quyết định | Đơn vị công nhận |
Tóm tắt / Nội dung | Giá trị làm lợi | Tác giả | Đơn vị công tác của tác giả.

The authors ("Nguyễn Văn An (50%); Trần Thị Hoa", one per line, …) are found among the members the officer
may record initiatives for (`members.lookup.match_people`, narrowed by their workplace); the initiative
belongs to the authors' common unit (their CĐCS when they sit in its groups). An initiative with the same
title, year and unit is already there → skipped. The writes go through
`services.initiatives_record_recognized`, which marks every initiative with the file it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.access import Action
from core.exceptions import ServiceError
from core.rollup import common_prefix
from core.text import fold
from imports import columns
from imports.kinds import (
    DATE,
    TEXT,
    CellError,
    Column,
    ImportKind,
    Outcome,
    RowPlan,
    Source,
    SourceRow,
    register,
)
from imports.planning import (
    Labels,
    cell_text,
    count,
    match_message,
    refuse_errors,
    shown_values,
    unit_list_link,
)
from members.lookup import PersonKey, UnitIndex, match_people
from organizations.models import OrgUnit

from . import services
from .choices import Field, Level
from .models import Initiative

KEY = "sang-kien"
TITLE_MAX = 255
DECISION_REF_MAX = 100

COLUMNS: tuple[Column, ...] = (
    columns.row_number("stt"),
    Column(
        "title",
        "Tên sáng kiến",
        (
            "ten sang kien",
            "ten sang kien giai phap",
            "ten giai phap",
            "ten sang kien kinh nghiem",
            "ten de tai sang kien",
            "sang kien",
            "ten sang kien cai tien",
        ),
        TEXT,
        True,
    ),
    columns.year(),
    Column("field", "Lĩnh vực", ("linh vuc", "linh vuc ap dung", "nganh linh vuc")),
    columns.decision_date("recognized_on", "Ngày công nhận"),
    Column(
        "level",
        "Cấp công nhận",
        ("cap cong nhan", "cap", "pham vi cong nhan", "pham vi anh huong", "cap do cong nhan"),
        hint="Cấp cơ sở, Cấp tỉnh (bộ, ngành, Tổng LĐ) hoặc Toàn quốc",
    ),
    columns.decision_number("decision_ref"),
    Column(
        "decision_unit",
        "Đơn vị công nhận",
        (
            "don vi cong nhan",
            "co quan cong nhan",
            "don vi ra quyet dinh",
            "noi cong nhan",
            "don vi quyet dinh",
        ),
    ),
    Column(
        "description",
        "Tóm tắt / Nội dung",
        (
            "tom tat",
            "noi dung",
            "tom tat noi dung",
            "tom tat noi dung",
            "noi dung giai phap",
            "tom tat noi dung sang kien",
            "mo ta",
            "noi dung sang kien",
        ),
    ),
    Column(
        "benefit",
        "Giá trị làm lợi (đồng)",
        ("gia tri lam loi", "gia tri lam loi dong", "so tien lam loi", "hieu qua kinh te", "gia tri loi ich"),
        hint="1.250.000.000 hoặc 1,25 tỷ",
    ),
    Column(
        "applied_since",
        "Áp dụng từ ngày",
        ("ap dung tu ngay", "ngay ap dung", "thoi gian ap dung"),
        DATE,
        hint="dd/mm/yyyy",
    ),
    Column(
        "authors",
        "Tác giả",
        (
            "tac gia",
            "tac gia sang kien",
            "ho va ten tac gia",
            "ho ten tac gia",
            "tac gia dong tac gia",
            "nhom tac gia",
            "tac gia nhom tac gia",
        ),
        TEXT,
        True,
        hint="một hoặc nhiều người, cách nhau bởi dấu phẩy, chấm phẩy hoặc xuống dòng; “Nguyễn Văn An (50%)”",
    ),
    columns.workplace(
        "author_units", "Đơn vị công tác của tác giả", extra=("don vi cong tac cua tac gia", "don vi tac gia")
    ),
)
LABELS = Labels(COLUMNS)
FIELD_COLUMN = {
    "title": "title",
    "year": "year",
    "field": "field",
    "benefit_vnd": "benefit",
    "applied_since": "applied_since",
    "description": "description",
    "unit": "authors",
    "authors": "authors",
    "level": "level",
    "recognized_on": "recognized_on",
}

# ------------------------------------------------------------------------------------------------ words
# (folded phrase, field) — the first phrase found in the cell wins, so the longer ones come first
_FIELD_PHRASES = (
    ("cai cach hanh chinh", Field.CCHC),
    ("cchc", Field.CCHC),
    ("chuyen doi so", Field.CHUYEN_DOI_SO),
    ("cong nghe thong tin", Field.CHUYEN_DOI_SO),
    ("cntt", Field.CHUYEN_DOI_SO),
    ("so hoa", Field.CHUYEN_DOI_SO),
    ("ky thuat", Field.KY_THUAT),
    ("cong nghe", Field.KY_THUAT),
    ("san xuat", Field.KY_THUAT),
    ("quan ly", Field.QUAN_LY),
    ("hanh chinh", Field.QUAN_LY),
    ("giao duc", Field.GIAO_DUC),
    ("dao tao", Field.GIAO_DUC),
    ("giang day", Field.GIAO_DUC),
    ("y te", Field.Y_TE),
    ("kham chua benh", Field.Y_TE),
    ("khac", Field.KHAC),
)
FIELDS_ACCEPTED = ", ".join(f.label for f in Field)

_LEVEL_PATTERNS = (
    (re.compile(r"\b(toan quoc|quoc gia|trung uong)\b"), Level.TOAN_QUOC),
    (
        re.compile(r"\b(tinh|thanh pho|bo|nganh|tong ld|tong lien doan|tld|tldld|ldld tinh|cap tinh)\b"),
        Level.TINH_BO,
    ),
    (re.compile(r"\b(co so|ccs|cdcs|don vi|huyen|quan|thi xa|cap huyen)\b"), Level.CO_SO),
)
LEVELS_ACCEPTED = "Cấp cơ sở, Cấp tỉnh (hoặc bộ, ngành, Tổng LĐ), Toàn quốc"

_MONEY_UNITS = {"ty": 10**9, "trieu": 10**6, "nghin": 10**3, "ngan": 10**3}
_MONEY_PART = re.compile(r"(\d[\d.,\s]*)\s*(ty|trieu|nghin|ngan)?")
_TITLE_PREFIX = re.compile(r"^(?:(?:ths|ts|pgs|gs|ks|bs|cn|ds|ls|kts)\.?\s*)+|^(?:đ/c|d/c|đồng chí)\s+", re.I)
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_BIRTH = re.compile(r"\b(19\d\d|20\d\d)\b")


def field_code(text: Any) -> str | None:
    folded = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(str(text or ""))).split())
    if not folded:
        return None
    for f in Field:
        if folded == " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(f.label)).split()):
            return f.value
    for phrase, code in _FIELD_PHRASES:
        if re.search(rf"\b{phrase}\b", folded):
            return code
    return None


def level_code(text: Any) -> str | None:
    folded = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(str(text or ""))).split())
    for pattern, code in _LEVEL_PATTERNS:
        if pattern.search(folded):
            return code
    return None


def money(value: Any) -> int | None:
    """ "1.250.000.000", "1,25 tỷ", "850 triệu đồng", "1 tỷ 250 triệu", 1250000000 → 1250000000; None when
    empty. Raises ValueError when no amount can be read."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, Decimal):
        return int(value.to_integral_value())
    folded = fold(str(value))
    folded = re.sub(r"(?<![a-z])(vnd|dong|d)(?![a-z])\.?", " ", folded).strip()
    if not folded:
        return None
    total = Decimal(0)
    consumed = ""
    for number, unit in _MONEY_PART.findall(folded):
        number = number.strip().replace(" ", "")
        if not number:
            continue
        amount = _amount(number, scaled=bool(unit))
        total += amount * _MONEY_UNITS.get(unit, 1)
        consumed += number + unit
    rest = re.sub(r"[\s.,]", "", folded)
    if not consumed or rest != re.sub(r"[\s.,]", "", consumed):
        raise ValueError
    return int(total.to_integral_value())


def _amount(number: str, *, scaled: bool) -> Decimal:
    number = number.rstrip(".,")
    if re.fullmatch(r"\d+", number):
        return Decimal(number)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", number):  # 1.250.000.000, 1.250 tỷ
        return Decimal(number.replace(".", ""))
    if not scaled and re.fullmatch(r"\d{1,3}(,\d{3})+", number):  # 1,250,000,000
        return Decimal(number.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", number):  # 1.250.000,5
        return Decimal(number.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", number):  # 1,250,000.5
        return Decimal(number.replace(",", ""))
    if re.fullmatch(r"\d+[.,]\d+", number):  # 1,25 tỷ — a decimal comma (or point)
        return Decimal(number.replace(",", "."))
    raise ValueError


@dataclass
class _Author:
    name: str
    share: Decimal | None
    birth_year: int | None
    workplace: str = ""


def split_authors(text: str) -> list[_Author]:
    """ "Nguyễn Văn An (50%), Trần Thị Hoa (50%)" / one per line / "; " → the authors in order."""
    parts: list[str] = []
    depth, current = 0, ""
    text = str(text or "")
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        decimal_comma = ch == "," and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()
        if ch in ",;\n\r" and depth == 0 and not decimal_comma:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    authors = []
    for part in parts:
        part = re.sub(r"^\s*(?:[-–•+*]|\d+[.)/])\s*", "", part).strip()
        if not part:
            continue
        share_match = _SHARE.search(part)
        share = Decimal(share_match.group(1).replace(",", ".")) if share_match else None
        birth = None
        for group in re.findall(r"\(([^)]*)\)", part):
            found = _BIRTH.search(_SHARE.sub("", group))
            if found:
                birth = int(found.group(1))
        name = re.sub(r"\([^)]*\)", " ", part)
        name = _SHARE.sub(" ", name)
        name = re.sub(r"[:\-–]\s*$", "", " ".join(name.split())).strip(" :-–")
        name = _TITLE_PREFIX.sub("", name).strip()
        authors.append(_Author(name=" ".join(name.split()), share=share, birth_year=birth))
    return authors


def _shares(authors: list[_Author]) -> list[Decimal] | str:
    """Each author's share: as written, the rest split evenly among those without one (hundredths, the
    first takes the remainder). A message when what is written cannot add up to 100%."""
    given = [a.share for a in authors if a.share is not None]
    missing = [a for a in authors if a.share is None]
    rest = Decimal(100) - sum(given, Decimal(0))
    if not missing:
        return [a.share for a in authors]
    if rest <= 0:
        return f"các tỷ lệ đã ghi cộng lại {_pct(sum(given, Decimal(0)))}%, không còn phần cho tác giả chưa ghi tỷ lệ"
    each = (rest / len(missing)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    extra = rest - each * len(missing)
    out, first = [], True
    for a in authors:
        if a.share is not None:
            out.append(a.share)
        else:
            out.append(each + (extra if first else 0))
            first = False
    return out


def _pct(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


# ------------------------------------------------------------------------------------------------ plan
def _err(errors: list[CellError], key: str, message: str) -> None:
    errors.append(LABELS.error(key, message))


@dataclass
class _Row:
    row: SourceRow
    errors: list[CellError]
    notices: list[str]
    authors: list[_Author] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    level: str = ""
    decision_unit_text: str = ""


def _parse(row: SourceRow) -> _Row:
    v = row.values
    p = _Row(row=row, errors=list(row.errors), notices=[])
    title = cell_text(v.get("title"))
    if not title:
        _err(p.errors, "title", "Chưa có tên sáng kiến.")
    elif len(title) > TITLE_MAX:
        _err(p.errors, "title", f"Tên sáng kiến dài quá {TITLE_MAX} ký tự: rút gọn tên.")
    recognized_on = v.get("recognized_on")
    if isinstance(recognized_on, dt.datetime):
        recognized_on = recognized_on.date()
    year = v.get("year")
    if not isinstance(year, int):
        if isinstance(recognized_on, dt.date):
            year = recognized_on.year
        else:
            _err(p.errors, "year", "Chưa có năm: ghi năm sáng kiến được công nhận (hoặc ngày công nhận).")
    if not isinstance(recognized_on, dt.date) and isinstance(year, int):
        recognized_on = min(dt.date(year, 12, 31), timezone.localdate())
        p.notices.append(f"Chưa ghi ngày công nhận: ghi tạm ngày {recognized_on:%d/%m/%Y}.")
    field_text = cell_text(v.get("field"))
    code = field_code(field_text) if field_text else Field.KHAC
    if code is None:
        code = Field.KHAC
        p.notices.append(
            f"Lĩnh vực “{field_text}” chưa có trong danh mục ({FIELDS_ACCEPTED}): ghi là “Khác”."
        )
    benefit = None
    cell = v.get("benefit")
    if cell is not None and cell_text(cell):
        try:
            benefit = money(cell)
        except ValueError:
            _err(
                p.errors,
                "benefit",
                f"Giá trị làm lợi “{cell_text(cell)}” không đọc được: ghi số tiền bằng đồng, "
                "ví dụ 1.250.000.000 hoặc 1,25 tỷ.",
            )
    applied = v.get("applied_since")
    p.data = {
        "title": title,
        "year": year if isinstance(year, int) else None,
        "field": code,
        "description": (str(v.get("description") or "")).strip(),
        "applied_since": applied.date() if isinstance(applied, dt.datetime) else applied,
        "benefit_vnd": benefit,
        "recognized_on": recognized_on if isinstance(recognized_on, dt.date) else None,
        "decision_ref": cell_text(v.get("decision_ref")),
    }
    if len(p.data["decision_ref"]) > DECISION_REF_MAX:
        _err(p.errors, "decision_ref", f"Số quyết định dài quá {DECISION_REF_MAX} ký tự.")
    level_text = cell_text(v.get("level"))
    if level_text:
        p.level = level_code(level_text) or ""
        if not p.level:
            _err(p.errors, "level", f"Cấp công nhận “{level_text}” không đúng: ghi {LEVELS_ACCEPTED}.")
    p.decision_unit_text = cell_text(v.get("decision_unit"))

    authors_text = str(v.get("authors") or "")
    p.authors = split_authors(authors_text)
    if not p.authors:
        _err(p.errors, "authors", "Chưa có tác giả: ghi họ và tên các tác giả.")
    elif not all(a.name for a in p.authors):
        _err(p.errors, "authors", f"“{authors_text.strip()}”: có phần chưa ghi họ và tên tác giả.")
    workplaces = [w.strip() for w in re.split(r"[;\n\r]+", str(v.get("author_units") or "")) if w.strip()]
    if len(workplaces) > 1 and len(workplaces) != len(p.authors):
        workplaces = [
            w.strip() for w in re.split(r"[,;\n\r]+", str(v.get("author_units") or "")) if w.strip()
        ]
    if len(workplaces) == len(p.authors):
        for author, place in zip(p.authors, workplaces, strict=True):
            author.workplace = place
    elif len(workplaces) == 1 or not workplaces:
        for author in p.authors:
            author.workplace = workplaces[0] if workplaces else cell_text(row.section)
    else:
        _err(
            p.errors,
            "author_units",
            f"Có {len(workplaces)} đơn vị cho {len(p.authors)} tác giả: ghi một đơn vị cho cả nhóm, "
            "hoặc mỗi tác giả một đơn vị theo đúng thứ tự, cách nhau bởi dấu chấm phẩy.",
        )
    return p


def _decision_index(unit: OrgUnit, *, user) -> UnitIndex:
    """The units that may have recognised it: the target's ancestors, the target and its subtree."""
    above = OrgUnit.objects.filter(path__in=unit.ancestor_paths())
    below = OrgUnit.objects.all().restrict(user, Action.INITIATIVE_CHANGE).filter(path__startswith=unit.path)
    units = [*above.select_related("unit_type"), *below.select_related("unit_type")]
    return UnitIndex(units, origin=unit)


def _plan(rows: list[SourceRow], *, unit: OrgUnit, user) -> tuple[list[RowPlan], list[dict[str, Any]]]:
    parsed = [_parse(row) for row in rows]
    flat = [(p, a) for p in parsed for a in p.authors if a.name]
    matches = match_people(
        [PersonKey(full_name=a.name, birth_year=a.birth_year, unit_text=a.workplace) for _, a in flat],
        user=user,
        action=Action.INITIATIVE_CHANGE,
        unit=unit,
    )
    match_of = {id(a): m for (_, a), m in zip(flat, matches, strict=True)}
    # the authors' common unit, lifted to their CĐCS when it is a group inside one (within the target)
    commons: dict[int, str] = {}
    for p in parsed:
        paths = [
            match_of[id(a)].membership.unit.path
            for a in p.authors
            if id(a) in match_of and match_of[id(a)].ok
        ]
        if paths and len(paths) == len(p.authors):
            prefix = common_prefix(paths)
            commons[id(p)] = prefix[: len(prefix) - len(prefix) % OrgUnit.steplen]
    lineage_paths = {
        path[:end]
        for path in commons.values()
        for end in range(len(unit.path), len(path) + 1, OrgUnit.steplen)
    }
    lineage = {u.path: u for u in OrgUnit.objects.filter(path__in=lineage_paths).select_related("unit_type")}
    decision_units = _decision_index(unit, user=user) if any(p.decision_unit_text for p in parsed) else None
    years = {p.data["year"] for p in parsed if p.data.get("year")}
    existing = {
        (fold(title), year, unit_id)
        for unit_id, year, title in Initiative.objects.filter(
            unit__path__startswith=unit.path, year__in=years
        ).values_list("unit_id", "year", "title")
    }
    seen: dict[tuple[str, int, int], int] = {}
    plans: list[RowPlan] = []
    items: list[dict[str, Any]] = []
    for p in parsed:
        row = p.row
        values = shown_values(row.values)
        persons = []
        for author in p.authors:
            match = match_of.get(id(author))
            if match is None:
                continue
            if not match.ok:
                _err(p.errors, "authors", f"Tác giả “{author.name}”: {match_message(match)}")
            else:
                persons.append(match.person)
        initiative_unit = _initiative_unit(commons.get(id(p)), lineage, unit)
        target = p.data["title"] + (f" — {initiative_unit.name}" if initiative_unit else "")
        if p.data.get("year"):
            target += f" ({p.data['year']})"
        decision_unit = _decision_unit(p, decision_units)
        level = p.level
        if not p.errors and initiative_unit is None:
            _err(p.errors, "authors", "Không xác định được đơn vị của các tác giả.")
        if not p.errors:
            level = _level(p, decision_unit)
            shares = _shares(p.authors)
            try:
                if isinstance(shares, str):
                    raise ServiceError(f"Tỷ lệ đóng góp: {shares}.", field="authors")
                cleaned = services.clean_initiative_data({**p.data, "unit": initiative_unit})
                authors = services.clean_shares(list(zip(persons, shares, strict=True)))
                services.clean_recognition(level=level, recognized_on=p.data["recognized_on"])
            except ServiceError as exc:
                _err(p.errors, FIELD_COLUMN.get(exc.field or "", "title"), exc.message)
        if p.errors:
            plans.append(RowPlan(row.number, Outcome.ERROR, target=target, errors=p.errors, values=values))
            continue
        key = (fold(cleaned["title"]), cleaned["year"], initiative_unit.pk)
        if key in existing:
            plans.append(
                RowPlan(
                    row.number,
                    Outcome.SKIPPED,
                    target=target,
                    reason="Đã có sáng kiến cùng tên, cùng năm tại đơn vị này.",
                    values=values,
                )
            )
            continue
        if key in seen:
            plans.append(
                RowPlan(
                    row.number,
                    Outcome.SKIPPED,
                    target=target,
                    reason=f"Trùng dòng {seen[key]}.",
                    values=values,
                )
            )
            continue
        seen[key] = row.number
        notices = list(p.notices)
        notices.append(
            "Tác giả: " + "; ".join(f"{person.full_name} ({_pct(share)}%)" for person, share in authors)
        )
        note = ""
        if p.decision_unit_text and decision_unit is None:
            note = f"Đơn vị công nhận: {p.decision_unit_text}"
            notices.append(
                f"“{p.decision_unit_text}” không có trong hệ thống: ghi vào phần ghi chú quyết định."
            )
        plans.append(RowPlan(row.number, Outcome.NEW, target=target, values=values, notices=notices))
        items.append(
            {
                "data": cleaned,
                "authors": authors,
                "level": level,
                "recognized_on": p.data["recognized_on"],
                "decision_ref": p.data["decision_ref"],
                "decision_unit": decision_unit,
                "decision_note": note,
            }
        )
    return plans, items


def _initiative_unit(common: str | None, lineage: dict[str, OrgUnit], target: OrgUnit) -> OrgUnit | None:
    if common is None:
        return None
    unit = lineage.get(common) or target
    for end in range(len(common), len(target.path) - 1, -OrgUnit.steplen):
        ancestor = lineage.get(common[:end])
        if ancestor is not None and ancestor.unit_type.is_grassroots:
            return ancestor
    return unit


def _decision_unit(p: _Row, index: UnitIndex | None) -> OrgUnit | None:
    if not p.decision_unit_text or index is None:
        return None
    found = index.find(p.decision_unit_text)
    return found[0] if len(found) == 1 else None


def _level(p: _Row, decision_unit: OrgUnit | None) -> str:
    allowed = services.allowed_levels(decision_unit) if decision_unit is not None else None
    if p.level:
        if allowed is not None and p.level not in allowed:
            _err(
                p.errors,
                "level",
                f"“{decision_unit.name}” không công nhận được sáng kiến {Level(p.level).label.lower()}: "
                "kiểm tra cấp công nhận hoặc đơn vị công nhận.",
            )
        return p.level
    if allowed:
        level = Level.TINH_BO if Level.TINH_BO in allowed else Level.CO_SO
        p.notices.append(
            f"Chưa ghi cấp công nhận: lấy theo “{decision_unit.name}” — {Level(level).label.lower()}."
        )
        return level
    p.notices.append("Chưa ghi cấp công nhận: ghi là cấp cơ sở.")
    return Level.CO_SO


def plan(rows: list[SourceRow], *, unit, user, options: dict | None = None) -> list[RowPlan]:
    return _plan(rows, unit=unit, user=user)[0]


def commit(
    rows: list[SourceRow], *, unit, user, options: dict | None = None, source: Source | None = None
) -> dict:
    plans, items = _plan(rows, unit=unit, user=user)
    refuse_errors(plans)
    created = services.initiatives_record_recognized(
        acting_user=user,
        items=items,
        source_file=source.filename if source is not None else "",
        import_id=source.import_id if source is not None else None,
    )
    skipped = count(plans, Outcome.SKIPPED)
    message = f"Đã ghi {len(created)} sáng kiến được công nhận" + (
        f"; bỏ qua {skipped} dòng đã có." if skipped else "."
    )
    return {"created": len(created), "updated": 0, "skipped": skipped, "message": message}


INITIATIVES = register(
    ImportKind(
        key=KEY,
        command="initiatives",
        title="Sáng kiến đã được công nhận",
        action=Action.INITIATIVE_CHANGE,
        columns=COLUMNS,
        plan=plan,
        commit=commit,
        result_link=unit_list_link("Xem danh sách sáng kiến", "initiatives:list"),
        description=(
            "Danh sách sáng kiến đã được công nhận: tên, năm, cấp và quyết định công nhận, tác giả và tỷ lệ "
            "đóng góp."
        ),
    )
)
