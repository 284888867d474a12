"""Official administrative units for a unit's area (issue 15): the package's list, accent-insensitive
search, old codes resolving to today's communes, the picker on the forms and the unit page."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from accounts.roles import Role
from core.exceptions import ServiceError
from core.models import AuditEvent
from organizations import areas, services
from organizations.models import OrgUnit, OrgUnitType


def _one(name: str, *, current: bool, province: str = "Thành phố Hà Nội") -> areas.Area:
    found = [
        a
        for a in areas._catalogue().values()
        if a.name == name and a.current is current and a.province == province
    ]
    assert len(found) == 1, found
    return found[0]


# --- the layer over the package ---------------------------------------------------------------


class TestCatalogue:
    def test_today_34_provinces_and_the_63_before(self):
        every = areas._catalogue().values()
        assert sum(1 for a in every if a.level == areas.PROVINCE and a.current) == 34
        assert sum(1 for a in every if a.level == areas.PROVINCE and not a.current) == 63
        assert not any(a.level == areas.DISTRICT and a.current for a in every)

    @pytest.mark.parametrize("text", ["ha noi", "HÀ NỘI", "Hà Nội", "thanh pho ha noi"])
    def test_search_ignores_accents(self, text):
        found = areas.search(text)
        assert found[0].name == "Thành phố Hà Nội" and found[0].current
        assert all("Hà Nội" in a.full_name for a in found)

    def test_my_duc_finds_the_commune_and_those_formed_from_the_district(self):
        names = {a.name for a in areas.search("my duc") if a.current and a.province == "Thành phố Hà Nội"}
        # the district Mỹ Đức became the communes Mỹ Đức, Phúc Sơn, Hồng Sơn, Hương Sơn and Trần Phú
        assert {"Xã Mỹ Đức", "Xã Hương Sơn", "Xã Phúc Sơn"} <= names
        assert "Huyện Mỹ Đức" in {a.name for a in areas.search("my duc")}

    def test_search_limit_and_short_text(self):
        assert len(areas.search("xa", limit=20)) == 20
        assert areas.search("x") == [] and areas.search("") == []
        found, more = areas.search_more("phuong", 20)
        assert len(found) == 20 and more

    def test_old_district_resolves_to_its_successor_communes(self):
        district = _one("Huyện Mỹ Đức", current=False)
        assert district.code.startswith(areas.OLD) and district.level == areas.DISTRICT
        successors = areas.successors(district.code)
        assert {"Xã Mỹ Đức", "Xã Hương Sơn"} <= {a.name for a in successors}
        assert all(a.current and a.province == "Thành phố Hà Nội" for a in successors)

    def test_old_commune_keeps_its_code_and_names_the_new_one(self):
        old = _one("Xã Hương Sơn", current=False)
        assert areas.get(old.code) == old and not old.current
        assert "Xã Hương Sơn" in [a.name for a in areas.successors(old.code)]
        new = areas.successors(old.code)[0]
        assert new.code != old.code and areas.successors(new.code) == [new]

    def test_old_province_merged(self):
        ha_giang = _one("Tỉnh Hà Giang", current=False, province="Tỉnh Hà Giang")
        assert [a.name for a in areas.successors(ha_giang.code)] == ["Tỉnh Tuyên Quang"]

    def test_unknown_and_resolve(self):
        assert areas.get("X99999999") is None and areas.get("") is None and areas.successors("zz") == []
        assert areas.resolve("Xã Mỹ Đức, Thành phố Hà Nội") == _one("Xã Mỹ Đức", current=True)
        with pytest.raises(LookupError):
            areas.resolve("Xã Mỹ Đức")  # Hà Nội and An Giang both have one today


# --- forms, service, pages -----------------------------------------------------------------------


@pytest.mark.django_db
class TestUnitArea:
    def test_create_form_stores_the_chosen_code(self, officer_client, tree):
        commune = _one("Xã Mỹ Đức", current=True)
        response = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/",
            {
                "name": "Công đoàn xã Mỹ Đức",
                "code": "HN-MD-XMD",
                "unit_type": OrgUnitType.objects.get(code="CDCS").pk,
                "area_code": commune.code,
                "area_code_q": commune.label,
            },
        )
        assert response.status_code == 302
        unit = OrgUnit.objects.get(code="HN-MD-XMD")
        assert unit.area_code == commune.code and unit.area == "Xã Mỹ Đức, Thành phố Hà Nội"

    def test_create_form_without_js_takes_an_exact_name_or_refuses(self, officer_client, tree):
        cdcs = OrgUnitType.objects.get(code="CDCS").pk
        data = {"name": "Công đoàn xã Hương Sơn", "code": "HN-MD-XHS", "unit_type": cdcs}
        response = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/", {**data, "area_code_q": "xa huong son, thanh pho ha noi"}
        )
        assert response.status_code == 302
        assert OrgUnit.objects.get(code="HN-MD-XHS").area_code == _one("Xã Hương Sơn", current=True).code
        page = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/",
            {**data, "code": "HN-MD-X2", "area_code_q": "Xã Mỹ Đức"},
        ).content.decode()
        assert "Có nhiều đơn vị hành chính tên “Xã Mỹ Đức”" in page
        page = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/", {**data, "code": "HN-MD-X3", "area_code": "X0000000"}
        ).content.decode()
        assert "Không có đơn vị hành chính này trong danh mục" in page
        assert not OrgUnit.objects.filter(code__in=["HN-MD-X2", "HN-MD-X3"]).exists()

    def test_unit_page_shows_an_old_district_and_its_successors(self, officer_client, tree, officer):
        district = _one("Huyện Mỹ Đức", current=False)
        services.orgunit_set_area(acting_user=officer, unit=tree.md, area_code=district.code)
        page = officer_client.get(f"/don-vi/{tree.md.pk}/").content.decode()
        assert "Huyện Mỹ Đức, Thành phố Hà Nội (trước 01/07/2025), nay là" in page
        assert "Xã Hương Sơn" in page and "Xã Phúc Sơn" in page
        event = AuditEvent.objects.get(action="orgunit.area")
        assert event.changes["area_code"] == ["", district.code]

    def test_unit_page_current_code_and_free_text(self, officer_client, tree, officer):
        OrgUnit.objects.filter(pk=tree.ubnd.pk).update(area="Thôn Đục Khê (ghi tay)")
        page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
        assert "Thôn Đục Khê (ghi tay)" in page
        commune = _one("Xã Hương Sơn", current=True)
        services.orgunit_set_area(acting_user=officer, unit=tree.ubnd, area_code=commune.code)
        page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
        assert "Xã Hương Sơn, Thành phố Hà Nội" in page and "nay là" not in page
        assert "Thôn Đục Khê" not in page

    def test_area_edit_page(self, officer_client, tree):
        assert "Địa bàn" in officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
        commune = _one("Xã Phúc Sơn", current=True)
        response = officer_client.post(f"/don-vi/{tree.ubnd.pk}/dia-ban/", {"area_code": commune.code})
        assert response.status_code == 302
        assert OrgUnit.objects.get(pk=tree.ubnd.pk).area_code == commune.code
        form = officer_client.get(f"/don-vi/{tree.ubnd.pk}/dia-ban/").content.decode()
        assert "Xã Phúc Sơn, Thành phố Hà Nội" in form  # the chosen unit stands in the search box
        officer_client.post(f"/don-vi/{tree.ubnd.pk}/dia-ban/", {"area_code": "", "area_code_q": ""})
        unit = OrgUnit.objects.get(pk=tree.ubnd.pk)
        assert unit.area_code == "" and unit.area == ""

    def test_area_edit_needs_unit_manage(self, client, tree, make_user):
        client.force_login(make_user(Role.OFFICER, tree.hbt))
        assert client.get(f"/don-vi/{tree.ubnd.pk}/dia-ban/").status_code == 404
        commune = _one("Xã Phúc Sơn", current=True)
        with pytest.raises(PermissionDenied):
            services.orgunit_set_area(acting_user=make_user(), unit=tree.ubnd, area_code=commune.code)
        with pytest.raises(ServiceError):
            services.orgunit_set_area(acting_user=make_user(), unit=tree.ubnd, area_code="X0")
        assert OrgUnit.objects.get(pk=tree.ubnd.pk).area_code == ""

    def test_search_endpoint_needs_login_and_returns_at_most_20(self, client, make_user):
        response = client.get("/don-vi/tim-dia-ban/", {"q": "ha noi"})
        assert response.status_code == 302 and response["Location"].startswith(
            resolve_url(settings.LOGIN_URL)
        )
        client.force_login(make_user())  # no role at all: the official list is public reference data
        page = client.get("/don-vi/tim-dia-ban/", {"truong": "area_code", "area_code_q": "ha noi"})
        body = page.content.decode()
        assert page.status_code == 200 and body.count("data-pick=") == 20
        assert "Chỉ hiện 20 kết quả đầu" in body and "Thành phố Hà Nội" in body
        body = client.get("/don-vi/tim-dia-ban/", {"q": "huyen my duc"}).content.decode()
        assert "trước 01/07/2025" in body and "<html" not in body
        body = client.get("/don-vi/tim-dia-ban/", {"q": "khong co noi nao nhu the"}).content.decode()
        assert "Không có đơn vị hành chính nào khớp" in body and "Không tìm thấy ai" not in body
