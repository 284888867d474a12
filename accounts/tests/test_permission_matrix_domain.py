"""The same permission matrix as test_permission_matrix.py, over the domain screens (movements,
evaluations, registrations, initiatives, clusters, rosters): every role × ancestor / sibling scope.
A role without the action gets 403; a user on the sibling branch gets 404 (or a list without the data);
an ancestor-scoped user sees the data."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role, actions_for_role
from core.access import Action
from initiatives.models import Initiative
from movements.models import Movement
from organizations.models import Cluster, ClusterMember

VIEW_NAMES = [
    "movement-list", "movement-detail", "evaluation-grid", "register-bulk", "register-unit", "progress-report",
    "initiative-list", "initiative-detail", "cluster-list", "cluster-detail", "roster-upload", "roster-export",
]  # fmt: skip


@pytest.fixture
def domain(tree):
    movement = Movement.objects.create(
        organiser=tree.md, name="Phong trào kiểm thử phân quyền", kind="YEARLY", year=2025,
        start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31), status="LAUNCHED",
    )  # fmt: skip
    initiative = Initiative.objects.create(
        title="Sáng kiến kiểm thử phân quyền", unit=tree.ubnd, year=2025, status="RECOGNIZED",
        recognition_level="CO_SO", recognized_on=dt.date(2025, 10, 1),
    )  # fmt: skip
    cluster = Cluster.objects.create(organiser=tree.md, year=2025, name="Cụm kiểm thử phân quyền")
    ClusterMember.objects.create(cluster=cluster, unit=tree.ubnd, organiser=tree.md, year=2025, role="LEADER")
    return movement, initiative, cluster


def _views(t, movement, initiative, cluster):
    """(name, url, action required, kind, marker that only appears with the data or None)."""
    u = t.ubnd.pk
    return [
        ("movement-list", f"/phong-trao/?don_vi={u}", Action.UNIT_VIEW, "detail", movement.name),
        ("movement-detail", f"/phong-trao/{movement.pk}/", Action.UNIT_VIEW, "detail", movement.name),
        ("evaluation-grid", f"/phong-trao/danh-gia/?don_vi={u}&nam=2025", Action.EVALUATION_CHANGE, "detail",
         t.an.full_name),
        ("register-bulk", f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={u}", Action.REGISTRATION_CHANGE,
         "detail", t.an.full_name),
        ("register-unit", f"/phong-trao/{movement.pk}/dang-ky-tap-the/?don_vi={u}", Action.REGISTRATION_CHANGE,
         "detail", t.ubnd.name),
        ("progress-report", f"/phong-trao/{movement.pk}/bao-cao/?don_vi={u}", Action.PROGRESS_REPORT, "detail",
         t.ubnd.name),
        ("initiative-list", f"/sang-kien/?don_vi={u}", Action.UNIT_VIEW, "detail", initiative.title),
        ("initiative-detail", f"/sang-kien/{initiative.pk}/", Action.UNIT_VIEW, "detail", initiative.title),
        ("cluster-list", f"/don-vi/{t.md.pk}/cum-thi-dua/?nam=2025", Action.UNIT_VIEW, "detail", cluster.name),
        ("cluster-detail", f"/don-vi/cum-thi-dua/{cluster.pk}/", Action.UNIT_VIEW, "detail", cluster.name),
        ("roster-upload", f"/doan-vien/nhap/?don_vi={u}", Action.PERSON_CHANGE, "detail", t.ubnd.name),
        ("roster-export", f"/doan-vien/xuat.xlsx?don_vi={u}", Action.PERSON_VIEW, "detail", None),
    ]  # fmt: skip


@pytest.mark.django_db
def test_matrix_covers_every_view(tree, domain):
    assert [v[0] for v in _views(tree, *domain)] == VIEW_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["ancestor", "sibling"])
@pytest.mark.parametrize("view_name", VIEW_NAMES)
def test_domain_permission_matrix(client, tree, domain, make_user, role, scope, view_name):
    unit = tree.hn if scope == "ancestor" else tree.hbt
    client.force_login(make_user(role, unit))
    name, url, action, kind, marker = next(v for v in _views(tree, *domain) if v[0] == view_name)
    response = client.get(url)
    body = response.content.decode(errors="replace")
    if action not in actions_for_role(role):
        assert response.status_code == 403, (role, scope, name, response.status_code)
    elif scope == "ancestor":
        assert response.status_code == 200, (role, scope, name, response.status_code)
        if marker:
            assert marker in body
        return
    else:
        assert response.status_code == (404 if kind == "detail" else 200), (
            role,
            scope,
            name,
            response.status_code,
        )
    if marker:
        assert marker not in body
