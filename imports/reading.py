"""From an uploaded spreadsheet to a kind's `SourceRow`s.

The file is guarded and parsed once, in the worker, in the sandbox (`core.uploads.read_sheet`: the visible
sheet the file opens on, or the one the officer chose); its rows are stored beside the batch (gzip JSON
lines) with the sheet's merged ranges. Then, on the stored rows only:
- the header row(s) and each column's heading (`core.tabular`: title rows, banner cells, "(1)" and "(*)"
  marks, line breaks, two-row merged headers, the column-number row under them);
- each column mapped to one of the kind's `Column`s by its aliases (folded, loose), or by the mapping the
  unit saved for files with the same headers;
- every row below classified: data, or skipped with the reason (STT only, section rows — whose text goes
  to the rows under them —, totals, the signature block, stray zeros); merged cells filled down;
- every mapped cell parsed by its column's type (`core.cellvalues`: dates with the day/month order of the
  column, years, numbers, IDs that lost digits, genders, legacy TCVN3/VNI text converted).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import tempfile
from typing import Any

from django.core.files import File

from core import cellvalues, legacy_text, tabular, uploads
from core.text import fold, normalize

from .kinds import CellError, Outcome, RowPlan

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".ods")
HEADER_SCAN_ROWS = 20
HEAD_ROWS = 40  # rows the mapping page reads (header + a sample)
WRONG_KIND = "Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods)."
GONE = "Dữ liệu của lần nhập này không còn (đã xoá sau khi ghi hoặc quá hạn lưu): hãy tải tệp lên lại."


class FileProblem(Exception):
    """The file cannot be read as this kind's list (wrong format, no header row, empty). Vietnamese."""


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def check_name(name: str) -> None:
    if extension(name) not in ALLOWED_EXTENSIONS:
        raise FileProblem(WRONG_KIND)


def guard(path, name: str) -> None:
    check_name(name)
    try:
        uploads.guard(path, name)
    except uploads.UploadRefused as refused:
        raise FileProblem(refused.message) from refused


def drop(name: str) -> None:
    if name:
        from .models import ImportBatch

        ImportBatch._meta.get_field("file").storage.delete(name)


# ---- the one read, in the worker ------------------------------------------------------------------------


def read_file(path, name: str, dest, *, sheet: str | None = None) -> dict:
    """Guard and parse `path` in the sandbox; rows into `dest`. {"rows", "sheet", "sheets", "merged"}."""
    check_name(name)
    try:
        return uploads.read_sheet(path, dest, filename=name, sheet=sheet or None)
    except uploads.UploadRefused as refused:
        raise FileProblem(refused.message) from refused


def read_batch(batch) -> dict:
    """Read the batch's upload (its chosen sheet, else the default one), store the rows, find the header and
    guess the mapping. Returns the fields the `read` transition writes."""
    from . import kinds

    kind = kinds.get(batch.kind)
    work = tempfile.mkdtemp(prefix="thidua-import-")
    try:
        source = os.path.join(work, "upload" + extension(batch.original_name))
        with batch.file.open("rb") as upload, open(source, "wb") as out:
            shutil.copyfileobj(upload, out)
        dest = os.path.join(work, "rows.jsonl.gz")
        answer = read_file(source, batch.original_name, dest, sheet=batch.sheet)
        if batch.rows_file:
            batch.rows_file.delete(save=False)
        with open(dest, "rb") as handle:
            batch.rows_file.save("rows.jsonl.gz", File(handle), save=False)
        with open(dest, "rb") as handle:
            head = uploads.load_rows(handle, HEAD_ROWS)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    merged = answer.get("merged") or []
    header_row, header_rows = find_header(kind, head, merged)
    mapping = saved_mapping(batch, kind, head, merged, header_row, header_rows)
    if mapping is None:
        mapping = guess_mapping(kind, head, merged, header_row, header_rows)
    return {
        "rows_file": batch.rows_file.name,
        "sheet": answer.get("sheet") or "",
        "sheets": answer.get("sheets") or [],
        "merged": merged,
        "total_rows": answer.get("rows", 0),
        "header_row": header_row,
        "header_rows": header_rows,
        "mapping": mapping,
        "plan_file": "",
        "counts": {},
    }


def stored_rows(batch, limit: int | None = None) -> list[list[Any]]:
    if not batch.rows_file:
        raise FileProblem(GONE)
    try:
        with batch.rows_file.open("rb") as handle:
            return uploads.load_rows(handle, limit)
    except (OSError, EOFError, ValueError) as exc:
        raise FileProblem(GONE) from exc


