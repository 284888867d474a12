"""Issue 12, finding 8 (ids): every id the nomination screens take from the URL, GET or POST — huge
(23 digits), negative, non-numeric or a non-ASCII digit — gives a 404, a message or a form error, never a
500 (OverflowError / ValueError in the database layer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.ids import MAX_ID, parse_id, parse_ids
from nominations import services
from nominations.models import Dossier

from .test_workflow import make_dossier

pytestmark = pytest.mark.django_db

HUGE = "12345678901234567890123"
BAD = [HUGE, "-5", "0", "abc", "²", "1e3", str(MAX_ID + 1)]


def test_parse_id():
    assert parse_id("42") == 42 and parse_id(42) == 42 and parse_id(str(MAX_ID)) == MAX_ID
    assert all(parse_id(v) is None for v in [*BAD, None, "", True, -1])
    assert parse_ids(["3", HUGE, "x", "4"]) == [3, 4]


@pytest.fixture
def in_review(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    return dossier


def test_return_with_a_23_digit_item_id_is_not_a_500(client, people, in_review):
    client.force_login(people["district"])
    url = reverse("nominations:action", args=[in_review.pk])
    for bad in BAD:
        response = client.post(url, {"action": "return", "items": bad, "step": bad, "reason": "Bổ sung"})
        assert response.status_code == 302, bad
        in_review.refresh_from_db()
        assert in_review.state == "IN_REVIEW", bad  # a step id that matches no step: "already handled"
    response = client.post(url, {"action": "return", "items": HUGE, "reason": "Bổ sung"}, follow=True)
    assert response.status_code == 200
    assert Dossier.objects.get(pk=in_review.pk).state == "RETURNED"  # the huge item id is simply dropped


def test_huge_ids_in_the_url_are_404(client, people, in_review):
    client.force_login(people["city"])
    item = in_review.items.get()
    for path in (
        f"/de-nghi/{HUGE}/",
        f"/de-nghi/{HUGE}/xu-ly/",
        f"/de-nghi/{in_review.pk}/de-nghi/{HUGE}/",
        f"/de-nghi/{HUGE}/de-nghi/{item.pk}/",
        f"/de-nghi/{in_review.pk}/y-kien/{HUGE}/",
        f"/de-nghi/hoi-dong/{HUGE}/",
        f"/de-nghi/thu-hoi/{HUGE}/",
    ):
        assert client.post(path, {"action": "submit"}).status_code == 404, path
        assert client.get(path).status_code in (404, 405), path


def test_bad_unit_ids_in_the_query_are_404(client, people):
    client.force_login(people["city"])
    for page in ("lap", "han-nop", "hoi-dong/mo"):
        for bad in BAD:
            assert client.get(f"/de-nghi/{page}/?don_vi={bad}").status_code == 404, (page, bad)


def test_bad_ids_in_forms_are_form_errors(client, tree, people, bk_city):
    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Hồ sơ thử"
    )
    client.force_login(people["cdcs"])
    for bad in BAD:
        response = client.post(
            reverse("nominations:item_add", args=[dossier.pk]),
            {"person": bad, "unit": bad, "award_type": bad, "achievement_summary": "x"},
        )
        assert response.status_code == 200 and "is-invalid" in response.content.decode(), bad
    assert not dossier.items.exists()
    client.force_login(people["city"])
    for bad in BAD:
        response = client.post(
            f"/de-nghi/hoi-dong/mo/?don_vi={tree.hn.pk}",
            {"title": "Phiên", "held_on": "2025-12-01", "dossiers": [bad]},
        )
        assert response.status_code == 200 and "không phải là lựa chọn hợp lệ" in response.content.decode(), (
            bad
        )
