import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import ServiceError
from core.models import AuditEvent
from members import services
from members.models import Membership, Person


def person_data(**over):
    data = {
        "family_name": "Vũ",
        "middle_name": "Thị",
        "given_name": "Hạnh",
        "gender": "F",
        "birth_date": dt.date(1990, 3, 8),
        "citizen_id": "001190123456",
        "phone": "",
        "email": "",
        "union_joined_on": dt.date(2012, 1, 1),
    }
    return {**data, **over}


def membership_data(unit, **over):
    return {
        "unit": unit,
        "union_role": "DOAN_VIEN",
        "job_title": "Chuyên viên",
        "work_mode": "NONE",
        "card_number": "0100000777",
        "started_on": dt.date(2015, 1, 1),
        **over,
    }


@pytest.mark.django_db
class TestPersonCreate:
    def test_creates_person_membership_and_audit(self, tree, officer):
        person = services.person_create(
            acting_user=officer, person_data=person_data(), membership_data=membership_data(tree.t1)
        )
        assert person.full_name == "Vũ Thị Hạnh" and person.search_text == "vu thi hanh"
        assert person.memberships.get().unit == tree.t1
        event = AuditEvent.objects.get(action="person.create")
        assert event.unit == tree.t1 and "001190123456" not in str(event.changes)

    @pytest.mark.parametrize(
        ("override", "field", "message"),
        [
            ({"citizen_id": "12345"}, "citizen_id", "Số CCCD phải gồm đúng 12 chữ số."),
            ({"citizen_id": "00119012345a"}, "citizen_id", "Số CCCD phải gồm đúng 12 chữ số."),
            ({"citizen_id": "001085012345"}, "citizen_id", "Số CCCD này đã có trong hệ thống"),
            ({"birth_date": dt.date(2090, 1, 1)}, "birth_date", "Ngày sinh không được sau ngày hôm nay."),
            ({"birth_date": dt.date(1900, 1, 1)}, "birth_date", "tuổi lớn hơn 100"),
            (
                {"birth_date": timezone.localdate().replace(year=timezone.localdate().year - 10)},
                "birth_date",
                "từ đủ 15 tuổi",
            ),
            ({"given_name": "  "}, "given_name", "Tên không được để trống."),
            ({"gender": "X"}, "gender", "Giới tính phải là Nam hoặc Nữ."),
            ({"union_joined_on": dt.date(1980, 1, 1)}, "union_joined_on", "không được trước ngày sinh"),
        ],
    )
    def test_validation_messages_in_vietnamese(self, tree, officer, override, field, message):
        with pytest.raises(ServiceError) as exc:
            services.person_create(
                acting_user=officer,
                person_data=person_data(**override),
                membership_data=membership_data(tree.t1),
            )
        assert exc.value.field == field and message in exc.value.message
        assert not Person.objects.filter(given_name="Hạnh").exists()

    def test_members_sit_in_a_grassroots_union_or_group(self, tree, officer):
        with pytest.raises(ServiceError, match="đoàn viên chỉ sinh hoạt tại"):
            services.person_create(
                acting_user=officer, person_data=person_data(), membership_data=membership_data(tree.md)
            )

    def test_outside_scope_refused(self, tree, officer):
        with pytest.raises(PermissionDenied):
            services.person_create(
                acting_user=officer, person_data=person_data(), membership_data=membership_data(tree.mk)
            )


@pytest.mark.django_db
class TestPersonUpdateAndMemberships:
    def test_update_records_changed_fields_without_citizen_id(self, tree, officer):
        services.person_update(
            acting_user=officer,
            person=tree.an,
            person_data=person_data(
                family_name="Nguyễn",
                middle_name="Văn",
                given_name="Ân",
                gender="M",
                citizen_id="001085099999",
            ),
        )
        person = Person.objects.get(pk=tree.an.pk)
        assert person.full_name == "Nguyễn Văn Ân" and person.citizen_id == "001085099999"
        event = AuditEvent.objects.get(action="person.update")
        assert "001085099999" not in str(event.changes) and "001085012345" not in str(event.changes)
        assert event.changes["given_name"] == ["An", "Ân"]

    def test_update_outside_scope_refused(self, tree, officer):
        with pytest.raises(PermissionDenied):
            services.person_update(acting_user=officer, person=tree.minh_khai, person_data=person_data())

    def test_transfer_closes_and_reopens(self, tree, officer):
        membership = tree.an.memberships.get()
        services.membership_transfer(
            acting_user=officer, membership=membership, to_unit=tree.t2, on=dt.date(2024, 3, 1)
        )
        history = list(Membership.objects.filter(person=tree.an).order_by("started_on"))
        assert [m.unit_id for m in history] == [tree.t1.pk, tree.t2.pk]
        assert history[0].ended_on == dt.date(2024, 2, 29) and history[1].card_number == "0100000001"
        assert AuditEvent.objects.filter(action="membership.transfer").exists()

    def test_end_membership_requires_reason(self, tree, officer):
        membership = tree.hoa.memberships.get()
        with pytest.raises(ServiceError, match="lý do"):
            services.membership_end(
                acting_user=officer, membership=membership, ended_on=dt.date(2025, 1, 1), reason=""
            )
        services.membership_end(
            acting_user=officer, membership=membership, ended_on=dt.date(2025, 1, 1), reason="Nghỉ hưu"
        )
        assert Membership.objects.get(pk=membership.pk).end_reason == "Nghỉ hưu"

    def test_update_membership_role(self, tree, officer):
        services.membership_update(
            acting_user=officer,
            membership=tree.an.memberships.get(),
            data={
                "union_role": "TO_TRUONG",
                "job_title": "Trưởng phòng",
                "work_mode": "PART_TIME",
                "card_number": "0100000001",
            },
        )
        m = tree.an.memberships.get()
        assert (m.union_role, m.job_title, m.work_mode) == ("TO_TRUONG", "Trưởng phòng", "PART_TIME")
        assert AuditEvent.objects.get(action="membership.update").changes["union_role"] == [
            "DOAN_VIEN",
            "TO_TRUONG",
        ]
