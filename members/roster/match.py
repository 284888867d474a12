"""Matching a roster's rows with the people and open memberships already recorded (bulk, plain values)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, Lookup

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


def _match_existing(plan: RosterPlan, parsed: list[RosterRecord], header, mapping, in_scope: InScope) -> None:
    """Bulk, as plain values (no model instances): people by citizen ID, open memberships by card
    number, then the matched people's open memberships (and, for those without one, their last one).

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
                    f"Cùng một đoàn viên với dòng {seen_person[pk]} (trùng số CCCD hoặc số thẻ).",
                )
            )
            continue
        seen_person[pk] = record.row
        record.membership = open_by_person.get(pk)
        if record.membership is not None and not record.membership.unit_path.startswith(plan.unit.path):
            # in the importer's scope, outside the unit being imported: they may see whom it is
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
