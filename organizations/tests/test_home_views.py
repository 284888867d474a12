"""The site's root pages owned by organizations (`views_home.py`, `urls_home.py`) and
`organizations.shortcuts.get_unit_or_404`."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.access import Action
from core.audit import audit_record
from organizations.shortcuts import get_unit_or_404


def test_the_root_pages_keep_their_url_names():
    assert reverse("core:home") == "/"
    assert reverse("core:audit") == "/nhat-ky/"


@pytest.mark.django_db
def test_home_page_shows_a_card_per_top_unit_of_the_user(client, counted, officer):
    client.force_login(officer)
    response = client.get("/")
    assert [t.name for t in response.templates][0] == "organizations/home.html"
    [(unit, stats)] = response.context["cards"]
    assert unit == counted.md and stats["members"] == 3 and stats["units_below"] == 3
    assert f'href="/don-vi/{counted.md.pk}/"' in response.content.decode()
    assert 'data-testid="figures-unbuilt"' not in response.content.decode()


@pytest.mark.django_db
def test_home_page_says_when_this_years_counters_are_not_built(client, tree, officer):
    """No silent count of raw rows: before this year's counters exist, the card says so."""
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert f"Chưa tổng hợp số liệu năm {timezone.localdate().year}." in page
    assert "đơn vị trực thuộc" not in page


@pytest.mark.django_db
def test_audit_page_lists_only_subtree_events(client, tree, officer, make_user):
    audit_record(
        actor=officer, action="orgunit.rename", obj=tree.ubnd, unit=tree.ubnd, summary="Sự kiện Mỹ Đức"
    )
    audit_record(actor=None, action="orgunit.rename", obj=tree.mk, unit=tree.mk, summary="Sự kiện Minh Khai")
    client.force_login(officer)
    page = client.get("/nhat-ky/").content.decode()
    assert "Sự kiện Mỹ Đức" in page and "Sự kiện Minh Khai" not in page
    page = client.get(f"/nhat-ky/?don_vi={tree.ubnd.pk}&loai=orgunit.").content.decode()
    assert "Sự kiện Mỹ Đức" in page
    assert client.get(f"/nhat-ky/?don_vi={tree.mk.pk}").status_code == 404
    council = make_user(Role.COUNCIL, tree.hn)
    client.force_login(council)
    assert client.get("/nhat-ky/").status_code == 403


@pytest.mark.django_db
def test_get_unit_or_404_answers_403_without_the_right_and_404_outside_the_scope(tree, officer, make_user):
    request = RequestFactory().get("/")
    request.user = officer
    assert get_unit_or_404(request, tree.ubnd.pk) == tree.ubnd
    assert get_unit_or_404(request, tree.ubnd.pk, Action.UNIT_MANAGE) == tree.ubnd
    with pytest.raises(Http404):
        get_unit_or_404(request, tree.mk.pk)  # a sibling branch: same answer as a missing unit
    with pytest.raises(Http404):
        get_unit_or_404(request, 10**6)
    request.user = make_user(Role.COUNCIL, tree.hn)
    with pytest.raises(PermissionDenied):
        get_unit_or_404(request, tree.ubnd.pk, Action.UNIT_MANAGE)