def head_rows(batch) -> list[list[Any]]:
    return stored_rows(batch, HEAD_ROWS)


# ---- the plan, stored for the preview and the error file -------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def plan_json(plan: RowPlan) -> dict:
    return {
        "number": plan.number,
        "outcome": plan.outcome.value,
        "target": plan.target,
        "reason": plan.reason,
        "errors": [{"column": e.column, "message": e.message} for e in plan.errors],
        "notices": list(plan.notices),
        "values": _jsonable(plan.values),
    }


def stored_plans(batch) -> list[dict]:
    if not batch.plan_file:
        raise FileProblem(GONE)
    try:
        with batch.plan_file.open("rb") as handle:
            text = gzip.decompress(handle.read()).decode()
    except (OSError, EOFError, ValueError) as exc:
        raise FileProblem(GONE) from exc
    return [json.loads(line) for line in text.splitlines() if line]


# ---- small helpers for the screens ---------------------------------------------------------------------


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
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _sentence(reason: str) -> str:
    """ "dòng tổng cộng" → "Dòng tổng cộng." (the preview's column already says "Bỏ qua")."""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")


def skipped_plan(number: int, reason: str) -> RowPlan:
    return RowPlan(number=number, outcome=Outcome.SKIPPED, reason=reason)


def error_plan(number: int, errors: list[CellError]) -> RowPlan:
    return RowPlan(number=number, outcome=Outcome.ERROR, errors=errors)


def header_texts(batch) -> list[str]:
    """The folded headings of the batch's header (the key of its saved mapping)."""
    try:
        head = head_rows(batch)
    except FileProblem:
        return []
    return [fold(h) for h in headings(head, batch.merged, batch.header_row, batch.header_rows)]


def saved_mapping(batch, kind, head, merged, header_row, header_rows) -> dict | None:
    from .models import SavedMapping
    from .services import signature

    texts = [fold(h) for h in headings(head, merged, header_row, header_rows)]
    ancestors = [batch.unit.pk, *_ancestor_ids(batch.unit)]
    found = {
        m.unit_id: m.mapping
        for m in SavedMapping.objects.filter(unit_id__in=ancestors, kind=kind.key, signature=signature(texts))
    }
    for unit_id in ancestors:  # the nearest unit's mapping wins
        if unit_id in found:
            return {k: v for k, v in found[unit_id].items() if isinstance(v, int) and v < len(texts)}
    return None


def _ancestor_ids(unit) -> list[int]:
    from organizations.models import OrgUnit

    paths = unit.ancestor_paths()
    by_path = dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "pk"))
    return [by_path[p] for p in reversed(paths) if p in by_path]


# ---- headers and mapping (core.tabular) ---------------------------------------------------------------


def _aliases(kind) -> dict[str, str]:
    """{folded alias: column key}: each column's label and aliases, as `tabular.words` folds headers."""
    found: dict[str, str] = {}
    for column in kind.columns:
        for text in (column.label, *column.aliases):
            found.setdefault(tabular.words(text), column.key)
    return found


def matcher(kind):
    """`match_header(text) -> key | None` for `core.tabular`: the folded header against the aliases, then
    the same without spaces ("Sốthẻ", "SốCCCD" typed without a space)."""
    aliases = _aliases(kind)
    compact = {alias.replace(" ", ""): key for alias, key in aliases.items()}

    def match(text) -> str | None:
        folded = tabular.words(text)
        if not folded:
            return None
        return aliases.get(folded) or compact.get(folded.replace(" ", ""))

    return match


def layout_of(kind, rows, merged, header_row: int | None = None) -> tabular.Layout | None:
    return tabular.detect(rows, merged, matcher(kind), header_row=header_row)


def find_header(kind, rows, merged) -> tuple[int, int]:
    """(header row index, number of header rows) of the top rows; `FileProblem` when none names two of
    the kind's columns."""
    layout = layout_of(kind, rows, merged)
    if layout is None:
        examples = ", ".join(f"“{c.label}”" for c in kind.columns if c.required) or ", ".join(
            f"“{c.label}”" for c in kind.columns[:3]
        )
        raise FileProblem(
            f"Không tìm thấy dòng tiêu đề cột (ví dụ {examples}) trong {tabular.SCAN_ROWS} dòng đầu của tệp."
        )
    return layout.header_first, layout.header_last - layout.header_first + 1


