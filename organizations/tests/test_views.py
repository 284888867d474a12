import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_person, add_unit
from core.models import AuditEvent
from organizations.models import OrgUnit


@pytest.mark.django_db
class TestTreePages:
    def test_tree_shows_scope_roots_with_member_counts(self, officer_client, counted):
        page = officer_client.get("/don-vi/").content.decode()
        assert "Liên đoàn Lao động huyện Mỹ Đức" in page and "3 đoàn viên" in page
        assert "Hai Bà Trưng" not in page and 'data-testid="figures-unbuilt"' not in page

    def test_tree_says_when_this_years_counters_are_not_built(self, officer_client, tree):
        page = officer_client.get("/don-vi/").content.decode()
        assert "Liên đoàn Lao động huyện Mỹ Đức" in page and "đoàn viên" not in page.split("tree card")[1]
        assert 'data-testid="figures-unbuilt"' in page

    def test_children_partial(self, officer_client, tree):
        page = officer_client.get(
            f"/don-vi/{tree.md.pk}/truc-thuoc/", HTTP_HX_REQUEST="true"
        ).content.decode()
        assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page and "<html" not in page

    @pytest.mark.parametrize("query", ["my duc", "MỸ ĐỨC", "Mỹ Đức", "uy ban nhan dan huyen my"])
    def test_search_ignores_diacritics(self, client, tree, make_user, query):
        client.force_login(make_user(Role.OFFICER, tree.hn))
        page = client.get("/don-vi/", {"q": query}).content.decode()
        assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page

    def test_search_respects_scope(self, officer_client, tree):
        page = officer_client.get("/don-vi/", {"q": "minh khai"}).content.decode()
        assert "Công đoàn phường Minh Khai" not in page and "Không tìm thấy đơn vị nào" in page

    def test_detail_shows_children_counts_and_officers(self, officer_client, tree, officer):
        page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
        assert "Tổ công đoàn Phòng Nội vụ" in page and "Đặng Đức Thắng" in page and "Chủ tịch" in page
        page = officer_client.get(f"/don-vi/{tree.md.pk}/").content.decode()
        assert officer.full_name in page and "Cán bộ thi đua, khen thưởng" in page

    def test_tree_and_detail_query_counts_do_not_grow_with_the_tree(self, client, tree, make_user):
        client.force_login(make_user(Role.OFFICER, tree.hn))
        urls = [
            "/don-vi/",
            f"/don-vi/{tree.md.pk}/",
            f"/don-vi/{tree.md.pk}/truc-thuoc/",
            "/don-vi/?q=cong doan",
        ]
        for url in urls:
            client.get(url)
        before = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            before[url] = len(ctx)
        # grow the tree: 12 more grassroots unions with groups and members under Mỹ Đức
        for i in range(12):
            cdcs = add_unit(
                OrgUnit.objects.get(pk=tree.md.pk), f"HN-MD-X{i}", f"Công đoàn Trường số {i}", "CDCS"
            )
            group = add_unit(cdcs, f"HN-MD-X{i}-T1", f"Tổ công đoàn khối {i}", "TO_CD")
            for j in range(3):
                add_person(group, f"Đỗ Văn Thử{i}x{j}")
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            assert len(ctx) == before[url], (url, [q["sql"] for q in ctx.captured_queries])


@pytest.mark.django_db
class TestManageForms:
    def test_rename_via_form(self, officer_client, tree):
        response = officer_client.post(
            f"/don-vi/{tree.ubnd.pk}/doi-ten/",
            {"name": "Công đoàn cơ quan UBND huyện Mỹ Đức", "short_name": "", "reason": "Quyết định 5"},
        )
        assert response.status_code == 302
        page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
        assert "Lịch sử tên gọi" in page and "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page

    def test_rename_empty_name_error(self, officer_client, tree):
        response = officer_client.post(f"/don-vi/{tree.ubnd.pk}/doi-ten/", {"name": ""})
        assert response.status_code == 200 and "is-invalid" in response.content.decode()

    def test_create_child_via_form(self, officer_client, tree):
        from organizations.models import OrgUnitType

        response = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/",
            {
                "name": "Công đoàn xã Hương Sơn",
                "code": "HN-MD-HS",
                "unit_type": OrgUnitType.objects.get(code="CDCS").pk,
            },
        )
        unit = OrgUnit.objects.get(code="HN-MD-HS")
        assert response.status_code == 302 and unit.path.startswith(tree.md.path)
        response = officer_client.post(
            f"/don-vi/{tree.md.pk}/them-don-vi/",
            {"name": "Trùng mã", "code": "HN-MD-HS", "unit_type": OrgUnitType.objects.get(code="CDCS").pk},
        )
        assert "đã được dùng cho đơn vị khác" in response.content.decode()

    def test_move_and_merge_via_forms(self, client, tree, make_user):
        client.force_login(make_user(Role.OFFICER, tree.hn))
        response = client.post(f"/don-vi/{tree.mk.pk}/chuyen/", {"new_parent": tree.md.pk, "reason": "Thử"})
        assert response.status_code == 302
        assert OrgUnit.objects.get(pk=tree.mk.pk).path.startswith(tree.md.path)
        response = client.post(
            f"/don-vi/{tree.mk.pk}/sap-nhap/", {"target": tree.ubnd.pk, "merged_on": "2025-07-01"}
        )
        assert response.status_code == 302
        assert OrgUnit.objects.get(pk=tree.mk.pk).successor_id == tree.ubnd.pk
        assert AuditEvent.objects.filter(action__in=["orgunit.move", "orgunit.merge"]).count() == 2
        page = client.get(f"/don-vi/{tree.mk.pk}/").content.decode()
        assert "Đơn vị đã hết hiệu lực" in page


@pytest.mark.django_db
def test_children_in_vietnamese_alphabetical_order(officer_client, tree):
    for code, name in [
        ("Z1", "Tổ công đoàn Ủy ban"),
        ("Z2", "Tổ công đoàn Đội thuế"),
        ("Z3", "Tổ công đoàn Dân vận"),
    ]:
        add_unit(OrgUnit.objects.get(pk=tree.ubnd.pk), code, name, "TO_CD")
    page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
    order = [
        "Tổ công đoàn Dân vận",
        "Tổ công đoàn Đội thuế",
        "Tổ công đoàn Phòng Nội vụ",
        "Tổ công đoàn Phòng Tài",
        "Tổ công đoàn Ủy ban",
    ]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)
