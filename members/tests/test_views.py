import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import add_person
from members.models import Person


@pytest.mark.django_db
class TestPersonList:
    def test_search_without_diacritics_and_name_order(self, officer_client, tree):
        page = officer_client.get(f"/doan-vien/?don_vi={tree.ubnd.pk}").content.decode()
        # Vietnamese order by given name: An, Hoa, Thắng
        assert page.index("Nguyễn Văn An") < page.index("Trần Thị Hoa") < page.index("Đặng Đức Thắng")
        page = officer_client.get("/doan-vien/?q=tran thi hoa").content.decode()
        assert "Trần Thị Hoa" in page and "Nguyễn Văn An" not in page
        page = officer_client.get("/doan-vien/?q=0100000001").content.decode()
        assert "Nguyễn Văn An" in page and "Trần Thị Hoa" not in page

    def test_list_shows_group_and_grassroots(self, officer_client, tree):
        page = officer_client.get(f"/doan-vien/?don_vi={tree.md.pk}").content.decode()
        assert "Tổ công đoàn Phòng Nội vụ" in page and "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page

    def test_filters(self, officer_client, tree):
        page = officer_client.get(f"/doan-vien/?don_vi={tree.ubnd.pk}&gioi_tinh=F").content.decode()
        assert "Trần Thị Hoa" in page and "Nguyễn Văn An" not in page
        page = officer_client.get(f"/doan-vien/?don_vi={tree.ubnd.pk}&chuc_vu=CHU_TICH").content.decode()
        assert "Đặng Đức Thắng" in page and "Trần Thị Hoa" not in page

    def test_empty_state(self, officer_client, tree):
        page = officer_client.get("/doan-vien/?q=khong co ai").content.decode()
        assert "Không có đoàn viên nào khớp" in page

    def test_query_count_does_not_grow_with_rows(self, officer_client, tree):
        url = f"/doan-vien/?don_vi={tree.md.pk}"
        officer_client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert officer_client.get(url).status_code == 200
        for i in range(30):
            add_person(tree.t2 if i % 2 else tree.t1, f"Lê Văn Số{i}")
        with CaptureQueriesContext(connection) as many:
            page = officer_client.get(url).content.decode()
        assert "Lê Văn Số7" in page
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
class TestPersonDetailAndForms:
    def test_detail_masks_citizen_id(self, officer_client, tree):
        page = officer_client.get(f"/doan-vien/{tree.an.pk}/").content.decode()
        assert "001085012345" not in page and "••••••••2345" in page
        assert "Tổ công đoàn Phòng Nội vụ" in page

    def test_member_sees_own_record_only(self, client, tree, make_user):
        from accounts.roles import Role

        user = make_user(Role.MEMBER, tree.ubnd, include_subtree=False, person=tree.an)
        client.force_login(user)
        assert client.get(f"/doan-vien/{tree.an.pk}/").status_code == 200
        assert client.get(f"/doan-vien/{tree.hoa.pk}/").status_code == 403
        assert client.get("/doan-vien/").status_code == 403

    def test_create_with_errors_then_success(self, officer_client, tree):
        data = {
            "p-family_name": "Vũ",
            "p-middle_name": "Thị",
            "p-given_name": "Hạnh",
            "p-gender": "F",
            "p-birth_date": "1990-03-08",
            "p-citizen_id": "12345",
            "m-unit": tree.t1.pk,
            "m-union_role": "DOAN_VIEN",
            "m-work_mode": "NONE",
            "m-started_on": "2015-01-01",
        }
        response = officer_client.post(f"/doan-vien/them/?don_vi={tree.ubnd.pk}", data)
        assert response.status_code == 200
        assert "Số CCCD phải gồm đúng 12 chữ số." in response.content.decode()
        data["p-citizen_id"] = "001085012345"
        assert (
            "Số CCCD này đã có trong hệ thống"
            in officer_client.post("/doan-vien/them/", data).content.decode()
        )
        data["p-citizen_id"] = "001190123456"
        response = officer_client.post("/doan-vien/them/", data)
        person = Person.objects.get(citizen_id="001190123456")
        assert response.status_code == 302 and response["Location"] == f"/doan-vien/{person.pk}/"

    def test_create_refuses_unit_outside_scope(self, officer_client, tree):
        data = {
            "p-given_name": "Hạnh",
            "p-gender": "F",
            "m-unit": tree.mk.pk,
            "m-union_role": "DOAN_VIEN",
            "m-work_mode": "NONE",
            "m-started_on": "2015-01-01",
        }
        response = officer_client.post("/doan-vien/them/", data)
        assert response.status_code == 200 and not Person.objects.filter(given_name="Hạnh").exists()
        assert (
            "Nơi sinh hoạt không hợp lệ hoặc không thuộc phạm vi bạn được quản lý."
            in response.content.decode()
        )

    def test_edit(self, officer_client, tree):
        data = {
            "p-family_name": "Nguyễn",
            "p-middle_name": "Văn",
            "p-given_name": "An",
            "p-gender": "M",
            "p-birth_date": "1985-05-17",
            "p-citizen_id": "001085012345",
            "p-phone": "0912345678",
            "m-union_role": "TO_TRUONG",
            "m-work_mode": "PART_TIME",
            "m-card_number": "0100000001",
        }
        response = officer_client.post(f"/doan-vien/{tree.an.pk}/sua/", data)
        assert response.status_code == 302
        tree.an.refresh_from_db()
        assert tree.an.phone == "0912345678" and tree.an.memberships.get().union_role == "TO_TRUONG"