def headings(rows, merged, header_row: int, header_rows: int) -> list[str]:
    """Each column's header as written ("Họ và tên – Tên" for a sub-column), "Cột X" for a blank one."""
    layout = tabular.detect(rows, merged, lambda _text: None, header_row=header_row)
    if layout is None:
        return []
    labels = [c.label if header_rows > 1 else c.parent for c in layout.columns]
    return [text or f"Cột {column_name(i)}" for i, text in enumerate(labels)]


def guess_mapping(kind, rows, merged, header_row: int, header_rows: int) -> dict[str, int]:
    """{key: column index}: single columns matched by their header (the first one wins). Name parts and
    gender sub-columns are read by the layout's roles, not mapped."""
    layout = layout_of(kind, rows, merged, header_row)
    if layout is None:
        return {}
    return dict(layout.keys)


# ---- rows → SourceRows ---------------------------------------------------------------------------------

_GENDER_WORDS = {
    "nam": "M",
    "m": "M",
    "male": "M",
    "trai": "M",
    "ong": "M",
    "nu": "F",
    "f": "F",
    "female": "F",
    "gai": "F",
    "ba": "F",
}
_GENDER_OF = {tabular.MALE: "M", tabular.FEMALE: "F"}


def source_rows(batch, kind) -> tuple[list, list[RowPlan]]:
    """The batch's stored rows as the kind's SourceRows, and the noise rows as SKIPPED plans."""
    rows = stored_rows(batch)
    return rows_to_sources(
        kind,
        rows,
        batch.merged,
        batch.header_row,
        batch.header_rows,
        batch.mapping,
        title_case=bool(batch.options.get("title_case")),
    )


