"""The council of a unit on screens: its seats on a day, adding a member (with the council-member role
when they hold none on the unit), ending a seat — services and views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from core.access import Action, can
from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services
from nominations.models import CouncilMember
from nominations.selectors import council_members

TODAY = timezone.localdate()
URL = "/de-nghi/hoi-dong/thanh-vien/"


def _fresh(user):
    return User.objects.get(pk=user.pk)  # the scopes are cached on the user object


# --- services ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seat_for_a_user_without_a_role_on_the_unit_gives_the_council_role(people, tree, make_user):
    district = make_user(Role.OFFICER, tree.md)  # a role below the city, none on it
    assert not can(_fresh(district), Action.UNIT_VIEW, tree.hn.path)
    seat = services.council_seat_add(acting_user=people["city"], unit=tree.hn, user=district, role="VICE")
    assert (seat.unit, seat.role, seat.valid_from, seat.valid_to) == (tree.hn, "VICE", TODAY, None)
    role = RoleAssignment.objects.get(user=district, unit=tree.hn)
    assert role.role == Role.COUNCIL and role.valid_from == TODAY
    assert can(_fresh(district), Action.UNIT_VIEW, tree.hn.path)
    added = AuditEvent.objects.get(action="council.seat_add", object_id=str(seat.pk))
    assert (
        added.unit == tree.hn and added.actor == people["city"] and "Phó Chủ tịch Hội đồng" in added.summary
    )
    granted = AuditEvent.objects.get(action="role.assign", object_id=str(role.pk))
    assert (
        "Thành viên Hội đồng TĐKT" in granted.summary and "Hội đồng Thi đua – Khen thưởng" in granted.summary
    )
    assert council_members(unit=tree.hn, on=TODAY).count() == 10


@pytest.mark.django_db
def test_seat_for_a_user_holding_a_role_on_the_unit_adds_no_role(people, tree):
    leader = people["leader"]  # the city's leader: a role on the city already
    services.council_seat_add(acting_user=people["city"], unit=tree.hn, user=leader)
    assert RoleAssignment.objects.filter(user=leader).count() == 1
    assert not AuditEvent.objects.filter(action="role.assign").exists()


@pytest.mark.django_db
def test_seat_refusals(people, tree, make_user):
    city = people["city"]
    elsewhere = make_user(Role.OFFICER, tree.nb)  # no role in the city's subtree
    with pytest.raises(ServiceError) as outside:
        services.council_seat_add(acting_user=city, unit=tree.hn, user=elsewhere)
    assert outside.value.field == "user" and "Quản lý tài khoản" in outside.value.message
    with pytest.raises(ServiceError) as chair:  # the fixture's council has a chair
        services.council_seat_add(acting_user=city, unit=tree.hn, user=people["district"], role="CHAIR")
    assert chair.value.field == "role" and "đã có Chủ tịch" in chair.value.message
    with pytest.raises(ServiceError) as seated:
        services.council_seat_add(acting_user=city, unit=tree.hn, user=people["council"][1])
    assert "đã là ủy viên" in seated.value.message
    # nothing was written by the refusals: no seat, no role
    assert not CouncilMember.objects.filter(user__in=[elsewhere, people["district"]]).exists()
    assert not RoleAssignment.objects.filter(unit=tree.hn, role=Role.COUNCIL).exists()
    for actor in (people["outsider"], people["council"][0], make_user(Role.MEMBER, tree.hn)):
        with pytest.raises(PermissionDenied):  # another branch's officer; a council member; a member
            services.council_seat_add(acting_user=actor, unit=tree.hn, user=people["district"])


@pytest.mark.django_db
def test_the_account_manager_may_seat_members_too(tree, make_user):
    leader = make_user(Role.LEADER, tree.md)  # role.manage, no nomination.review
    officer = make_user(Role.OFFICER, tree.ubnd)
    services.council_seat_add(acting_user=leader, unit=tree.md, user=officer, role="CHAIR")
    assert RoleAssignment.objects.filter(user=officer, unit=tree.md, role=Role.COUNCIL).exists()


@pytest.mark.django_db
def test_end_seat(people, tree):
    seat = CouncilMember.objects.get(user=people["council"][8])
    services.council_seat_end(acting_user=people["city"], seat=seat, valid_to=TODAY)
    seat.refresh_from_db()
    assert seat.valid_to == TODAY
    assert council_members(unit=tree.hn, on=TODAY + dt.timedelta(days=1)).count() == 8
    event = AuditEvent.objects.get(action="council.seat_end", object_id=str(seat.pk))
    assert event.unit == tree.hn and event.changes["valid_to"] == [None, TODAY.isoformat()]
    yesterday = TODAY - dt.timedelta(days=1)
    services.council_seat_end(acting_user=people["city"], seat=seat, valid_to=yesterday)
    with pytest.raises(ServiceError) as ended:
        services.council_seat_end(acting_user=people["city"], seat=seat)
    assert "đã kết thúc" in ended.value.message
    other = CouncilMember.objects.get(user=people["council"][7])
    with pytest.raises(ServiceError) as early:
        services.council_seat_end(acting_user=people["city"], seat=other, valid_to=dt.date(2023, 12, 31))
    assert early.value.field == "valid_to"
    with pytest.raises(PermissionDenied):
        services.council_seat_end(acting_user=people["outsider"], seat=other)
    # the ended seat's holder may be seated again afterwards (a seat added on the screen left them the
    # council-member role; the fixture's council has none)
    RoleAssignment.objects.create(user=people["council"][8], role=Role.COUNCIL, unit=tree.hn)
    services.council_seat_add(acting_user=people["city"], unit=tree.hn, user=people["council"][8])
    assert council_members(unit=tree.hn, on=TODAY).filter(user=people["council"][8]).exists()


# --- views -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_council_list_on_a_day(client, people, tree):
    User.objects.filter(pk=people["council"][0].pk).update(full_name="Chủ Tịch Hội Đồng")
    CouncilMember.objects.filter(user=people["council"][8]).update(valid_to=dt.date(2024, 6, 30))
    client.force_login(people["city"])
    page = client.get(f"{URL}?don_vi={tree.hn.pk}").content.decode()
    assert "Hội đồng Thi đua – Khen thưởng" in page and tree.hn.name in page
    assert "Hiện có 8 thành viên" in page and "Chủ tịch Hội đồng" in page and "Chủ Tịch Hội Đồng" in page
    assert "Đã kết thúc nhiệm kỳ" in page and "Kết thúc nhiệm kỳ" in page
    assert "Thêm thành viên Hội đồng" in page and "CHAIR" not in page
    past = client.get(f"{URL}?don_vi={tree.hn.pk}&ngay=2024-03-01").content.decode()
    assert "Ngày 01/03/2024: 9 thành viên" in past
    assert client.get(f"{URL}?don_vi={tree.hn.pk}&ngay=2024-02-30").status_code == 200  # no such day: today
    empty = client.get(f"{URL}?don_vi={tree.md.pk}").content.decode()
    assert "Hội đồng chưa có thành viên vào ngày này" in empty


@pytest.mark.django_db
def test_council_screens_refuse_other_branches_and_members(client, people, tree, make_user):
    seat = CouncilMember.objects.filter(unit=tree.hn).first()
    client.force_login(people["outsider"])  # Hai Bà Trưng's officer: the city is not theirs
    assert client.get(f"{URL}?don_vi={tree.hn.pk}").status_code == 404
    assert client.get(f"{URL}them/?don_vi={tree.hn.pk}").status_code == 404
    assert client.post(f"{URL}{seat.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}).status_code == 404
    assert client.get(f"{URL}?don_vi=abc").status_code == 404
    client.force_login(people["council"][0])  # a seat is no right to change the council
    assert client.get(f"{URL}?don_vi={tree.hn.pk}").status_code == 403
    client.force_login(make_user(Role.MEMBER, tree.hn))
    assert client.post(f"{URL}{seat.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}).status_code == 403
    seat.refresh_from_db()
    assert seat.valid_to is None


@pytest.mark.django_db
def test_add_seat_screen(client, people, tree, make_user):
    district = make_user(Role.OFFICER, tree.md)
    elsewhere = make_user(Role.OFFICER, tree.nb)
    client.force_login(people["city"])
    add = f"{URL}them/?don_vi={tree.hn.pk}"
    form = client.get(add).content.decode()
    assert district.username in form and elsewhere.username not in form and "Ủy viên" in form
    missing = client.post(add, {"role": "MEMBER", "valid_from": ""}).content.decode()
    assert "Chọn người được cử vào Hội đồng." in missing and "Nhập ngày bắt đầu nhiệm kỳ." in missing
    wrong = client.post(add, {"user": elsewhere.pk, "role": "MEMBER", "valid_from": TODAY.isoformat()})
    assert "Người này không giữ vai trò nào tại đơn vị hoặc đơn vị trực thuộc." in wrong.content.decode()
    chair = client.post(add, {"user": district.pk, "role": "CHAIR", "valid_from": TODAY.isoformat()})
    assert "đã có Chủ tịch" in chair.content.decode()
    response = client.post(
        add, {"user": district.pk, "role": "MEMBER", "valid_from": TODAY.isoformat()}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{URL}?don_vi={tree.hn.pk}"
    assert "Đã thêm" in page and "Hiện có 10 thành viên" in page
    assert RoleAssignment.objects.filter(user=district, unit=tree.hn, role=Role.COUNCIL).exists()
    # the new member now has the menu: the dossiers page opens for them
    client.force_login(district)
    assert client.get("/de-nghi/").status_code == 200


@pytest.mark.django_db
def test_end_seat_screen(client, people, tree):
    seat = CouncilMember.objects.get(user=people["council"][8])
    client.force_login(people["city"])
    bad = client.post(f"{URL}{seat.pk}/ket-thuc/", {"valid_to": "30/02"}, follow=True).content.decode()
    assert "Ngày kết thúc không hợp lệ." in bad
    early = client.post(f"{URL}{seat.pk}/ket-thuc/", {"valid_to": "2023-01-01"}, follow=True).content.decode()
    assert "Ngày kết thúc phải từ ngày bắt đầu nhiệm kỳ" in early
    response = client.post(f"{URL}{seat.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}, follow=True)
    assert "Đã kết thúc nhiệm kỳ" in response.content.decode()
    seat.refresh_from_db()
    assert seat.valid_to == TODAY


@pytest.mark.django_db
def test_unit_page_panel_for_who_may_manage_the_council(client, people, tree, make_user):
    client.force_login(people["city"])
    page = client.get(f"/don-vi/{tree.hn.pk}/").content.decode()
    assert "Quản lý thành viên Hội đồng" in page and "9 thành viên" in page
    assert f"{URL}?don_vi={tree.hn.pk}" in page
    client.force_login(make_user(Role.MEMBER, tree.hn))
    assert "Quản lý thành viên Hội đồng" not in client.get(f"/don-vi/{tree.hn.pk}/").content.decode()
