"""Accounts and roles on screens (`/tai-khoan/nguoi-dung/`): creating an account, granting a role on a
unit of one's `role.manage` scope, ending one — services and views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import services
from accounts.models import RoleAssignment, User
from accounts.roles import Role, actions_for_role
from core.access import Action, can
from core.exceptions import ServiceError
from core.models import AuditEvent

TODAY = timezone.localdate()
PASSWORD = "Tam-thoi-2026!x"


@pytest.fixture
def leader(make_user, tree):
    """The leader of LĐLĐ huyện Mỹ Đức: manages the accounts of its subtree."""
    return make_user(Role.LEADER, tree.md)


def _create(acting_user, unit, **extra):
    fields = {
        "username": "canbo.moi",
        "full_name": "Nguyễn Thị Mới",
        "password": PASSWORD,
        "role": Role.OFFICER,
        "unit": unit,
    }
    return services.user_create(acting_user=acting_user, **(fields | extra))


# --- roles -------------------------------------------------------------------------------------------


def test_the_leader_manages_accounts_the_officer_does_not():
    assert Action.ROLE_MANAGE in actions_for_role(Role.LEADER)
    assert Action.ROLE_MANAGE not in actions_for_role(Role.OFFICER)


# --- services ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_gives_a_temporary_password_and_the_first_role_audited(leader, tree, client):
    user = _create(leader, tree.ubnd, include_subtree=False, valid_from=dt.date(2025, 1, 1))
    assert user.must_change_password and user.check_password(PASSWORD)
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.unit, assignment.include_subtree) == (Role.OFFICER, tree.ubnd, False)
    assert assignment.valid_from == dt.date(2025, 1, 1) and assignment.valid_to is None
    created = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert created.unit == tree.ubnd and created.actor == leader and PASSWORD not in str(created.changes)
    assigned = AuditEvent.objects.get(action="role.assign", object_id=str(assignment.pk))
    assert "Cán bộ thi đua, khen thưởng" in assigned.summary and tree.ubnd.name in assigned.summary
    # the new account signs in, and must choose its own password first
    assert client.post("/dang-nhap/", {"username": "canbo.moi", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_user_create_refuses_a_unit_outside_the_scope_and_admin(leader, tree, make_user):
    with pytest.raises(ServiceError) as outside:
        _create(leader, tree.hbt)
    assert outside.value.field == "unit" and tree.hbt.name in outside.value.message
    with pytest.raises(ServiceError) as admin:
        _create(leader, tree.ubnd, role=Role.ADMIN)
    assert admin.value.field == "role" and "Quản trị hệ thống" in admin.value.message
    assert not User.objects.filter(username="canbo.moi").exists()
    root = make_user(is_superuser=True)
    assert RoleAssignment.objects.get(user=_create(root, tree.ubnd, role=Role.ADMIN)).role == Role.ADMIN


@pytest.mark.django_db
def test_user_create_refuses_without_role_manage(officer, tree):
    with pytest.raises(PermissionDenied):
        _create(officer, tree.ubnd)


@pytest.mark.django_db
def test_user_create_checks_username_password_and_person(leader, tree, make_user):
    User.objects.create_user(username="da.co", password="pw")
    for extra, field in (
        ({"username": "DA.CO"}, "username"),
        ({"username": "có dấu"}, "username"),
        ({"full_name": "  "}, "full_name"),
        ({"password": "12345678"}, "password1"),
        ({"person": tree.minh_khai}, "person"),  # a member of Hai Bà Trưng: outside the scope
    ):
        with pytest.raises(ServiceError) as error:
            _create(leader, tree.ubnd, **extra)
        assert error.value.field == field, extra
    user = _create(leader, tree.ubnd, person=tree.an)
    assert user.person == tree.an
    with pytest.raises(ServiceError) as taken:
        _create(leader, tree.ubnd, username="an.khac", person=tree.an)
    assert "đã có tài khoản “canbo.moi”" in taken.value.message


@pytest.mark.django_db
def test_role_assign_inside_the_scope_and_reopening_an_ended_role(leader, tree, make_user):
    member = make_user(Role.MEMBER, tree.t1)
    assignment = services.role_assign(
        acting_user=leader,
        user_id=member.pk,
        role=Role.OFFICER,
        unit=tree.ubnd,
        include_subtree=True,
        valid_from=dt.date(2025, 1, 1),
    )
    assert can(User.objects.get(pk=member.pk), Action.PERSON_CHANGE, tree.t2.path)
    with pytest.raises(ServiceError) as twice:
        services.role_assign(acting_user=leader, user_id=member.pk, role=Role.OFFICER, unit=tree.ubnd)
    assert "đã giữ vai trò" in twice.value.message
    services.role_end(acting_user=leader, assignment_id=assignment.pk, valid_to=TODAY - dt.timedelta(days=1))
    again = services.role_assign(
        acting_user=leader, user_id=member.pk, role=Role.OFFICER, unit=tree.ubnd, include_subtree=False
    )
    assert again.pk == assignment.pk and again.valid_to is None and not again.include_subtree
    reopened = AuditEvent.objects.filter(action="role.assign", object_id=str(assignment.pk)).latest("pk")
    assert reopened.summary.startswith("Giao lại") and reopened.changes["valid_to"][1] is None


@pytest.mark.django_db
def test_role_assign_refusals(leader, tree, make_user):
    elsewhere = make_user(Role.MEMBER, tree.mk)  # Hai Bà Trưng: not a user of the leader's scope
    with pytest.raises(ServiceError):
        services.role_assign(acting_user=leader, user_id=elsewhere.pk, role=Role.MEMBER, unit=tree.ubnd)
    member = make_user(Role.MEMBER, tree.t1)
    with pytest.raises(ServiceError) as outside:
        services.role_assign(acting_user=leader, user_id=member.pk, role=Role.MEMBER, unit=tree.hbt)
    assert outside.value.field == "unit"
    with pytest.raises(ServiceError) as admin:
        services.role_assign(acting_user=leader, user_id=member.pk, role=Role.ADMIN, unit=tree.ubnd)
    assert admin.value.field == "role"
    with pytest.raises(ServiceError) as own:
        services.role_assign(acting_user=leader, user_id=leader.pk, role=Role.OFFICER, unit=tree.md)
    assert "chính mình" in own.value.message
    assert RoleAssignment.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_role_end_keeps_the_row_and_audits(leader, tree, make_user):
    officer = make_user(Role.OFFICER, tree.ubnd)
    assignment = RoleAssignment.objects.get(user=officer)
    services.role_end(acting_user=leader, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    assert assignment.valid_to == TODAY
    event = AuditEvent.objects.get(action="role.end", object_id=str(assignment.pk))
    assert event.unit == tree.ubnd and event.changes["valid_to"] == [None, TODAY.isoformat()]
    services.role_end(acting_user=leader, assignment_id=assignment.pk, valid_to=TODAY - dt.timedelta(days=1))
    with pytest.raises(ServiceError) as ended:  # ended yesterday
        services.role_end(acting_user=leader, assignment_id=assignment.pk)
    assert "đã kết thúc" in ended.value.message
    assert not can(User.objects.get(pk=officer.pk), Action.PERSON_VIEW)


@pytest.mark.django_db
def test_role_end_refusals(leader, tree, make_user):
    other = make_user(Role.OFFICER, tree.hbt)
    with pytest.raises(ServiceError):  # another branch
        services.role_end(acting_user=leader, assignment_id=RoleAssignment.objects.get(user=other).pk)
    admin = make_user(Role.ADMIN, tree.ubnd)
    with pytest.raises(ServiceError) as refused:
        services.role_end(acting_user=leader, assignment_id=RoleAssignment.objects.get(user=admin).pk)
    assert "Quản trị hệ thống" in refused.value.message
    member = make_user(Role.MEMBER, tree.t1)
    with pytest.raises(ServiceError) as early:
        services.role_end(
            acting_user=leader,
            assignment_id=RoleAssignment.objects.get(user=member).pk,
            valid_to=dt.date(2019, 12, 31),
        )
    assert early.value.field == "valid_to"
    # one's own last role that manages accounts stays; with a second one, the first may end
    own = RoleAssignment.objects.get(user=leader)
    with pytest.raises(ServiceError) as last:
        services.role_end(acting_user=leader, assignment_id=own.pk)
    assert "vai trò cuối cùng" in last.value.message
    RoleAssignment.objects.create(
        user=leader, role=Role.LEADER, unit=tree.ubnd, valid_from=dt.date(2020, 1, 1)
    )
    services.role_end(acting_user=leader, assignment_id=own.pk)
    own.refresh_from_db()
    assert own.valid_to == TODAY


@pytest.mark.django_db
def test_council_role_grant_only_without_a_role_on_the_unit(tree, make_user, officer):
    outsider = make_user(Role.OFFICER, tree.ubnd)  # a role below the district, none on it
    granted = services.council_role_grant(acting_user=officer, user=outsider, unit=tree.md, valid_from=TODAY)
    assert (granted.role, granted.unit) == (Role.COUNCIL, tree.md)
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(granted.pk)).exists()
    district = make_user(Role.LEADER, tree.hn)  # covers the district from above
    assert (
        services.council_role_grant(acting_user=officer, user=district, unit=tree.md, valid_from=TODAY)
        is None
    )


# --- views -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_list_shows_the_accounts_of_ones_units_with_their_roles(client, leader, tree, make_user):
    inside = make_user(Role.OFFICER, tree.ubnd)
    outside = make_user(Role.OFFICER, tree.hbt)
    User.objects.filter(pk=inside.pk).update(full_name="Cán Bộ Cơ Sở")
    client.force_login(leader)
    page = client.get("/tai-khoan/nguoi-dung/").content.decode()
    assert (
        inside.username in page
        and "Cán Bộ Cơ Sở" in page
        and "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page
    )
    assert outside.username not in page
    assert 'href="/tai-khoan/nguoi-dung/them/"' in page
    assert f'href="/de-nghi/hoi-dong/thanh-vien/?don_vi={tree.md.pk}"' in page


@pytest.mark.django_db
def test_user_create_screen(client, leader, tree):
    client.force_login(leader)
    form = client.get("/tai-khoan/nguoi-dung/them/").content.decode()
    assert "Tạo tài khoản" in form and "Mật khẩu tạm" in form and "Quản trị hệ thống" not in form
    response = client.post(
        "/tai-khoan/nguoi-dung/them/", {"password1": "a", "password2": "b", "unit": str(tree.hbt.pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Nhập tên đăng nhập.",
        "Nhập họ và tên người dùng.",
        "Chọn vai trò.",
        "Hai lần nhập mật khẩu tạm không khớp nhau.",
        "Không tìm thấy đơn vị này trong phạm vi của bạn",  # Hai Bà Trưng, outside the leader's scope
    ):
        assert message in page, message
    response = client.post(
        "/tai-khoan/nguoi-dung/them/",
        {
            "username": "canbo.moi",
            "full_name": "Nguyễn Thị Mới",
            "person": str(tree.hoa.pk),
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": Role.OFFICER,
            "unit": str(tree.ubnd.pk),
            "include_subtree": "on",
            "valid_from": TODAY.isoformat(),
        },
    )
    created = User.objects.get(username="canbo.moi")
    assert (
        response.status_code == 302 and response["Location"] == f"/tai-khoan/nguoi-dung/{created.pk}/vai-tro/"
    )
    assert created.person == tree.hoa and created.must_change_password


@pytest.mark.django_db
def test_user_roles_screen_assigns_and_ends(client, leader, tree, make_user):
    member = make_user(Role.MEMBER, tree.t1)
    client.force_login(leader)
    url = f"/tai-khoan/nguoi-dung/{member.pk}/vai-tro/"
    page = client.get(url).content.decode()
    assert "Đoàn viên" in page and "Tổ công đoàn Phòng Nội vụ" in page and "Giao vai trò" in page
    response = client.post(
        url, {"role": Role.OFFICER, "unit": str(tree.ubnd.pk), "valid_from": TODAY.isoformat()}, follow=True
    )
    assert "Đã giao vai trò “Cán bộ thi đua, khen thưởng”" in response.content.decode()
    granted = RoleAssignment.objects.get(user=member, role=Role.OFFICER)
    assert not granted.include_subtree  # the box was left unticked
    refused = client.post(
        url, {"role": Role.OFFICER, "unit": str(tree.ubnd.pk), "valid_from": TODAY.isoformat()}
    )
    assert "đã giữ vai trò" in refused.content.decode()
    response = client.post(
        f"/tai-khoan/vai-tro/{granted.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}, follow=True
    )
    assert "Đã kết thúc vai trò" in response.content.decode()
    granted.refresh_from_db()
    assert granted.valid_to == TODAY
    response = client.post(f"/tai-khoan/vai-tro/{granted.pk}/ket-thuc/", {"valid_to": ""}, follow=True)
    assert "Nhập ngày kết thúc." in response.content.decode()


@pytest.mark.django_db
def test_user_roles_screen_refuses_other_branches_and_the_last_own_role(
    client, leader, tree, make_user, officer
):
    other = make_user(Role.OFFICER, tree.hbt)
    client.force_login(leader)
    assert client.get(f"/tai-khoan/nguoi-dung/{other.pk}/vai-tro/").status_code == 404
    other_role = RoleAssignment.objects.get(user=other)
    assert (
        client.post(
            f"/tai-khoan/vai-tro/{other_role.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}
        ).status_code
        == 404
    )
    own = RoleAssignment.objects.get(user=leader)
    response = client.post(
        f"/tai-khoan/vai-tro/{own.pk}/ket-thuc/", {"valid_to": TODAY.isoformat()}, follow=True
    )
    assert "vai trò cuối cùng cho phép bạn quản lý tài khoản" in response.content.decode()
    own.refresh_from_db()
    assert own.valid_to is None
    client.force_login(officer)  # no role.manage
    assert client.get(f"/tai-khoan/nguoi-dung/{other.pk}/vai-tro/").status_code == 403
    assert client.get("/tai-khoan/nguoi-dung/them/").status_code == 403