def rows_to_sources(
    kind,
    rows,
    merged,
    header_row: int,
    header_rows: int,
    mapping: dict[str, int],
    *,
    title_case: bool = False,
):
    """(SourceRows of the data rows, SKIPPED plans of the noise rows). `title_case`: names typed in capitals
    ("NGUYỄN VĂN AN") are written "Nguyễn Văn An" (the officer asks for it on the mapping page)."""
    from .kinds import DATE, GENDER, INT, NAME, YEAR, SourceRow

    layout = layout_of(kind, rows, merged, header_row)
    if layout is None:
        raise FileProblem("Dòng tiêu đề đã chọn không có cột nào: hãy chọn lại dòng tiêu đề.")
    if header_rows > 1 and layout.header_last == layout.header_first:
        layout.header_last = header_row + header_rows - 1
        layout.data_start = max(layout.data_start, layout.header_last + 1)
    by_key = {c.key: c for c in kind.columns}
    missing = [
        by_key[k].label
        for k, c in by_key.items()
        if c.required and k not in mapping and not _composed(c, layout)
    ]
    if missing:
        raise FileProblem("Chưa chọn cột cho " + ", ".join(f"“{m}”" for m in missing) + ".")
    heads = headings(rows, merged, header_row, header_rows)
    head_of = {key: heads[i] if i < len(heads) else by_key[key].label for key, i in mapping.items()}
    # name parts and the birth date under Nam/Nữ are composed for the NAME / DATE column, or for the
    # column keyed "full_name" / "birth_date" whatever its type (a RAW one: the kind parses it itself)
    name_key = next((c.key for c in kind.columns if c.type == NAME or c.key == "full_name"), None)
    gender_key = next((c.key for c in kind.columns if c.type == GENDER), None)
    birth_key = next(
        (c.key for c in kind.columns if (c.type == DATE and _names(c, "ngay sinh")) or c.key == "birth_date"),
        None,
    )
    year_key = next((c.key for c in kind.columns if c.type in (YEAR, INT) and _names(c, "nam sinh")), None)

    data: list[tuple[int, list, str]] = []
    skipped: list[RowPlan] = []
    if layout.number_row is not None:
        skipped.append(skipped_plan(layout.number_row + 1, _sentence(tabular.COLUMN_NUMBERS)))
    for index, outcome, row in tabular.classify_rows(rows, layout, merged):
        if isinstance(outcome, tabular.Skip):
            if outcome.reason != tabular.EMPTY:
                skipped.append(skipped_plan(index + 1, _sentence(outcome.reason)))
            continue
        data.append((index + 1, row, outcome.section))

    # per column: the day/month order of text dates, the legacy encoding of names
    orders = {}
    for key, column in by_key.items():
        if column.type == DATE and key in mapping:
            orders[key] = cellvalues.resolve_date_order((n, _at(r, mapping[key])) for n, r, _s in data)
    if birth_key and birth_key not in mapping and layout.birth_columns:
        orders[birth_key] = cellvalues.resolve_date_order((n, layout.birth(r)) for n, r, _s in data)
    encodings = {}
    for key, column in by_key.items():
        if column.type in (NAME,) or key in ("unit_text", "workplace", "group"):
            texts = [_name_text(layout, mapping, key, name_key, r) for _n, r, _s in data]
            encodings[key] = legacy_text.column_encoding(t for t in texts if t)

    sources = []
    for number, row, section in data:
        values: dict[str, Any] = {}
        raw: dict[str, str] = {}
        errors: list[CellError] = []
        notices: list[str] = []
        for key, column in by_key.items():
            if key == name_key and key not in mapping and layout.name_parts:
                cell = layout.full_name(row)
                header = layout.name_parts[0].parent or column.label
            elif key == birth_key and key not in mapping and layout.birth_columns:
                cell = layout.birth(row)
                header = layout.birth_columns[0].parent or column.label
            elif key == year_key and key not in mapping and layout.birth_columns:
                cell = layout.birth(row)
                header = column.label
            elif key in mapping:
                cell = _at(row, mapping[key])
                header = head_of[key]
            else:
                values.setdefault(key, None)
                continue
            raw[key] = display(cell)
            if not tabular.present(cell):
                values.setdefault(key, None)
                continue
            try:
                value, notice = _parse(column, cell, orders.get(key), encodings.get(key), number, title_case)
            except _YearOnly as only:  # "1985" in a birth-date column: a birth year, not a day invented
                if key == birth_key and year_key:
                    values[key] = None
                    values[year_key] = only.year
                else:
                    values[key] = only.year
                notices.append(f"{header}: chỉ có năm {only.year}.")
                continue
            except ValueError as problem:
                errors.append(CellError(header, str(problem)))
                values[key] = None
                continue
            values[key] = value
            if notice:
                notices.append(f"{header}: {notice}")
        if gender_key and gender_key not in mapping:
            genders = layout.genders(row)
            if len(genders) > 1:
                errors.append(CellError("Nam/Nữ", "Cả hai cột Nam và Nữ đều có giá trị: chỉ được ghi một."))
            elif genders:
                values[gender_key] = _GENDER_OF[genders[0]]
                raw[gender_key] = genders[0]
        if birth_key and year_key and values.get(birth_key) is None and values.get(year_key) is None:
            pass
        if year_key and values.get(year_key) is None and isinstance(values.get(birth_key), dt.date):
            values[year_key] = values[birth_key].year
        sources.append(
            SourceRow(number=number, values=values, raw=raw, section=section, errors=errors, notices=notices)
        )
    return sources, skipped


def merge(plans: list[RowPlan], sources: list, skipped: list[RowPlan]) -> list[RowPlan]:
    """The kind's plans with what the framework found on each row: its parse errors (the row is an error
    whatever the kind made of it) and its notices; plus the skipped noise rows; in row order."""
    by_number = {p.number: p for p in plans}
    for source in sources:
        plan = by_number.get(source.number)
        if plan is None:
            plan = by_number[source.number] = RowPlan(number=source.number, outcome=Outcome.ERROR)
        known = {(e.column, e.message) for e in plan.errors}
        extra = [e for e in source.errors if (e.column, e.message) not in known]
        if extra:
            plan.errors = extra + plan.errors
            plan.outcome = Outcome.ERROR
        plan.notices = [n for n in source.notices if n not in plan.notices] + plan.notices
    return sorted([*by_number.values(), *skipped], key=lambda p: p.number)


def _names(column, alias: str) -> bool:
    """Is this the kind's birth-date (birth-year) column, whatever its key: "ngay sinh" among its names."""
    return column.key in ("birth_date", "birth_year") or alias in {
        tabular.words(a) for a in (column.label, *column.aliases)
    }


class _YearOnly(ValueError):
    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def composed_keys(kind, rows, merged, header_row: int) -> frozenset:
    """The kind's keys the layout at `header_row` gives by its sub-columns (name parts, genders, birth)."""
    layout = layout_of(kind, rows, merged, header_row)
    if layout is None:
        return frozenset()
    return frozenset(c.key for c in kind.columns if _composed(c, layout))


