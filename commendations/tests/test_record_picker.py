"""Issue 12 finding 11: the award-registry add form picks the person (and the collective) through a
search instead of listing every person and unit in scope (it was 11.8 MB for a big unit)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commendations.models import AwardRecord, AwardType
from members.tests.test_picker import bulk_people
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db


def _data(tree, **extra):
    return {
        "award_type": AwardType.objects.get(code="GK").pk,
        "year": 2024,
        "decision_number": "45/QĐ-LĐLĐ",
        "decision_date": "2024-12-20",
        "issuing_unit": tree.md.pk,
        **extra,
    }


def test_add_form_size_does_not_grow_with_the_people_in_scope(officer_client, tree):
    url = reverse("commendations:record_create") + f"?don_vi={tree.md.pk}"
    small = len(officer_client.get(url).content)
    bulk_people(OrgUnit.objects.get(pk=tree.t1.pk), [f"Nguyễn Văn Thành{i}" for i in range(2000)])
    page = officer_client.get(url).content
    assert len(page) < 200_000
    assert len(page) - small < 2_000, (small, len(page))  # no list of the 2,000 people
    assert "Nguyễn Văn Thành1999".encode() not in page
    assert b"/doan-vien/tim/?" in page and b"/doan-vien/tim-don-vi/?" in page


def test_a_person_of_another_branch_is_refused_not_leaked(officer_client, tree):
    url = reverse("commendations:record_create") + f"?don_vi={tree.md.pk}"
    response = officer_client.post(url, _data(tree, person=tree.minh_khai.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không tìm thấy đoàn viên này trong phạm vi của bạn" in page and "Lê Thị Ánh" not in page
    assert not AwardRecord.objects.exists()
    # a unit of another branch as the collective, too
    response = officer_client.post(url, _data(tree, collective=tree.mk.pk))
    assert "Không tìm thấy đơn vị này trong phạm vi của bạn" in response.content.decode()
    assert not AwardRecord.objects.exists()


def test_a_person_outside_the_chosen_unit_is_refused(officer_client, tree):
    """The picker's queryset is the chosen unit's subtree: Hoa (tổ 2) cannot be recorded from tổ 1."""
    url = reverse("commendations:record_create") + f"?don_vi={tree.t1.pk}"
    response = officer_client.post(url, _data(tree, person=tree.hoa.pk))
    assert "Không tìm thấy đoàn viên này" in response.content.decode()
    assert not AwardRecord.objects.exists()


def test_recorded_through_the_pickers_pk_or_a_typed_card_number(officer_client, tree):
    url = reverse("commendations:record_create") + f"?don_vi={tree.md.pk}"
    assert officer_client.post(url, _data(tree, person=tree.an.pk)).status_code == 302
    assert AwardRecord.objects.get().person == tree.an
    # without JavaScript: the search box as typed, a card number
    response = officer_client.post(url, _data(tree, person_q="0100000002", decision_number="46/QĐ-LĐLĐ"))
    assert response.status_code == 302
    assert AwardRecord.objects.filter(person=tree.hoa).exists()
    # a collective through the unit picker
    response = officer_client.post(
        url,
        _data(
            tree,
            collective=tree.t1.pk,
            award_type=AwardType.objects.get(code="TTLDTT").pk,
            decision_number="47/QĐ-LĐLĐ",
        ),
    )
    assert response.status_code == 302 and AwardRecord.objects.filter(unit=tree.t1).exists()


def test_a_failed_post_shows_the_chosen_person_again(officer_client, tree):
    url = reverse("commendations:record_create") + f"?don_vi={tree.md.pk}"
    page = officer_client.post(url, _data(tree, person=tree.an.pk, year="")).content.decode()
    assert f'value="{tree.an.pk}"' in page and "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ" in page
