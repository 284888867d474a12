"""Phân loại đối tượng on a nominee: chosen on the item forms (for a person only), shown on the dossier page
and carried to the award record a decision creates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commendations.models import AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services
from nominations.models import Decision, NominationItem
from nominations.services.decisions import _award_record

pytestmark = pytest.mark.django_db


def award(code):
    return AwardType.objects.get(code=code)


@pytest.fixture
def dossier(tree, people):
    return services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Hồ sơ 2025"
    )


def add(people, dossier, **extra):
    return services.item_add(
        acting_user=people["cdcs"], dossier=dossier, achievement_summary="Hoàn thành tốt nhiệm vụ", **extra
    )


def test_item_add_keeps_the_category_of_a_person_and_refuses_one_for_a_collective(tree, people, dossier):
    item = add(people, dossier, award_type=award("LDTT"), person=tree.an, subject_category="DIRECT_WORKER")
    assert NominationItem.objects.get(pk=item.pk).subject_category == "DIRECT_WORKER"
    with pytest.raises(ServiceError) as refused:
        add(people, dossier, award_type=award("GK"), unit=tree.t1, subject_category="LEADER")
    assert refused.value.field == "subject_category" and "chỉ dành cho cá nhân" in refused.value.message
    with pytest.raises(ServiceError, match="“Công nhân, người lao động trực tiếp”"):
        add(people, dossier, award_type=award("GK"), person=tree.hoa, subject_category="FARMER")
    assert dossier.items.count() == 1


def test_item_update_changes_the_category_and_audits_it(tree, people, dossier):
    item = add(people, dossier, award_type=award("LDTT"), person=tree.an)
    services.item_update(
        acting_user=people["cdcs"],
        item=item,
        achievement_summary=item.achievement_summary,
        override_reason="",
        subject_category="OFFICIAL",
    )
    item.refresh_from_db()
    assert item.subject_category == "OFFICIAL"
    event = AuditEvent.objects.filter(action="dossier.item_update").latest("id")
    assert event.changes["subject_category"] == ["", "Cán bộ, công chức, viên chức"]
    # None keeps it
    services.item_update(
        acting_user=people["cdcs"], item=item, achievement_summary="Khác", override_reason=""
    )
    item.refresh_from_db()
    assert item.subject_category == "OFFICIAL"


def test_the_forms_offer_it_for_a_person_and_the_page_shows_it(client, tree, people, dossier):
    client.force_login(people["cdcs"])
    form = client.get(reverse("nominations:item_add", args=[dossier.pk])).content.decode()
    assert 'name="subject_category"' in form and "Chỉ cho cá nhân" in form
    response = client.post(
        reverse("nominations:item_add", args=[dossier.pk]),
        {
            "person": tree.an.pk,
            "award_type": award("LDTT").pk,
            "achievement_summary": "Hoàn thành tốt nhiệm vụ",
            "subject_category": "DIRECT_WORKER",
        },
    )
    assert response.status_code == 302
    person_item = dossier.items.get(person=tree.an)
    assert person_item.subject_category == "DIRECT_WORKER"
    # a collective with a category: the form says so, nothing is added
    response = client.post(
        reverse("nominations:item_add", args=[dossier.pk]),
        {
            "unit": tree.t1.pk,
            "award_type": award("GK").pk,
            "achievement_summary": "Tập thể vững mạnh",
            "subject_category": "LEADER",
        },
    )
    assert response.status_code == 200 and "chỉ dành cho cá nhân" in response.content.decode()
    unit_item = add(people, dossier, award_type=award("GK"), unit=tree.t1)

    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Phân loại đối tượng: Công nhân, người lao động trực tiếp" in page
    assert f'name="i{person_item.pk}-subject_category"' in page
    assert f'name="i{unit_item.pk}-subject_category"' not in page  # a collective has none

    # the short form (summary only) keeps the category; the full form changes it
    edit = reverse("nominations:item_edit", args=[dossier.pk, person_item.pk])
    client.post(edit, {"achievement_summary": "Sửa tóm tắt", "override_reason": ""})
    person_item.refresh_from_db()
    assert (person_item.achievement_summary, person_item.subject_category) == ("Sửa tóm tắt", "DIRECT_WORKER")
    prefix = f"i{person_item.pk}"
    client.post(
        edit,
        {
            f"{prefix}-award_type": award("LDTT").pk,
            f"{prefix}-achievement_summary": "Sửa tóm tắt",
            f"{prefix}-subject_category": "UNION_STAFF",
            f"{prefix}-override_reason": "",
        },
    )
    person_item.refresh_from_db()
    assert person_item.subject_category == "UNION_STAFF"


def test_the_decision_carries_the_category_to_the_award_record(tree, people, dossier):
    person_item = add(people, dossier, award_type=award("LDTT"), person=tree.an, subject_category="LEADER")
    unit_item = add(people, dossier, award_type=award("GK"), unit=tree.t1)
    decision = Decision.objects.create(
        issuing_unit=tree.ubnd,
        year=2026,
        sequence=3,
        symbol="QĐ-CĐCS",
        issued_on=dt.date(2026, 1, 20),
        signer_name="Đặng Đức Thắng",
        signer_title="Chủ tịch",
        dossier=dossier,
    )
    record = _award_record(acting_user=people["cdcs"], item=person_item, decision=decision)
    assert record.subject_category == "LEADER" and record.scope_unit == tree.t1
    assert _award_record(acting_user=people["cdcs"], item=unit_item, decision=decision).subject_category == ""