def _composed(column, layout) -> bool:
    """A required column the layout gives by its roles instead of a single column."""
    from .kinds import GENDER, NAME

    if column.type == NAME or column.key == "full_name":
        return bool(layout.name_parts)
    if column.type == GENDER:
        return bool(
            layout.of_role(tabular.GENDER_MARK)
            or layout.of_role(tabular.GENDER_TITLE)  # "Ông/Bà"
            or layout.of_role(tabular.BIRTH_BY_GENDER)
        )
    if column.key in ("birth_date", "birth_year"):
        return bool(layout.birth_columns)
    return False


def _at(row, index):
    return row[index] if index is not None and 0 <= index < len(row) else None


def _name_text(layout, mapping, key, name_key, row) -> str:
    if key in mapping:
        value = _at(row, mapping[key])
        return value if isinstance(value, str) else ""
    if key == name_key and layout.name_parts:
        return layout.full_name(row)
    return ""


def _text(cell) -> str:
    return " ".join(normalize(display(cell)).split())


def _parse(column, cell, order, encoding, number, title_case=False) -> tuple[Any, str]:
    """(value, notice) for one cell by its column's type; ValueError with the Vietnamese message."""
    from .kinds import DATE, GENDER, ID, INT, NAME, RAW, TEXT, YEAR

    kind = column.type
    if kind == RAW:
        return (normalize(cell) if isinstance(cell, str) else cell), ""
    if kind in (TEXT, NAME):
        text = _text(cell)
        notice = ""
        if encoding and isinstance(cell, str):
            converted, changed = legacy_text.convert_in_column(text, encoding)
            if changed:
                text, notice = converted, f"đã chuyển từ bảng mã {encoding.upper()} sang Unicode"
        if kind == NAME:
            if not legacy_text.is_vietnamese(text):
                raise ValueError(
                    f"“{text}” không phải chữ tiếng Việt (có thể gõ bằng bảng mã cũ TCVN3/VNI): "
                    "hãy chuyển tệp sang Unicode rồi nhập lại."
                )
            if title_case and cellvalues.is_all_capitals(text):
                text = cellvalues.title_case_name(text)
        return text[:500], notice
    if kind == DATE:
        dorder = order.order if order is not None else cellvalues.DAY_FIRST
        if order is not None and number in order.contradicting:
            raise ValueError(
                f"“{display(cell)}” ngược thứ tự ngày/tháng với các dòng khác của cột: hãy ghi rõ ngày/tháng/năm."
            )
        try:
            return cellvalues.parse_date(cell, dorder), ""
        except cellvalues.YearOnly as only:
            if _names(column, "ngay sinh"):
                raise _YearOnly(only.year) from only
            raise ValueError(f"Chỉ có năm {only.year}: hãy ghi đủ ngày/tháng/năm.") from only
        except ValueError as exc:
            raise ValueError(
                f"“{display(cell)}” không phải ngày hợp lệ (ghi dạng ngày/tháng/năm, ví dụ 15/03/1990)."
            ) from exc
    if kind == YEAR:
        try:
            return cellvalues.parse_year(cell), ""
        except ValueError as exc:
            raise ValueError(f"“{display(cell)}” không phải năm hợp lệ (4 chữ số, ví dụ 2024).") from exc
    if kind == INT:
        if isinstance(cell, bool):
            raise ValueError(f"“{display(cell)}” không phải số.")
        if isinstance(cell, int | float) and float(cell).is_integer():
            return int(cell), ""
        text = _text(cell).replace(".", "").replace(",", "").replace(" ", "")
        if text.lstrip("-").isdigit():
            return int(text), ""
        raise ValueError(f"“{display(cell)}” không phải số nguyên.")
    if kind == ID:
        if isinstance(cell, float) and (not cell.is_integer() or cell >= 2**53):
            raise ValueError(
                f"“{cell:g}” ở dạng số đã mất chữ số: hãy định dạng cột là Văn bản (Text) rồi nhập lại."
            )
        if isinstance(cell, int | float):
            return str(int(cell)), ""
        return _text(cell).replace(" ", "").lstrip("'"), ""
    if kind == GENDER:
        word = tabular.words(cell)
        if word in _GENDER_WORDS:
            return _GENDER_WORDS[word], ""
        raise ValueError(f"“{display(cell)}” không phải giới tính (ghi Nam hoặc Nữ, Ông hoặc Bà).")
    return cell, ""
