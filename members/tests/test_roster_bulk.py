"""The roster commit's bulk write path (`members.roster_db`): history rows, the one audit summary,
ids in row order, the PostgreSQL COPY path, transfers and membership changes, rollback on failure."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.models import AuditEvent
from members import roster, roster_db
from members.models import Membership, Person
from members.services import roster_import, rosters

FILES = Path(__file__).resolve().parent / "files"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức Minh", ""]
GIVEN = ["An", "Bình", "Ánh", "Đạt", "Ư"]


def make_rows(count: int) -> tuple[list[list], int, dict[str, int]]:
    rows: list[list] = [
        ["DANH SÁCH ĐOÀN VIÊN"],
        ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Tổ CĐ", "Số thẻ"],
    ]
    for i in range(count):
        name = " ".join(p for p in (FAMILY[i % 5], MIDDLE[i % 4], GIVEN[i % 5]) if p)
        group = "Tổ công đoàn Phòng Nội vụ" if i % 2 else ""
        birth = f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1970 + i % 30}"
        rows.append([name, "Nam" if i % 2 else "Nữ", birth, f"0770{i:08d}", group, f"BK{i:06d}"])
    header = roster.detect_header(rows)
    return rows, header, roster.guess_mapping(rows[header])


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        Person.history.count(),
        Membership.history.count(),
        AuditEvent.objects.count(),
    )


def test_bulk_import_writes_history_rows_and_one_summary_event(tree, officer, monkeypatch):
    monkeypatch.setattr(rosters, "WRITE_CHUNK", 700)  # several write rounds
    rows, header, mapping = make_rows(1600)
    persons, memberships, person_history, membership_history, events = counts()
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["created"] == 1600 and summary["rows"] == 1600
    assert counts() == (
        persons + 1600,
        memberships + 1600,
        person_history + 1600,
        membership_history + 1600,
        events + 1,
    )

    (event,) = AuditEvent.objects.filter(action="roster.import")
    new_ids = set(Person.objects.filter(citizen_id__startswith="0770").values_list("pk", flat=True))
    assert sorted(event.changes["created"]) == sorted(new_ids) and len(new_ids) == 1600
    assert event.actor == officer and event.unit == tree.ubnd and event.changes["updated"] == []
    assert "citizen_id" not in str(event.changes) and "077000000" not in str(event.changes)

    # each new person: one "+" history row by the officer with the row's values, one open membership
    sample = Person.objects.get(citizen_id="077000000005")
    (created,) = sample.history.all()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        officer,
        roster_db.HISTORY_REASON,
    )
    assert created.full_name == sample.full_name == "Nguyễn Thị An" and created.birth_date == dt.date(
        1975, 6, 6
    )
    membership = sample.memberships.get(ended_on__isnull=True)
    assert (
        membership.unit == tree.t1
        and membership.card_number == "BK000005"
        and membership.union_role == "DOAN_VIEN"
    )
    assert membership.started_on == timezone.localdate()
    (m_created,) = membership.history.all()
    assert (
        m_created.history_type == "+" and m_created.person_id == sample.pk and m_created.unit_id == tree.t1.pk
    )
    assert Person.objects.get(citizen_id="077000000000").memberships.get().unit == tree.ubnd  # no group
    for person in Person.objects.filter(citizen_id__startswith="0770")[:50]:
        expected = Person(
            family_name=person.family_name, middle_name=person.middle_name, given_name=person.given_name
        )
        expected.refresh_derived()
        assert (person.full_name, person.search_text, person.sort_key) == (
            expected.full_name,
            expected.search_text,
            expected.sort_key,
        )

    # the same file again: every row matched, nothing written but the summary event
    again = roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    assert again["created"] == 0 and again["unchanged"] == 1600
    assert counts() == (
        persons + 1600,
        memberships + 1600,
        person_history + 1600,
        membership_history + 1600,
        events + 2,
    )


def test_transfer_and_membership_change_through_the_import(tree, officer):
    rows = roster.read_rows((FILES / "roster_basic.xlsx").read_bytes(), "roster_basic.xlsx")
    header = roster.detect_header(rows)
    mapping = roster.guess_mapping(rows[header])
    rows[4][5] = "Tổ công đoàn Phòng Tài chính - Kế hoạch"  # An: from Tổ Nội vụ to Tổ Tài chính
    # Hoa (Tổ Tài chính): no group named, so she stays; her job title and role change
    rows.append(
        [7.0, "001185054321", "Trần Thị Hoa", "Nữ", "", "", "Chuyên viên chính", "Tổ phó", "", "", ""]
    )
    hoa_membership = tree.hoa.memberships.get()
    summary = roster_import(
        acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping
    )
    assert summary["transferred"] == 1 and summary["memberships_updated"] == 1 and summary["created"] == 5

    an = tree.an
    old = an.memberships.get(ended_on__isnull=False)
    new = an.memberships.get(ended_on__isnull=True)
    assert old.unit == tree.t1 and "nhập danh sách" in old.end_reason
    assert new.unit == tree.t2 and new.card_number == "0100000001" and new.union_role == "TO_TRUONG"
    assert new.history.get().history_type == "+"
    assert old.history.filter(history_type="~").exists()
    transfer = AuditEvent.objects.get(action="membership.transfer", object_id=str(an.pk))
    assert transfer.changes == {"unit": [tree.t1.name, tree.t2.name]} and transfer.unit == tree.t2

    hoa_membership.refresh_from_db()
    assert hoa_membership.ended_on is None and hoa_membership.unit == tree.t2
    assert (hoa_membership.job_title, hoa_membership.union_role) == ("Chuyên viên chính", "TO_PHO")
    update = AuditEvent.objects.get(action="membership.update", object_id=str(hoa_membership.pk))
    assert (
        update.changes["union_role"][1] == "TO_PHO" and update.changes["job_title"][1] == "Chuyên viên chính"
    )

    (event,) = AuditEvent.objects.filter(action="roster.import")
    assert event.changes["transferred"] == [an.pk]
    assert event.changes["memberships_updated"] == [hoa_membership.pk]


def test_a_failure_while_writing_rolls_back_every_row(tree, officer, monkeypatch):
    rows, header, mapping = make_rows(300)
    before = counts()
    real = roster_db.insert_history

    def failing(model, *args, **kwargs):
        if model is Membership:  # people and their history are already in by now
            raise RuntimeError("disk full")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(roster_db, "insert_history", failing)
    with pytest.raises(RuntimeError):
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    assert counts() == before
    assert not Person.objects.filter(citizen_id__startswith="0770").exists()


def test_insert_returns_ids_in_row_order(db):
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    names = roster_db.NameKeys()
    rows = []
    for i in range(2500):  # more than one multi-row INSERT on SQLite
        full_name, search_text, sort_key = names("Lê", "", f"Tên{i}")
        rows.append(
            {
                "created_at": stamp,
                "updated_at": stamp,
                "family_name": "Lê",
                "middle_name": "",
                "given_name": f"Tên{i}",
                "full_name": full_name,
                "gender": "M",
                "birth_date": dt.date(1990, 1, 1),
                "citizen_id": f"{880000000000 + i}",
                "phone": "",
                "email": "",
                "union_joined_on": None,
                "search_text": search_text,
                "sort_key": sort_key,
            }
        )
    with transaction.atomic():
        ids = roster_db.insert(Person, rows)
    assert len(set(ids)) == 2500
    stored = dict(Person.objects.filter(pk__in=ids).values_list("pk", "citizen_id"))
    assert [stored[pk] for pk in ids] == [row["citizen_id"] for row in rows]
    assert Person.objects.get(pk=ids[7]).birth_date == dt.date(1990, 1, 1)
    # an ordinary ORM insert afterwards gets a fresh id (the sequence moved past the rows)
    assert Person.objects.create(given_name="Sau", gender="F").pk not in set(ids)


@pytest.mark.parametrize(
    "family,middle,given",
    [
        ("Nguyễn", "Thị Thu", "Hà"),
        ("", "", "Ánh"),
        ("Đặng", "", "Ư"),
        ("Lê", "Văn", "An2"),
        ("Ngô", "Bảo", "Châu"),
    ],
)
def test_name_keys_match_refresh_derived(family, middle, given):
    person = Person(family_name=family, middle_name=middle, given_name=given)
    person.refresh_derived()
    keys = roster_db.NameKeys()
    assert keys(family, middle, given) == (person.full_name, person.search_text, person.sort_key)
    assert keys(family, middle, given) == (person.full_name, person.search_text, person.sort_key)  # memoised


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path is PostgreSQL-only; SQLite uses INSERT"
)
def test_postgresql_path_uses_copy_and_sequence_ids(tree, officer, monkeypatch):
    copied: list[str] = []
    real_copy = roster_db._pg_copy

    def spy(table, columns, values):
        copied.append(table.strip('"'))
        return real_copy(table, columns, values)

    monkeypatch.setattr(roster_db, "_pg_copy", spy)
    rows, header, mapping = make_rows(50)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM members_person_id_seq")
        (before,) = cursor.fetchone()
    roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=header, mapping=mapping)
    assert copied == [
        "members_person",
        "members_historicalperson",
        "members_membership",
        "members_historicalmembership",
    ]
    ids = list(Person.objects.filter(citizen_id__startswith="0770").values_list("pk", flat=True))
    assert len(ids) == 50 and min(ids) >= before
    assert Person.history.filter(id__in=ids, history_type="+").count() == 50
    assert Person.objects.create(given_name="Sau", gender="F").pk > max(ids)
