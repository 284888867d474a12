"""Ids typed by users: every URL takes its ids through the `dbid` converter, and the two fetch helpers
answer 404 — never a 500 — for a 23-digit, negative or non-numeric id (issue 12, finding 8)."""

import pytest
from django.urls import get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import URLPattern, URLResolver

from core.access import Action, get_visible_or_404
from core.ids import IdConverter
from organizations.models import OrgUnit

HUGE = "12345678901234567890123"


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.converters


def test_every_id_in_a_url_goes_through_the_dbid_converter():
    offenders = [
        route
        for route, converters in _patterns(get_resolver())
        if not route.startswith("quan-tri/")
        and any(isinstance(c, IntConverter) and not isinstance(c, IdConverter) for c in converters.values())
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-5", "abc", "²", "0"])
def test_a_bad_unit_id_in_the_query_string_is_404_not_500(officer_client, value):
    for url in ("/phong-trao/?don_vi=", "/sang-kien/?don_vi=", "/doan-vien/?don_vi="):
        response = officer_client.get(url + value)
        assert response.status_code in (200, 404), (url, response.status_code)


@pytest.mark.django_db
def test_a_huge_id_in_a_url_is_404(officer_client):
    assert officer_client.get(f"/don-vi/{HUGE}/").status_code == 404
    assert officer_client.get("/don-vi/99999999999999999999/").status_code == 404


@pytest.mark.django_db
def test_get_visible_or_404_turns_an_overflowing_id_into_404(officer):
    from django.http import Http404

    with pytest.raises(Http404):
        get_visible_or_404(OrgUnit, officer, Action.UNIT_VIEW, pk=int(HUGE))
