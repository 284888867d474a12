"""Matching a roster's rows with the people and open memberships already recorded (bulk, plain values)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, Lookup

from ..models import Membership, Person
from ..validation import PERSON_FIELDS
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


def _match_existing(plan: RosterPlan, parsed: list[RosterRecord], header, mapping) -> None:
    """Bulk, as plain values (no model instances): people by citizen ID, open memberships by card
    number, then the matched people and their open memberships. A few queries per chunk of rows."""
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
