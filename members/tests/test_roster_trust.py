"""Roster matching and person creation never reveal or change anything outside the importer's scope
(issue 12, findings 1 and 2), and concurrent imports of one unit cannot duplicate people (finding 6).

Scope of a matched person: their open membership's unit, or — without one — the unit of their LAST
membership; a person never a member anywhere is outside every scope."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
import time

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from conftest import add_person
from core.exceptions import ServiceError
from imports.models import ImportBatch
from members import roster, services
from members.models import Membership, Person
from members.services import RosterInvalid, roster_import

HEADER = ["Họ và tên", "Giới tính", "Số CCCD", "Số thẻ đoàn viên"]
MAPPING = {"full_name": 0, "gender": 1, "citizen_id": 2, "card_number": 3}
NEUTRAL_CID = "đã thuộc một đoàn viên ngoài phạm vi của bạn — đề nghị cấp trên chuyển sinh hoạt"
NEUTRAL_CARD = "đã cấp cho một đoàn viên ngoài phạm vi của bạn — đề nghị cấp trên chuyển sinh hoạt"


def rows_of(*data):
    return [list(HEADER), *[list(row) for row in data]]


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return buffer.getvalue()


def end(person, on=dt.date(2023, 6, 30)):
    Membership.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on, end_reason="Nghỉ")


def private_words(tree):
    """Everything the importer of Ninh Bình must never read about the Hà Nội members."""
    return [
        tree.an.full_name,
        tree.hoa.full_name,
        tree.minh_khai.full_name,
        tree.t1.name,
        tree.t2.name,
        tree.mk.name,
        tree.ubnd.name,
    ]


@pytest.fixture
def nb_officer(make_user, tree):
    """Officer of LĐLĐ tỉnh Ninh Bình: Hà Nội is outside their scope."""
    return make_user(Role.OFFICER, tree.nb)


# ------------------------------------------------------------------ finding 1: no lookup service
def test_preview_and_error_file_name_nobody_outside_the_scope(client, nb_officer, tree):
    """Citizen IDs and card numbers of Hà Nội members uploaded into a Ninh Bình unit: the preview and
    the downloadable error file say the numbers are taken, never by whom or where."""
    rows = rows_of(
        ["Người Thứ Nhất", "Nam", tree.an.citizen_id, ""],  # row 2: a citizen ID of Hà Nội
        ["Người Thứ Hai", "Nữ", "", "0100000002"],  # row 3: Hoa's card number
        ["Người Thứ Ba", "Nữ", tree.minh_khai.citizen_id, "0100000001"],  # row 4: both
        ["Người Thứ Tư", "Nam", "037099000001", "3799999999"],  # row 5: new, fine
    )
    client.force_login(nb_officer)
    response = client.post(
        reverse("imports:upload", args=["doan-vien"]) + f"?don_vi={tree.yk_ubnd.pk}",
        {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows))},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    record = ImportBatch.objects.get()
    data = {"header_row": record.header_row + 1, "header_rows": record.header_rows}
    client.post(
        reverse("imports:mapping", args=[record.pk]), data | {k: str(v) for k, v in record.mapping.items()}
    )
    html = client.get(reverse("imports:preview", args=[record.pk])).content.decode()
    assert "3 dòng có lỗi" in html
    assert f"Số CCCD ở dòng 2 {NEUTRAL_CID}" in html
    assert f"Số thẻ đoàn viên ở dòng 3 {NEUTRAL_CARD}" in html
    assert f"Số CCCD ở dòng 4 {NEUTRAL_CID}" in html and f"Số thẻ đoàn viên ở dòng 4 {NEUTRAL_CARD}" in html
    for word in private_words(tree):
        assert word not in html, word

    from imports.reading import stored_plans

    record.refresh_from_db()
    stored = " ".join(e["message"] for p in stored_plans(record) for e in p["errors"])
    error_file = client.get(reverse("imports:error_file", args=[record.pk]))
    assert error_file.status_code == 200
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(_content(error_file)))
        .get_sheet_by_index(0)
        .to_python(skip_empty_area=False)
    )
    written = " ".join(str(cell) for row in sheet for cell in row)
    assert NEUTRAL_CID in written and NEUTRAL_CARD in written
    for word in private_words(tree):
        assert word not in stored and word not in written, word


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_card_held_out_of_scope_is_not_named_even_beside_an_in_scope_match(tree, nb_officer):
    """Row matched by citizen ID to a Ninh Bình member, but carrying a Hà Nội card number."""
    rows = rows_of([tree.yen_khanh.full_name, "Nam", tree.yen_khanh.citizen_id, "0100000001"])
    plan = roster.validate(
        rows=rows, header_row=0, mapping=MAPPING, unit=tree.yk_ubnd, acting_user=nb_officer
    )
    (error,) = plan.errors
    assert error.column == "Số thẻ đoàn viên" and NEUTRAL_CARD in error.message
    assert tree.an.full_name not in error.message


def test_inside_the_scope_the_holder_may_be_named(tree, make_user):
    hn_officer = make_user(Role.OFFICER, tree.hn)
    rows = rows_of(
        [tree.an.full_name, "Nam", tree.an.citizen_id, "0100000004"],  # An, with Ánh's card
        ["Người Mới", "Nữ", tree.minh_khai.citizen_id, ""],  # Ánh (Minh Khai), outside the import unit
    )
    plan = roster.validate(rows=rows, header_row=0, mapping=MAPPING, unit=tree.ubnd, acting_user=hn_officer)
    messages = {e.row: e.message for e in plan.errors}
    assert tree.minh_khai.full_name in messages[2]  # the card: held by Ánh, in the officer's scope
    assert "Minh Khai" in messages[3] and "chuyển sinh hoạt" in messages[3]


def test_without_a_user_only_the_imported_unit_counts_as_scope(tree):
    rows = rows_of(["Người Mới", "Nữ", tree.minh_khai.citizen_id, ""])
    (error,) = roster.validate(rows=rows, header_row=0, mapping=MAPPING, unit=tree.ubnd).errors
    assert NEUTRAL_CID in error.message and "Minh Khai" not in error.message


def test_person_creation_does_not_say_who_holds_a_citizen_id_or_card(tree, nb_officer, make_user):
    from members.tests.test_services import membership_data, person_data

    for data, membership, field in (
        (person_data(citizen_id=tree.an.citizen_id), membership_data(tree.yk_ubnd), "citizen_id"),
        (person_data(), membership_data(tree.yk_ubnd, card_number="0100000001"), "card_number"),
    ):
        with pytest.raises(ServiceError) as caught:
            services.person_create(acting_user=nb_officer, person_data=data, membership_data=membership)
        assert caught.value.field == field
        assert "Không thể dùng số" in caught.value.message
        for word in private_words(tree):
            assert word not in caught.value.message
    # an officer whose scope holds An is told whom the number belongs to
    hn_officer = make_user(Role.OFFICER, tree.hn)
    with pytest.raises(ServiceError, match=tree.an.full_name):
        services.person_create(
            acting_user=hn_officer,
            person_data=person_data(citizen_id=tree.an.citizen_id),
            membership_data=membership_data(tree.mk),
        )


def test_person_update_does_not_say_who_holds_a_citizen_id(tree, nb_officer):
    from members.tests.test_services import person_data

    with pytest.raises(ServiceError) as caught:
        services.person_update(
            acting_user=nb_officer,
            person=tree.yen_khanh,
            person_data=person_data(given_name="Bình", gender="M", citizen_id=tree.an.citizen_id),
        )
    assert caught.value.message.startswith("Không thể dùng số CCCD này")
    assert tree.an.full_name not in caught.value.message


def test_person_create_screen_shows_the_neutral_message(client, nb_officer, tree):
    client.force_login(nb_officer)
    data = {
        "p-given_name": "Hạnh",
        "p-gender": "F",
        "p-citizen_id": tree.an.citizen_id,
        "m-unit": tree.yk_ubnd.pk,
        "m-union_role": "DOAN_VIEN",
        "m-work_mode": "NONE",
        "m-started_on": "2015-01-01",
    }
    html = client.post(reverse("members:create"), data).content.decode()
    assert "Không thể dùng số CCCD này" in html and tree.an.full_name not in html


# ------------------------------------------------------------------ finding 2: no overwrite elsewhere
def test_a_person_who_left_another_branch_is_neither_changed_nor_moved(tree, nb_officer):
    """Ánh's membership in Minh Khai (Hà Nội) ended: an import in Ninh Bình with her citizen ID used to
    rename her, replace her birth date, phone and e-mail and open a membership in Ninh Bình."""
    end(tree.minh_khai)
    before = Person.objects.filter(pk=tree.minh_khai.pk).values().get()
    rows = [
        [*HEADER, "Ngày sinh", "Điện thoại", "Email"],
        ["Kẻ Mạo Danh", "Nữ", tree.minh_khai.citizen_id, "", "01/01/1999", "0999999999", "x@example.vn"],
    ]
    mapping = {**MAPPING, "birth_date": 4, "phone": 5, "email": 6}
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=nb_officer, unit=tree.yk_ubnd, rows=rows, header_row=0, mapping=mapping)
    (error,) = caught.value.plan.errors
    assert error.row == 2 and error.column == "Số CCCD" and NEUTRAL_CID in error.message
    assert Person.objects.filter(pk=tree.minh_khai.pk).values().get() == before
    assert not Membership.objects.filter(person=tree.minh_khai, ended_on__isnull=True).exists()


def test_matched_by_card_or_never_a_member_anywhere_is_out_of_scope(tree, nb_officer):
    lone = Person.objects.create(given_name="Lẻ", gender="M", citizen_id="001000000999")  # no membership
    rows = rows_of(["Người Lẻ", "Nam", lone.citizen_id, ""], ["Người Khác", "Nữ", "", "0100000002"])
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=nb_officer, unit=tree.yk_ubnd, rows=rows, header_row=0, mapping=MAPPING)
    messages = {e.row: e.message for e in caught.value.plan.errors}
    assert NEUTRAL_CID in messages[2] and NEUTRAL_CARD in messages[3]
    assert Person.objects.get(pk=lone.pk).full_name == "Lẻ"
    assert not Membership.objects.filter(person=lone).exists()


def test_the_last_membership_decides(tree, officer, nb_officer):
    """Hoa left Mỹ Đức, then sat in Ninh Bình and left again: Ninh Bình has her now, Mỹ Đức no longer."""
    end(tree.hoa, dt.date(2021, 12, 31))
    Membership.objects.create(
        person=tree.hoa, unit=tree.yk_ubnd, started_on=dt.date(2022, 1, 1), ended_on=dt.date(2024, 1, 31)
    )
    rows = rows_of(["Trần Thị Hoa", "Nữ", tree.hoa.citizen_id, ""])
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)
    assert NEUTRAL_CID in caught.value.plan.errors[0].message
    summary = roster_import(
        acting_user=nb_officer, unit=tree.yk_ubnd, rows=rows, header_row=0, mapping=MAPPING
    )
    assert summary["created"] == 0 and summary["unchanged"] == 1
    assert Membership.objects.get(person=tree.hoa, ended_on__isnull=True).unit == tree.yk_ubnd


def test_a_person_who_left_inside_the_scope_is_taken_back(tree, officer):
    end(tree.hoa)
    rows = rows_of(["Trần Thị Hoa Mai", "Nữ", tree.hoa.citizen_id, ""])
    summary = roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)
    assert summary["updated"] == 1
    hoa = Person.objects.get(pk=tree.hoa.pk)
    assert hoa.full_name == "Trần Thị Hoa Mai"
    assert hoa.memberships.get(ended_on__isnull=True).unit == tree.ubnd


# ------------------------------------------------------------------ finding 6: concurrent imports
def test_an_open_card_number_is_unique_in_the_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        add_person(tree.t2, "Ai Đó", card="0100000001")  # An's open card number
    end(tree.an)
    add_person(tree.t2, "Ai Đó", card="0100000001")  # free once An's membership ended
    add_person(tree.t2, "Người Không Thẻ")
    add_person(tree.t2, "Người Không Thẻ Nữa")  # empty card numbers are not numbers


def test_membership_update_refuses_a_card_number_in_use(tree, officer):
    current = Membership.objects.get(person=tree.hoa, ended_on__isnull=True)
    with pytest.raises(ServiceError, match="đã cấp cho đoàn viên khác") as caught:
        services.membership_update(
            acting_user=officer, membership=current, data={"card_number": "0100000001"}
        )
    assert caught.value.field == "card_number"


def test_a_write_refused_by_the_database_is_a_vietnamese_row_error(tree, officer, monkeypatch):
    """Between the check and the write someone records the citizen ID of row 3: the database refuses
    the insert; the officer reads which row, in Vietnamese, and nothing is written."""
    rows = rows_of(["Người Một", "Nam", "001099000001", ""], ["Người Hai", "Nữ", "001099000002", ""])
    validate = roster.validate

    def validate_then_someone_else_writes(**kwargs):
        plan = validate(**kwargs)
        Person.objects.create(given_name="Khác", gender="F", citizen_id="001099000002")
        return plan

    monkeypatch.setattr(roster, "validate", validate_then_someone_else_writes)
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)
    (error,) = caught.value.plan.errors
    assert error.row == 3 and error.column == "Số CCCD"
    assert error.message.startswith("Số CCCD ở dòng 3 vừa được ghi cho một đoàn viên khác")
    assert not Person.objects.filter(citizen_id="001099000001").exists()


def test_a_card_number_refused_by_the_database_names_the_row(tree, officer, monkeypatch):
    rows = rows_of(["Người Một", "Nam", "", "0199000001"], ["Người Hai", "Nữ", "", "0199000002"])
    validate = roster.validate

    def validate_then_someone_else_writes(**kwargs):
        plan = validate(**kwargs)
        add_person(tree.t2, "Người Khác", card="0199000002")
        return plan

    monkeypatch.setattr(roster, "validate", validate_then_someone_else_writes)
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)
    (error,) = caught.value.plan.errors
    assert error.row == 3 and "Số thẻ đoàn viên ở dòng 3 vừa được cấp" in error.message
    assert not Membership.objects.filter(card_number="0199000001").exists()


def test_a_member_moved_meanwhile_is_named_by_row(tree, officer, monkeypatch):
    """Hoa left; the import takes her back, but meanwhile someone opened a membership for her."""
    end(tree.hoa)
    rows = rows_of(["Người Mới", "Nam", "", ""], ["Trần Thị Hoa", "Nữ", tree.hoa.citizen_id, ""])
    validate = roster.validate

    def validate_then_someone_else_writes(**kwargs):
        plan = validate(**kwargs)
        Membership.objects.create(person=tree.hoa, unit=tree.t1, started_on=dt.date(2024, 1, 1))
        return plan

    monkeypatch.setattr(roster, "validate", validate_then_someone_else_writes)
    with pytest.raises(RosterInvalid) as caught:
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)
    (error,) = caught.value.plan.errors
    assert error.row == 3 and "vừa được chuyển hoặc ghi sinh hoạt ở nơi khác" in error.message
    assert not Person.objects.filter(full_name="Người Mới").exists()


def test_an_unexplained_refusal_is_still_a_vietnamese_message(tree, officer, monkeypatch):
    rows = rows_of(["Người Một", "Nam", "", ""])
    from members.services import rosters

    def refused(*args, **kwargs):
        raise (sqlite3.IntegrityError if connection.vendor == "sqlite" else IntegrityError)("some check")

    monkeypatch.setattr(rosters, "_write_plan", refused)
    with pytest.raises(ServiceError, match="Không ghi được: dữ liệu đoàn viên vừa bị thay đổi"):
        roster_import(acting_user=officer, unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers (IMMEDIATE)")
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_create_each_person_once(monkeypatch):
    """The same 500-row file (card numbers, no citizen IDs) committed twice at the same moment, on two
    connections: the second waits for the first and matches the 500 people it wrote."""
    from accounts.models import RoleAssignment, User
    from conftest import build_tree

    tree = build_tree()
    users = []
    for n in range(2):
        user = User.objects.create_user(username=f"import{n}", password="pw")
        RoleAssignment.objects.create(
            user=user, role=Role.OFFICER, unit=tree.md, valid_from=dt.date(2020, 1, 1)
        )
        users.append(user)
    rows = rows_of(*[[f"Đoàn Viên Số {i}", "Nữ", "", f"09{i:08d}"] for i in range(500)])
    validate = roster.validate

    def slow_validate(**kwargs):  # widen the window between matching and writing
        plan = validate(**kwargs)
        time.sleep(0.5)
        return plan

    monkeypatch.setattr(roster, "validate", slow_validate)
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def run(n):
        try:
            barrier.wait()
            outcomes[n] = roster_import(
                acting_user=users[n], unit=tree.ubnd, rows=rows, header_row=0, mapping=MAPPING
            )
        except Exception as exc:  # noqa: BLE001 - the outcome is asserted below
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert sorted(o["created"] for o in outcomes) == [0, 500]
    assert Person.objects.filter(full_name__startswith="Đoàn Viên Số").count() == 500
    cards = Membership.objects.filter(ended_on__isnull=True, card_number__startswith="09")
    assert cards.count() == 500 and cards.values("card_number").distinct().count() == 500
