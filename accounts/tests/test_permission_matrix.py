"""Permission matrix: every role × every list/detail view × a user scoped to a sibling branch (no data:
403/404) or to an ancestor (data). Expectations come from the role's actions, not hand-picked cases."""

from __future__ import annotations

import pytest

from accounts.roles import Role, actions_for_role
from core.access import Action
from core.audit import audit_record


def _views(t):
    """(name, url, action required, kind, marker that only appears with the data)."""
    return [
        ("tree-search", f"/don-vi/?q={t.ubnd.code}", Action.UNIT_VIEW, "list", t.ubnd.name),
        ("unit-detail", f"/don-vi/{t.ubnd.pk}/", Action.UNIT_VIEW, "detail", t.ubnd.name),
        ("unit-children", f"/don-vi/{t.ubnd.pk}/truc-thuoc/", Action.UNIT_VIEW, "detail", t.t1.name),
        ("unit-create-child", f"/don-vi/{t.ubnd.pk}/them-don-vi/", Action.UNIT_MANAGE, "detail", t.ubnd.name),
        ("unit-rename", f"/don-vi/{t.ubnd.pk}/doi-ten/", Action.UNIT_MANAGE, "detail", t.ubnd.name),
        ("unit-move", f"/don-vi/{t.ubnd.pk}/chuyen/", Action.UNIT_MANAGE, "detail", t.ubnd.name),
        ("unit-merge", f"/don-vi/{t.ubnd.pk}/sap-nhap/", Action.UNIT_MANAGE, "detail", t.ubnd.name),
        ("person-list", f"/doan-vien/?don_vi={t.ubnd.pk}", Action.PERSON_VIEW, "detail", t.an.full_name),
        ("person-search", "/doan-vien/?q=nguyen van an", Action.PERSON_VIEW, "list", t.an.full_name),
        ("person-detail", f"/doan-vien/{t.an.pk}/", Action.PERSON_VIEW, "detail", t.an.full_name),
        ("person-edit", f"/doan-vien/{t.an.pk}/sua/", Action.PERSON_CHANGE, "detail", t.an.full_name),
        (
            "person-create",
            f"/doan-vien/them/?don_vi={t.ubnd.pk}",
            Action.PERSON_CHANGE,
            "detail",
            t.ubnd.name,
        ),
        ("audit-unit", f"/nhat-ky/?don_vi={t.ubnd.pk}", Action.AUDIT_VIEW, "detail", "Sự kiện kiểm thử"),
        ("audit-all", "/nhat-ky/", Action.AUDIT_VIEW, "list", "Sự kiện kiểm thử"),
    ]


VIEW_NAMES = [
    "tree-search",
    "unit-detail",
    "unit-children",
    "unit-create-child",
    "unit-rename",
    "unit-move",
    "unit-merge",
    "person-list",
    "person-search",
    "person-detail",
    "person-edit",
    "person-create",
    "audit-unit",
    "audit-all",
]


@pytest.mark.django_db
def test_matrix_covers_every_view(tree):
    assert [v[0] for v in _views(tree)] == VIEW_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["ancestor", "sibling"])
@pytest.mark.parametrize("view_name", VIEW_NAMES)
def test_permission_matrix(client, tree, make_user, role, scope, view_name):
    audit_record(actor=None, action="test.event", obj=tree.ubnd, unit=tree.ubnd, summary="Sự kiện kiểm thử")
    # ancestor: the city federation above Mỹ Đức; sibling: the Hai Bà Trưng branch next to Mỹ Đức
    unit = tree.hn if scope == "ancestor" else tree.hbt
    client.force_login(make_user(role, unit))
    name, url, action, kind, marker = next(v for v in _views(tree) if v[0] == view_name)
    response = client.get(url)
    body = response.content.decode()
    if action not in actions_for_role(role):
        assert response.status_code == 403, (role, scope, name, response.status_code)
        assert marker not in body
    elif scope == "ancestor":
        assert response.status_code == 200, (role, scope, name, response.status_code)
        assert marker in body
    elif kind == "detail":
        assert response.status_code == 404, (role, scope, name, response.status_code)
        assert marker not in body
    else:  # lists answer 200 but show nothing of the other branch
        assert response.status_code == 200
        assert marker not in body


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client, tree):
    for url in [
        "/",
        "/don-vi/",
        f"/don-vi/{tree.ubnd.pk}/",
        "/doan-vien/",
        f"/doan-vien/{tree.an.pk}/",
        "/nhat-ky/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_unit_scoped_assignment_without_subtree(client, tree, make_user):
    """An officer of the CĐCS itself (not its subtree) sees the unit but not the members of its groups."""
    client.force_login(make_user(Role.OFFICER, tree.ubnd, include_subtree=False))
    assert client.get(f"/don-vi/{tree.ubnd.pk}/").status_code == 200
    assert client.get(f"/don-vi/{tree.t1.pk}/").status_code == 404
    assert client.get(f"/doan-vien/{tree.chu_tich.pk}/").status_code == 200
    assert client.get(f"/doan-vien/{tree.an.pk}/").status_code == 404
