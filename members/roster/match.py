"""Matching a roster's rows with the people and open memberships already recorded (bulk, plain values)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection, Iterable
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Lookup

from core.text import fold

from ..models import Membership, Person
from ..validation import PERSON_FIELDS, InScope, deciding_paths
from .fields import CHUNK, FIELD_BY_KEY
from .reader import header_label
from .records import ExistingPerson, OpenMembership, RosterPlan, RosterRecord, RowError


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


def citizen_id_out_of_scope(row: int) -> str:
    return (
        f"Số CCCD ở dòng {row} đã thuộc một đoàn viên ngoài phạm vi của bạn — "
        "đề nghị cấp trên chuyển sinh hoạt."
    )


def card_out_of_scope(row: int) -> str:
    return (
        f"Số thẻ đoàn viên ở dòng {row} đã cấp cho một đoàn viên ngoài phạm vi của bạn — "
        "đề nghị cấp trên chuyển sinh hoạt."
    )


def name_out_of_scope(row: int) -> str:
    return (
        f"Họ tên và ngày sinh ở dòng {row} trùng với một đoàn viên ngoài phạm vi của bạn — "
        "đề nghị cấp trên kiểm tra hoặc chuyển sinh hoạt."
    )


class NameCandidate(NamedTuple):
    """A person with an open membership in the target's subtree whose folded full name is a row's."""

    pk: int
    birth_date: dt.date | None
    citizen_id: str | None
    card_number: str
    unit_name: str
    unit_path: str


def _name_key(person: dict, folded: dict[str, str]) -> str:
    """`Person.search_text` of the row's name (each part folded once per import)."""
    parts = []
    for part in (person["family_name"], person["middle_name"], person["given_name"]):
        if part:
            key = folded.get(part)
            if key is None:
                key = folded[part] = fold(part)
            if key:
                parts.append(key)
    return " ".join(parts)


