"""Leaders hold `role.manage` (issue 13: accounts are managed on screens by a unit's leader). The two
services that used to accept `role.manage` without a unit — a new root of the tree, a person without an
open membership — no longer let any leader through: the root is the superuser's, and a person who left
is edited by whoever may change people where their last membership was."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from members.models import Membership, Person
from members.services import person_update
from organizations.models import OrgUnitType
from organizations.services import orgunit_create

pytestmark = pytest.mark.django_db


FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "citizen_id",
    "email",
    "union_joined_on",
)


def _data(person, **changes):
    return {**{f: getattr(person, f) for f in FIELDS}, **changes}


def _left(person):
    Membership.objects.filter(person=person).update(ended_on=dt.date(2025, 6, 30))
    return Person.objects.get(pk=person.pk)


def test_a_leader_creates_no_root_of_the_tree(make_user, tree):
    leader = make_user(Role.LEADER, tree.hn)
    with pytest.raises(PermissionDenied):
        orgunit_create(
            acting_user=leader,
            parent=None,
            name="Tổng Liên đoàn thứ hai",
            code="VN2",
            unit_type=OrgUnitType.objects.get(code="TLD"),
        )


def test_a_person_who_left_is_edited_where_their_last_membership_was(make_user, tree):
    hoa = _left(tree.hoa)  # last membership: Tổ Phòng Tài chính, Mỹ Đức
    ninh_binh_leader = make_user(Role.LEADER, tree.nb)
    ninh_binh_officer = make_user(Role.OFFICER, tree.nb)
    for user in (ninh_binh_leader, ninh_binh_officer):
        with pytest.raises(PermissionDenied):
            person_update(acting_user=user, person=hoa, person_data=_data(hoa, phone="0912345678"))
    officer = make_user(Role.OFFICER, tree.md)
    person_update(acting_user=officer, person=hoa, person_data=_data(hoa, phone="0912345678"))
    assert Person.objects.get(pk=hoa.pk).phone == "0912345678"


def test_a_record_with_no_membership_at_all_is_the_superusers(make_user, tree):
    loner = Person.objects.create(given_name="Minh", gender="M")
    leader = make_user(Role.LEADER, tree.vn)
    with pytest.raises(PermissionDenied):
        person_update(acting_user=leader, person=loner, person_data=_data(loner, phone="0912345678"))
    admin = make_user(None, None, is_superuser=True)
    person_update(acting_user=admin, person=loner, person_data=_data(loner, phone="0912345678"))
