"""Issue 15: a historic unit type (LĐLĐ quận, huyện, ended with the two-level local government on
01/07/2025) cannot be founded on or after its end date — the service refuses it and the form says why;
the units of that type keep their history."""

import datetime as dt

import pytest
from django.urls import reverse

from core.exceptions import ServiceError
from organizations import services
from organizations.models import OrgUnit, OrgUnitType

pytestmark = pytest.mark.django_db


def test_the_district_type_ends_on_1_july_2025():
    district = OrgUnitType.objects.get(code="LDLD_HUYEN")
    assert district.valid_to == dt.date(2025, 7, 1)
    assert not district.ended_on(dt.date(2025, 6, 30)) and district.ended_on(dt.date(2025, 7, 1))
    assert OrgUnitType.objects.get(code="CDCS").valid_to is None


def test_the_service_refuses_a_district_federation_founded_after_the_end(make_user, tree):
    from accounts.roles import Role

    officer = make_user(Role.OFFICER, tree.hn)
    district = OrgUnitType.objects.get(code="LDLD_HUYEN")
    with pytest.raises(ServiceError) as refused:
        services.orgunit_create(
            acting_user=officer, parent=tree.hn, name="LĐLĐ huyện Mới", code="HN-MOI", unit_type=district
        )
    assert refused.value.field == "unit_type"
    assert "không còn được thành lập mới từ ngày 01/07/2025" in refused.value.message
    assert not OrgUnit.objects.filter(code="HN-MOI").exists()
    # founded (recorded) with a date before the end: history may still be entered
    unit = services.orgunit_create(
        acting_user=officer,
        parent=tree.hn,
        name="LĐLĐ huyện Cũ",
        code="HN-CU",
        unit_type=district,
        valid_from=dt.date(2010, 1, 1),
    )
    assert unit.unit_type == district


def test_the_form_names_the_end_and_refuses_it(client, make_user, tree):
    from accounts.roles import Role

    client.force_login(make_user(Role.OFFICER, tree.hn))
    url = reverse("organizations:create_child", args=[tree.hn.pk])
    page = client.get(url).content.decode()
    assert "Liên đoàn Lao động quận, huyện (không thành lập mới từ 01/07/2025)" in page
    district = OrgUnitType.objects.get(code="LDLD_HUYEN")
    response = client.post(url, {"name": "LĐLĐ huyện Mới", "code": "HN-MOI", "unit_type": district.pk})
    assert response.status_code == 200
    assert "không còn được thành lập mới từ ngày 01/07/2025" in response.content.decode()
    assert not OrgUnit.objects.filter(code="HN-MOI").exists()
