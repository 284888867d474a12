"""The roster commit (`roster_import`: all-or-nothing, fast inserts through `members.roster_db`) — run by
the import framework's worker for the kind "doan-vien" (`members/importers.py`) and by
`manage.py import_members` — and the .xlsx roster export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core import metrics
from core.access import Action, ancestor_or_self_paths, can, require
from core.audit import audit_record, diff_fields
from core.exceptions import ServiceError
from core.models import AuditEvent
from organizations.models import OrgUnit

from .. import roster, roster_db
from ..choices import UnionRole, WorkMode
from ..models import Membership, Person
from ..selectors import roster_export_rows


class RosterInvalid(ServiceError):
    """The roster has row errors: nothing was written. `plan.errors` lists them."""

    def __init__(self, plan):
        super().__init__(f"Tệp có {len(plan.errors)} lỗi: chưa ghi đoàn viên nào.")
        self.plan = plan


IMPORT_PERSON_FIELDS = {
    "full_name": ("family_name", "middle_name", "given_name"),
    "gender": ("gender",),
    "birth_date": ("birth_date",),
    "citizen_id": ("citizen_id",),
    "phone": ("phone",),
    "email": ("email",),
    "union_joined_on": ("union_joined_on",),
}
IMPORT_MEMBERSHIP_FIELDS = {
    "union_role": "union_role",
    "job_title": "job_title",
    "card_number": "card_number",
}
BATCH = 1000  # ORM batches (updates of matched people, their events)
WRITE_CHUNK = 10_000  # new rows per COPY / INSERT round (progress is reported between rounds)


def roster_import(
    *,
    acting_user,
    unit: OrgUnit,
    rows: list[list[Any]],
    header_row: int,
    mapping: dict[str, int],
    progress=None,
    title_case_names: bool = False,
    confirm_duplicates=(),
) -> dict[str, int]:
    """Import a roster into `unit` (and its union groups) as ONE transaction: every row is valid and
    written, or `RosterInvalid` is raised and nothing is. People are matched by citizen ID, then by card
    number: a match is updated (changed fields only, each change audited), never duplicated.

    New people and memberships, with their django-simple-history rows, go in through `roster_db`
    (COPY on PostgreSQL, multi-row INSERT on SQLite) from plain row dicts; matched people that changed
    are loaded and updated with the ORM (`bulk_update_with_history`). The audit log gets one
    `roster.import` event listing the ids created, updated and transferred, plus one event per changed
    existing person or membership (before/after; citizen IDs never written into the log).

    `title_case_names` and `confirm_duplicates` as `roster.validate`: possible duplicates not confirmed
    are left out (counted as "skipped").

    `progress(stage, done, total)` is called as rows are checked and written.
    Queries are per chunk of rows (bulk fetch, COPY/INSERT, bulk_update), never per row."""
    require(acting_user, Action.PERSON_CHANGE, unit.path)

    def report(stage: str):
        return (lambda done, total: progress(stage, done, total)) if progress else None

    lock_pk = _import_lock_unit(unit)
    clash = (IntegrityError, connection.Database.IntegrityError)  # raw cursors raise the driver's own
    try:
        with transaction.atomic():
            # imports of one CĐCS one after the other: the second matches the people the first wrote
            _lock_unit(lock_pk)
            plan = roster.validate(
                rows=rows,
                header_row=header_row,
                mapping=mapping,
                unit=unit,
                acting_user=acting_user,
                progress=report("check"),
                title_case_names=title_case_names,
                confirm_duplicates=confirm_duplicates,
            )
            if plan.errors:
                raise RosterInvalid(plan)
            try:
                with transaction.atomic():  # a savepoint: after a clash the database is still readable
                    return _write_plan(
                        plan, acting_user=acting_user, unit=unit, mapping=mapping, progress=progress
                    )
            except clash as exc:
                raise _clash_error(exc, plan, rows[header_row], mapping) from exc
    except clash as exc:  # at commit (deferred checks)
        raise ServiceError(CLASH_MESSAGE) from exc


def _import_lock_unit(unit: OrgUnit) -> int:
    """The unit whose row serialises imports: the CĐCS the import writes into (the nearest grassroots
    unit at or above `unit`), else `unit` itself."""
    grassroots = (
        OrgUnit.objects.filter(
            path__in=ancestor_or_self_paths(unit.path, OrgUnit.steplen), unit_type__is_grassroots=True
        )
        .order_by("-depth")
        .values_list("pk", flat=True)
        .first()
    )
    return grassroots or unit.pk


def _lock_unit(pk: int) -> None:
    """FOR NO KEY UPDATE: a second import of the same CĐCS waits here until the first commits, while
    rows that merely reference the unit (its members' records) can still be written. On SQLite the
    IMMEDIATE transaction already holds the database's write lock."""
    list(OrgUnit.objects.select_for_update(no_key=True).filter(pk=pk).values_list("pk", flat=True))


CLASH_MESSAGE = (
    "Không ghi được: dữ liệu đoàn viên vừa bị thay đổi trong lúc nhập (có thể có một lần nhập khác "
    "đang chạy). Chưa ghi đoàn viên nào: hãy kiểm tra lại rồi ghi lại."
)


def _clash_error(exc: Exception, plan, header: list, mapping: dict[str, int]) -> ServiceError:
    """A unique constraint refused a write (someone recorded the same citizen ID or card number, or
    moved a matched member, between the check and the write): the rows concerned as row errors
    (`RosterInvalid`, nothing written), or one message when they cannot be told."""
    text = str(exc)
    found: list[roster.RowError] = []
    if "citizen_id" in text:
        wanted = {
            r.person["citizen_id"]: r for r in plan.records if r.existing is None and r.person["citizen_id"]
        }
        label = _label(header, mapping, "citizen_id")
        for taken, _ in _existing(Person.objects.all(), "citizen_id", list(wanted), "pk"):
            record = wanted[taken]
            found.append(
                roster.RowError(
                    record.row,
                    label,
                    f"Số CCCD ở dòng {record.row} vừa được ghi cho một đoàn viên khác trong lúc nhập: "
                    "chưa ghi đoàn viên nào, hãy kiểm tra lại rồi ghi lại.",
                )
            )
    elif "card_number" in text:
        wanted = {r.card_number: r for r in plan.records if r.card_number}
        label = _label(header, mapping, "card_number")
        holders: dict[str, set[int]] = {}
        for card, person_pk in _existing(
            Membership.objects.filter(ended_on__isnull=True), "card_number", list(wanted), "person_id"
        ):
            holders.setdefault(card, set()).add(person_pk)
        for card, held_by in holders.items():
            record = wanted[card]
            if record.existing is None or held_by != {record.existing.pk}:
                found.append(
                    roster.RowError(
                        record.row,
                        label,
                        f"Số thẻ đoàn viên ở dòng {record.row} vừa được cấp cho một đoàn viên khác trong lúc "
                        "nhập: chưa ghi đoàn viên nào, hãy kiểm tra lại rồi ghi lại.",
                    )
                )
    elif "person" in text or "one_open_membership" in text:
        matched = {r.existing.pk: r for r in plan.records if r.existing is not None}
        now_open = dict(
            _existing(Membership.objects.filter(ended_on__isnull=True), "person_id", list(matched), "pk")
        )
        for pk, record in matched.items():
            if now_open.get(pk) != (record.membership.pk if record.membership else None):
                found.append(
                    roster.RowError(
                        record.row,
                        _label(header, mapping, "full_name"),
                        f"Đoàn viên ở dòng {record.row} vừa được chuyển hoặc ghi sinh hoạt ở nơi khác trong "
                        "lúc nhập: chưa ghi đoàn viên nào, hãy kiểm tra lại rồi ghi lại.",
                    )
                )
    if not found:
        return ServiceError(CLASH_MESSAGE)
    plan.errors = sorted(found, key=lambda e: e.row)
    return RosterInvalid(plan)


def _label(header: list, mapping: dict[str, int], key: str) -> str:
    """The column header as written in the file (the field's name when the column is not mapped)."""
    return roster.header_label(header, mapping[key]) if key in mapping else roster.FIELD_BY_KEY[key].label


def _existing(queryset, field: str, values: list, other: str) -> list[tuple]:
    """(field, other) of the rows of `queryset` whose `field` is one of `values` (in chunks)."""
    found: list[tuple] = []
    for start in range(0, len(values), 500):
        found.extend(
            queryset.filter(**{f"{field}__in": values[start : start + 500]})
            .order_by()
            .values_list(field, other)
        )
    return found


def _write_plan(plan, *, acting_user, unit: OrgUnit, mapping: dict[str, int], progress) -> dict[str, int]:
    """The writes of `roster_import` for a valid plan (inside its transaction)."""
    today = timezone.localdate()
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    actor_name = (actor.get_full_name() or actor.get_username()) if actor else "Hệ thống"
    person_fields = [f for key, names in IMPORT_PERSON_FIELDS.items() if key in mapping for f in names]
    membership_fields = [f for key, f in IMPORT_MEMBERSHIP_FIELDS.items() if key in mapping]
    events: list[AuditEvent] = []

    def event(action: str, model, pk: int, repr_: str, unit_id: int, summary: str, changes: dict):
        events.append(
            AuditEvent(
                occurred_at=now,
                actor=actor,
                actor_name=actor_name,
                action=action,
                object_type=model._meta.label_lower,
                object_id=str(pk),
                object_repr=repr_[:255],
                unit_id=unit_id,
                summary=summary,
                changes=changes,
            )
        )

    def membership_row(person_id: int, record, previous) -> dict[str, Any]:
        return {
            "created_at": stamp,
            "updated_at": stamp,
            "union_role": record.union_role or (previous.union_role if previous else UnionRole.DOAN_VIEN),
            "job_title": record.job_title or (previous.job_title if previous else ""),
            "work_mode": previous.work_mode if previous else WorkMode.NONE,
            "card_number": record.card_number or (previous.card_number if previous else ""),
            "started_on": today,
            "ended_on": None,
            "end_reason": "",
            "unit_id": record.unit.pk,
            "person_id": person_id,
        }

    # 1. sort the rows: new people; changes to matched people and their open memberships
    new_records = []
    person_updates: dict[int, tuple[Any, dict[str, Any], dict]] = {}  # pk → (record, new values, diff)
    membership_updates: dict[int, tuple[Any, dict[str, Any], dict]] = {}
    transfers: list[tuple[Any, Any]] = []  # (record, open membership it ends)
    matched_memberships: list[dict[str, Any]] = []  # new memberships of matched people
    for record in plan.records:
        existing = record.existing
        if existing is None:
            new_records.append(record)
            continue
        updates = {
            name: value
            for name in person_fields
            if (value := record.person[name]) not in (None, "")  # an empty cell never erases
            and value != existing.values[name]
        }
        if updates:
            changes = diff_fields({name: existing.values[name] for name in updates}, updates)
            if "citizen_id" in changes:  # never write the number itself into the log
                changes["citizen_id"] = ["(đã thay đổi)", "(đã thay đổi)"]
            person_updates[existing.pk] = (record, updates, changes)
        current = record.membership
        if current is None or (record.group_given and current.unit_id != record.unit.pk):
            # no open membership, or named in another group: (ends the current one and) opens one
            matched_memberships.append(membership_row(existing.pk, record, current))
            if current is not None:
                transfers.append((record, current))
            continue
        # no group named: the member stays where they are
        m_updates = {
            name: value
            for name in membership_fields
            if (value := getattr(record, name)) not in (None, "") and value != getattr(current, name)
        }
        if m_updates:
            m_changes = diff_fields({name: getattr(current, name) for name in m_updates}, m_updates)
            membership_updates[current.pk] = (record, m_updates, m_changes)

    total = len(plan.records)
    written = 0

    def advance(count: int) -> None:
        nonlocal written
        written += count
        if progress:
            progress("write", min(written, total), total)

    # 2. matched people that changed (ORM, with history rows and one event each)
    names_after: dict[int, str] = {}
    if person_updates:
        people = _in_bulk(Person, list(person_updates))
        changed = []
        for pk, (_, updates, _) in person_updates.items():
            person = people[pk]
            for name, value in updates.items():
                setattr(person, name, value)
            person.refresh_derived()
            changed.append(person)
            names_after[pk] = person.full_name
        for start in range(0, len(changed), BATCH):
            chunk = changed[start : start + BATCH]
            bulk_update_history(
                Person, chunk, [*person_fields, "full_name", "search_text", "sort_key"], acting_user
            )
            advance(len(chunk))
        for person in changed:
            record, _, changes = person_updates[person.pk]
            event(
                "person.update",
                Person,
                person.pk,
                person.full_name,
                record.unit.pk
                if record.membership is None or record.group_given
                else record.membership.unit_id,
                f"Sửa thông tin đoàn viên “{person.full_name}” (nhập danh sách): "
                + ", ".join(str(Person._meta.get_field(name).verbose_name) for name in changes),
                changes,
            )

    # 3. open memberships that end (transfers) or change; ended before the new ones open
    if transfers or membership_updates:
        ending = {current.pk: record for record, current in transfers}
        memberships = _in_bulk(Membership, [*ending, *membership_updates])
        ended = []
        for record, current in transfers:
            membership = memberships[current.pk]
            membership.ended_on = max(today - dt.timedelta(days=1), membership.started_on)
            membership.end_reason = f"Chuyển sang {record.unit.name} (nhập danh sách)"
            ended.append(membership)
            name = names_after.get(record.existing.pk, record.existing.full_name)
            event(
                "membership.transfer",
                Person,
                record.existing.pk,
                name,
                record.unit.pk,
                f"Chuyển sinh hoạt của “{name}” từ “{current.unit_name}” sang “{record.unit.name}” "
                "(nhập danh sách)",
                {"unit": [current.unit_name, record.unit.name]},
            )
        bulk_update_history(Membership, ended, ["ended_on", "end_reason"], acting_user)
        updated = []
        for pk, (record, m_updates, m_changes) in membership_updates.items():
            membership = memberships[pk]
            for name, value in m_updates.items():
                setattr(membership, name, value)
            updated.append(membership)
            name = names_after.get(record.existing.pk, record.existing.full_name)
            event(
                "membership.update",
                Membership,
                pk,
                f"{name} — {record.membership.unit_name}",
                record.membership.unit_id,
                f"Cập nhật sinh hoạt công đoàn của “{name}” tại “{record.membership.unit_name}” "
                "(nhập danh sách)",
                m_changes,
            )
        bulk_update_history(Membership, updated, membership_fields, acting_user)

    # 4. new memberships of matched people, then new people with theirs (fast path, with history)
    user_id = actor.pk if actor else None
    ids = roster_db.insert(Membership, matched_memberships)
    roster_db.insert_history(Membership, matched_memberships, ids, when=stamp, user_id=user_id)
    names = roster_db.NameKeys()
    created: list[int] = []
    for start in range(0, len(new_records), WRITE_CHUNK):
        chunk = new_records[start : start + WRITE_CHUNK]
        person_rows = []
        for record in chunk:
            values = record.person
            full_name, search_text, sort_key = names(
                values["family_name"], values["middle_name"], values["given_name"]
            )
            person_rows.append(
                {
                    "created_at": stamp,
                    "updated_at": stamp,
                    **values,
                    "full_name": full_name,
                    "search_text": search_text,
                    "sort_key": sort_key,
                }
            )
        person_ids = roster_db.insert(Person, person_rows)
        roster_db.insert_history(Person, person_rows, person_ids, when=stamp, user_id=user_id)
        membership_rows = [
            membership_row(pk, record, None) for pk, record in zip(person_ids, chunk, strict=True)
        ]
        ids = roster_db.insert(Membership, membership_rows)
        roster_db.insert_history(Membership, membership_rows, ids, when=stamp, user_id=user_id)
        created.extend(person_ids)
        advance(len(chunk))

    # 5. the audit log: one event for the import, naming every person it created or changed
    summary = {
        "rows": plan.total_rows,
        "created": len(new_records),
        "updated": len(person_updates),
        "unchanged": plan.match_count - len(person_updates),
        "transferred": len(transfers),
        "memberships_updated": len(membership_updates),
        "skipped": len(plan.duplicates),  # possible duplicates not confirmed: not written
    }
    event(
        "roster.import",
        OrgUnit,
        unit.pk,
        str(unit),
        unit.pk,
        f"Nhập danh sách đoàn viên vào “{unit.name}”: {summary['rows']} dòng, thêm {summary['created']}, "
        f"cập nhật {summary['updated']}",
        {
            "summary": [None, summary],
            "created": created,  # Person ids; their history rows carry the values
            "updated": sorted(person_updates),  # Person ids; details in their person.update events
            "transferred": [record.existing.pk for record, _ in transfers],
            "memberships_updated": sorted(membership_updates),
        },
    )
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    # COPY and bulk updates send no signal: the units written (and people whose gender changed) are
    # marked once, so the commit queues ONE refresh of their counters
    metrics.mark_changed_many({r.unit.pk for r in plan.records} | {c.unit_id for _, c in transfers})
    metrics.mark_related("person", [pk for pk, (_, u, _) in person_updates.items() if "gender" in u])
    if progress:
        progress("write", total, total)
    return summary


def _in_bulk(model, pks: list[int]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for start in range(0, len(pks), BATCH):
        found.update(model.objects.in_bulk(pks[start : start + BATCH]))
    return found


def bulk_update_history(model, objs: list, fields: list[str], acting_user) -> None:
    if not objs or not fields:
        return
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    bulk_update_with_history(
        objs, model, fields, batch_size=BATCH, default_user=user, default_change_reason="Nhập danh sách"
    )


def roster_export(*, acting_user, unit: OrgUnit) -> tuple[bytes, bool]:
    """The .xlsx roster of the unit's subtree. Citizen IDs are masked unless the user holds
    PERSON_VIEW_SENSITIVE on the unit; an unmasked export is audit-logged. Returns (data, unmasked)."""
    require(acting_user, Action.PERSON_VIEW, unit.path)
    unmasked = can(acting_user, Action.PERSON_VIEW_SENSITIVE, unit.path)
    rows = roster_export_rows(unit=unit, show_citizen_id=unmasked)
    data = roster.export_workbook(
        title=f"DANH SÁCH ĐOÀN VIÊN — {unit.name.upper()} (ngày {timezone.localdate():%d/%m/%Y})", rows=rows
    )
    if unmasked:
        with transaction.atomic():
            audit_record(
                actor=acting_user,
                action="person.export_sensitive",
                obj=unit,
                unit=unit,
                summary=f"Xuất danh sách {len(rows)} đoàn viên của “{unit.name}” kèm số CCCD đầy đủ",
                changes={"rows": [None, len(rows)]},
            )
    return data, unmasked