@pytest.mark.django_db
class TestMembershipScreens:
    def test_transfer_via_form(self, officer_client, tree):
        response = officer_client.post(
            f"/doan-vien/{tree.an.pk}/chuyen-sinh-hoat/",
            {"to_unit": tree.t2.pk, "on": "2025-02-01", "reason": "Điều động"},
        )
        assert response.status_code == 302
        assert tree.an.memberships.get(ended_on__isnull=True).unit_id == tree.t2.pk
        page = officer_client.get(f"/doan-vien/{tree.an.pk}/").content.decode()
        assert "Tổ công đoàn Phòng Nội vụ" in page and "Tổ công đoàn Phòng Tài chính - Kế hoạch" in page

    def test_transfer_outside_scope_refused(self, officer_client, tree):
        response = officer_client.post(
            f"/doan-vien/{tree.an.pk}/chuyen-sinh-hoat/", {"to_unit": tree.mk.pk, "on": "2025-02-01"}
        )
        assert response.status_code == 200
        assert "không thuộc phạm vi bạn được quản lý" in response.content.decode()
        assert tree.an.memberships.get(ended_on__isnull=True).unit_id == tree.t1.pk
        assert officer_client.get(f"/doan-vien/{tree.minh_khai.pk}/chuyen-sinh-hoat/").status_code == 404

    def test_end_via_form_requires_reason(self, officer_client, tree):
        url = f"/doan-vien/{tree.hoa.pk}/thoi-sinh-hoat/"
        response = officer_client.post(url, {"ended_on": "2025-06-30", "end_reason": ""})
        assert "Nhập lý do kết thúc sinh hoạt." in response.content.decode()
        response = officer_client.post(url, {"ended_on": "2025-06-30", "end_reason": "Nghỉ hưu"})
        assert response.status_code == 302
        assert not tree.hoa.memberships.filter(ended_on__isnull=True).exists()
        # a person who left is listed under "Đã chuyển đi / thôi sinh hoạt"
        page = officer_client.get(f"/doan-vien/?don_vi={tree.ubnd.pk}&trang_thai=left").content.decode()
        assert "Trần Thị Hoa" in page and "đã thôi" in page
        # and can no longer be transferred or ended
        assert officer_client.get(url).status_code == 403

    def test_other_roles_cannot_change_memberships(self, client, tree, make_user):
        from accounts.roles import Role

        client.force_login(make_user(Role.LEADER, tree.hn))
        assert client.get(f"/doan-vien/{tree.an.pk}/chuyen-sinh-hoat/").status_code == 403
        assert client.get(f"/doan-vien/{tree.an.pk}/thoi-sinh-hoat/").status_code == 403