def _date_text(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _match_by_name(
    plan: RosterPlan,
    parsed: list[RosterRecord],
    matched_pk: list[int | None],
    in_scope: InScope,
    chunk_size: int,
    confirm_duplicates: Collection[int],
) -> dict[int, int]:
    """Rows matched by neither citizen ID nor card number, matched by folded full name and birth date
    among the people with an open membership in the target unit's subtree: one person with the same
    name and the same full birth date is the row's person (returns row → person id).

    The same name with the same birth year but no full date on one side (a "Năm sinh" row, or a person
    recorded on 1 January of that year), or with no birth date on one side, or several people with the
    same name and date, is a POSSIBLE DUPLICATE: added to `plan.duplicates` (row, message), and the row
    is written only if its number is in `confirm_duplicates`. A person whose citizen ID differs from the
    row's is someone else. Rows of the file itself with the same name and full birth date (and no
    citizen ID telling them apart) are possible duplicates of the first of them."""
    folded: dict[str, str] = {}
    pending = [
        (record, _name_key(record.person, folded))
        for record, pk in zip(parsed, matched_pk, strict=True)
        if pk is None and not record.out_of_scope
    ]
    keys = sorted({key for _, key in pending if key})
    by_name: dict[str, list[NameCandidate]] = {}
    for chunk in _chunks(keys, chunk_size):
        for key, *values in (
            Membership.objects.filter(
                AnyOf(F("person__search_text"), chunk),
                ended_on__isnull=True,
                unit__path__startswith=plan.unit.path,
            )
            .order_by()
            .values_list(
                "person__search_text",
                "person_id",
                "person__birth_date",
                "person__citizen_id",
                "card_number",
                "unit__name",
                "unit__path",
            )
        ):
            by_name.setdefault(key, []).append(NameCandidate(*values))
    found: dict[int, int] = {}
    seen_in_file: dict[tuple[str, dt.date], RosterRecord] = {}
    for record, key in pending:
        if not key:
            continue
        cid = record.person["citizen_id"]
        birth = record.person["birth_date"]
        full_birth = birth if birth is not None and not record.birth_year_only else None
        candidates = [c for c in by_name.get(key, ()) if not (cid and c.citizen_id and c.citizen_id != cid)]
        same_date = [c for c in candidates if full_birth is not None and c.birth_date == full_birth]
        if len(same_date) == 1:
            candidate = same_date[0]
            card_differs = record.card_number and candidate.card_number not in ("", record.card_number)
            if not card_differs:
                found[record.row] = candidate.pk
                continue
            possible = same_date
        elif same_date:
            possible = same_date
        else:
            possible = [c for c in candidates if _possibly_same(birth, record.birth_year_only, c.birth_date)]
        if possible:
            if record.row not in confirm_duplicates:
                plan.duplicates.append((record.row, _duplicate_message(record, possible, in_scope)))
            continue
        if full_birth is not None and not cid:
            first = seen_in_file.get((key, full_birth))
            if first is not None and not first.person["citizen_id"]:
                if record.row not in confirm_duplicates:
                    plan.duplicates.append(
                        (
                            record.row,
                            f"Dòng {record.row}: “{_full_name(record)}” trùng họ tên và ngày sinh "
                            f"({_date_text(full_birth)}) với dòng {first.row} trong tệp — chưa ghi dòng này; "
                            "nếu là hai người khác nhau, hãy xác nhận dòng này.",
                        )
                    )
                continue
            seen_in_file[(key, full_birth)] = record
    return found


def _possibly_same(birth: dt.date | None, year_only: bool, recorded: dt.date | None) -> bool:
    """Same name, and birth dates that do not tell two people apart."""
    if birth is None or recorded is None:
        return True
    if year_only:
        return recorded.year == birth.year
    # a person recorded from a "Năm sinh" column carries 1 January of the year
    return recorded.year == birth.year and (recorded.month, recorded.day) == (1, 1)


def _full_name(record: RosterRecord) -> str:
    person = record.person
    return " ".join(p for p in (person["family_name"], person["middle_name"], person["given_name"]) if p)


def _duplicate_message(record: RosterRecord, possible: list[NameCandidate], in_scope: InScope) -> str:
    name = _full_name(record)
    tail = " — chưa ghi dòng này; nếu là người khác, hãy xác nhận dòng này để thêm mới."
    visible = [c for c in possible if in_scope(c.unit_path)]
    if len(visible) < len(possible):  # someone outside the importer's scope: say nothing of them
        return f"Dòng {record.row}: “{name}” có thể trùng với một đoàn viên đã có{tail}"
    where = ", ".join(
        f"“{c.unit_name}”" + (f", sinh {_date_text(c.birth_date)}" if c.birth_date else ", chưa có ngày sinh")
        for c in possible[:3]
    )
    birth = record.person["birth_date"]
    if birth is None:
        told = "dòng này không có ngày sinh"
    elif record.birth_year_only:
        told = f"dòng này chỉ có năm sinh {birth.year}"
    else:
        told = f"sinh {_date_text(birth)}"
    return f"Dòng {record.row}: “{name}” ({told}) có thể trùng với đoàn viên đã có tại {where}{tail}"


def _match_existing(
    plan: RosterPlan,
    parsed: list[RosterRecord],
    header,
    mapping,
    in_scope: InScope,
    confirm_duplicates: Collection[int] = (),
) -> None:
    """Bulk, as plain values (no model instances): people by citizen ID, open memberships by card
    number, then by name and birth date in the target's subtree (`_match_by_name`; possible duplicates
    go to `plan.duplicates`), then the matched people's open memberships (and, for those without one,
    their last one).

    A matched person is in scope when `in_scope` covers their open membership's unit, or — without an
    open membership — the unit of their last one (`validation.deciding_paths`). Outside it the row is an
    error that names neither the person nor their unit, and the person's values are never fetched, so
    nothing of them can reach the preview, the error file or a write. A few queries per chunk of rows."""
    chunk_size = _lookup_chunk()
    pk_by_cid: dict[str, int] = {}
    cids = [r.person["citizen_id"] for r in parsed if r.person["citizen_id"]]
    for chunk in _chunks(cids, chunk_size):
        pk_by_cid.update(
            Person.objects.filter(AnyOf(F("citizen_id"), chunk)).order_by().values_list("citizen_id", "pk")
        )
    holder_by_card: dict[str, tuple[int, str]] = {}  # card → (person id, unit path of the membership)
    cards = [r.card_number for r in parsed if r.card_number]
    for chunk in _chunks(cards, chunk_size):
        for card, person_pk, path in (
            Membership.objects.filter(AnyOf(F("card_number"), chunk), ended_on__isnull=True)
            .order_by()
            .values_list("card_number", "person_id", "unit__path")
        ):
            holder_by_card[card] = (person_pk, path)
    matched_pk: list[int | None] = []
    card_clash: list[tuple[RosterRecord, int, str]] = []  # (record, holder id, holder's unit path)
    for record in parsed:
        cid = record.person["citizen_id"]
        pk = pk_by_cid.get(cid) if cid else None
        holder = holder_by_card.get(record.card_number) if record.card_number else None
        if pk is None and holder is not None:
            pk = holder[0]
        elif pk is not None and holder is not None and holder[0] != pk:
            card_clash.append((record, *holder))
        matched_pk.append(pk)
    by_name = _match_by_name(plan, parsed, matched_pk, in_scope, chunk_size, confirm_duplicates)
    if by_name:
        matched_pk = [by_name.get(r.row, pk) for r, pk in zip(parsed, matched_pk, strict=True)]
    wanted = sorted({pk for pk in matched_pk if pk is not None} | {h for _, h, _ in card_clash})
    open_by_person: dict[int, OpenMembership] = {}
    for chunk in _chunks(wanted, chunk_size):
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
    deciding = {pk: m.unit_path for pk, m in open_by_person.items()}
    without_open = [pk for pk in wanted if pk not in open_by_person]
    for chunk in _chunks(without_open, chunk_size):
        deciding.update(
            deciding_paths(
                Membership.objects.filter(AnyOf(F("person_id"), chunk))
                .order_by()
                .values_list("person_id", "unit__path", "ended_on", "started_on", "pk")
            )
        )
    allowed = {pk for pk in wanted if pk in deciding and in_scope(deciding[pk])}
    people: dict[int, ExistingPerson] = {}
    for chunk in _chunks(sorted(allowed), chunk_size):
        for pk, full_name, *values in (
            Person.objects.filter(AnyOf(F("pk"), chunk))
            .order_by()
            .values_list("pk", "full_name", *PERSON_FIELDS)
        ):
            people[pk] = ExistingPerson(pk, full_name, dict(zip(PERSON_FIELDS, values, strict=True)))
    card_label = header_label(header, mapping["card_number"]) if "card_number" in mapping else ""
    for record, holder_pk, _ in card_clash:
        if holder_pk in allowed:
            message = f"Số thẻ đoàn viên đã cấp cho đoàn viên khác ({people[holder_pk].full_name})."
        else:
            message = card_out_of_scope(record.row)
        plan.errors.append(RowError(record.row, card_label, message))
    seen_person: dict[int, int] = {}
    for record, pk in zip(parsed, matched_pk, strict=True):
        if pk is None:
            continue
        if pk not in allowed:
            record.out_of_scope = True
            if record.person["citizen_id"] and pk_by_cid.get(record.person["citizen_id"]) == pk:
                column, message = "citizen_id", citizen_id_out_of_scope(record.row)
            elif record.row in by_name:
                column, message = "full_name", name_out_of_scope(record.row)
            else:
                column, message = "card_number", card_out_of_scope(record.row)
            plan.errors.append(RowError(record.row, header_label(header, mapping[column]), message))
            continue
        record.existing = people[pk]
        if pk in seen_person:
            plan.errors.append(
                RowError(
                    record.row,
                    FIELD_BY_KEY["full_name"].label,
                    f"Cùng một đoàn viên với dòng {seen_person[pk]} (trùng số CCCD, số thẻ hoặc họ tên và "
                    "ngày sinh).",
                )
            )
            continue
        seen_person[pk] = record.row
        record.membership = open_by_person.get(pk)
        if record.membership is not None and not record.membership.unit_path.startswith(plan.unit.path):
            # in the importer's scope, outside the unit being imported: they may see whom it is
            column = "citizen_id" if record.person["citizen_id"] else "card_number"
            column = column if column in mapping else "full_name"
            plan.errors.append(
                RowError(
                    record.row,
                    header_label(header, mapping[column]),
                    f"Đoàn viên {record.existing.full_name} đang sinh hoạt tại "
                    f"“{record.membership.unit_name}”, ngoài đơn vị đang nhập: "
                    "cần làm thủ tục chuyển sinh hoạt.",
                )
            )
