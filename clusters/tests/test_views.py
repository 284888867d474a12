"""Cluster pages: permissions (200 / 403 / 404), forms through the services, query budget, demo data."""

import datetime as dt
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from clusters import services as svc
from clusters.choices import ClusterRole
from clusters.demo import build_demo
from clusters.models import Cluster, Covenant
from conftest import add_unit
from core.models import AuditEvent
from organizations import panels
from organizations.models import OrgUnit

L, D, M = ClusterRole.LEADER, ClusterRole.DEPUTY, ClusterRole.MEMBER


@pytest.fixture
def setup(officer, tree):
    md = tree.md
    ttyt = add_unit(md, "HN-MD-TTYT", "Công đoàn Trung tâm Y tế huyện Mỹ Đức", "CDCS")
    thpt = add_unit(md, "HN-MD-THPTA", "Công đoàn Trường THPT Mỹ Đức A", "CDCS")
    md = OrgUnit.objects.get(pk=md.pk)
    cluster = svc.cluster_create(
        acting_user=officer,
        organiser=md,
        year=2024,
        name="Cụm thi đua số 1",
        members=[(tree.ubnd, L), (ttyt, D)],
    )
    svc.covenant_record(
        acting_user=officer,
        cluster=cluster,
        content="Lao động giỏi, Lao động sáng tạo",
        signed_on=dt.date(2024, 2, 20),
        signatories=[tree.ubnd, ttyt],
        document=SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4 giao uoc"),
    )
    svc.cluster_rank(
        acting_user=officer,
        cluster=cluster,
        ranking=[(tree.ubnd, 1, 95), (ttyt, 2, 90)],
        proposed=[tree.ubnd],
    )
    return {"md": md, "ttyt": ttyt, "thpt": thpt, "cluster": cluster}


def read_urls(setup):
    c, md = setup["cluster"], setup["md"]
    return [
        f"/don-vi/{md.pk}/cum-thi-dua/?nam=2024",
        f"/don-vi/cum-thi-dua/{c.pk}/",
        f"/don-vi/cum-thi-dua/{c.pk}/giao-uoc/tai-ve/",
    ]


def write_urls(setup):
    c, md = setup["cluster"], setup["md"]
    return [
        f"/don-vi/{md.pk}/cum-thi-dua/them/?nam=2024",
        f"/don-vi/cum-thi-dua/{c.pk}/sua/",
        f"/don-vi/cum-thi-dua/{c.pk}/giao-uoc/",
        f"/don-vi/cum-thi-dua/{c.pk}/xep-hang/",
    ]


@pytest.mark.django_db
class TestPermissions:
    def test_officer_gets_every_page(self, officer_client, setup):
        for url in ["/don-vi/cum-thi-dua/", *read_urls(setup), *write_urls(setup)]:
            assert officer_client.get(url).status_code == 200, url

    def test_sibling_branch_officer_gets_404(self, client, make_user, tree, setup):
        client.force_login(make_user(Role.OFFICER, tree.hbt))
        for url in [*read_urls(setup), *write_urls(setup)]:
            assert client.get(url).status_code == 404, url
        copy = client.post(f"/don-vi/{setup['md'].pk}/cum-thi-dua/sao-chep/", {"nam": 2025})
        assert copy.status_code == 404
        assert "Cụm thi đua số 1" not in client.get("/don-vi/cum-thi-dua/?nam=2024").content.decode()

    def test_role_without_movement_manage_gets_403_on_writes_and_reads_pages(
        self, client, make_user, tree, setup
    ):
        client.force_login(make_user(Role.COUNCIL, tree.hn))
        for url in write_urls(setup):
            assert client.get(url).status_code == 403, url
        assert (
            client.post(f"/don-vi/{setup['md'].pk}/cum-thi-dua/sao-chep/", {"nam": 2025}).status_code == 403
        )
        for url in read_urls(setup):
            assert client.get(url).status_code == 200, url
        page = client.get(f"/don-vi/cum-thi-dua/{setup['cluster'].pk}/").content.decode()
        assert "Xếp hạng cuối năm</a>" not in page and "Sửa cụm" not in page

    def test_member_unit_sees_its_cluster_but_cannot_edit(self, client, make_user, tree, setup):
        client.force_login(make_user(Role.MEMBER, tree.ubnd, include_subtree=False))
        page = client.get(f"/don-vi/{tree.ubnd.pk}/cum-thi-dua/?nam=2024").content.decode()
        assert "Cụm, khối mà đơn vị tham gia năm 2024" in page and "Cụm thi đua số 1" in page
        assert client.get(f"/don-vi/cum-thi-dua/{setup['cluster'].pk}/").status_code == 200
        assert client.get(f"/don-vi/cum-thi-dua/{setup['cluster'].pk}/xep-hang/").status_code == 403
        # a unit outside the cluster does not see it
        client.force_login(make_user(Role.MEMBER, setup["thpt"], include_subtree=False))
        assert client.get(f"/don-vi/cum-thi-dua/{setup['cluster'].pk}/").status_code == 404

    def test_anonymous_redirected_to_login(self, client, setup):
        response = client.get(f"/don-vi/cum-thi-dua/{setup['cluster'].pk}/")
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
class TestPages:
    def test_list_shows_clusters_leader_covenant_and_unassigned(self, officer_client, setup):
        page = officer_client.get(f"/don-vi/{setup['md'].pk}/cum-thi-dua/?nam=2024").content.decode()
        assert "Cụm, khối thi đua năm 2024" in page and "Cụm thi đua số 1" in page
        assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in page and "đã ký ngày 20/02/2024" in page
        assert (
            "1 đơn vị chưa thuộc cụm, khối nào năm 2024" in page and "Công đoàn Trường THPT Mỹ Đức A" in page
        )

    def test_empty_year_offers_copy_and_copy_rotates(self, officer_client, setup):
        url = f"/don-vi/{setup['md'].pk}/cum-thi-dua/?nam=2025"
        page = officer_client.get(url).content.decode()
        assert "chưa thành lập cụm, khối thi đua nào" in page
        assert "Sao chép các cụm, khối năm 2024" in page
        response = officer_client.post(
            f"/don-vi/{setup['md'].pk}/cum-thi-dua/sao-chep/", {"nam": "2025"}, follow=True
        )
        assert "Đã sao chép 1 cụm, khối từ năm 2024" in response.content.decode()
        copied = Cluster.objects.get(year=2025)
        assert dict(copied.members.values_list("unit__code", "role")) == {"HN-MD-TTYT": L, "HN-MD-UBND": D}
        # nothing more to copy: the error message is shown
        response = officer_client.post(
            f"/don-vi/{setup['md'].pk}/cum-thi-dua/sao-chep/", {"nam": "2025"}, follow=True
        )
        assert "Không có cụm, khối nào để sao chép" in response.content.decode()

    def test_detail_shows_members_covenant_ranking_and_download(self, officer_client, setup):
        c = setup["cluster"]
        page = officer_client.get(f"/don-vi/cum-thi-dua/{c.pk}/").content.decode()
        assert "Cụm trưởng" in page and "Cụm phó" in page
        assert "Lao động giỏi, Lao động sáng tạo" in page and "Ký ngày 20/02/2024" in page
        assert "Tải văn bản giao ước" in page and "Đề nghị tặng Cờ thi đua" in page
        response = officer_client.get(f"/don-vi/cum-thi-dua/{c.pk}/giao-uoc/tai-ve/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 giao uoc"
        assert "attachment" in response["Content-Disposition"]

    def test_create_through_form(self, officer_client, setup, tree):
        md = setup["md"]
        data = {"name": "Cụm thi đua số 2", "kind": "KHOI", "flag_quota": "1", "note": "", "nam": "2024"}
        data[f"role_{setup['thpt'].pk}"] = L
        response = officer_client.post(f"/don-vi/{md.pk}/cum-thi-dua/them/?nam=2024", data)
        cluster = Cluster.objects.get(name="Cụm thi đua số 2")
        assert response.status_code == 302 and response["Location"] == f"/don-vi/cum-thi-dua/{cluster.pk}/"
        assert cluster.year == 2024 and cluster.kind == "KHOI"
        assert dict(cluster.members.values_list("unit__code", "role")) == {"HN-MD-THPTA": L}

    def test_form_shows_service_errors_and_disables_taken_units(self, officer_client, setup, tree):
        md = setup["md"]
        url = f"/don-vi/{md.pk}/cum-thi-dua/them/?nam=2024"
        page = officer_client.get(url).content.decode()
        assert "đã thuộc Cụm thi đua số 1" in page and "disabled" in page
        data = {"name": "Cụm thi đua số 2", "kind": "CUM", "flag_quota": "1", f"role_{setup['thpt'].pk}": M}
        page = officer_client.post(url, data).content.decode()
        assert "Chọn một đơn vị làm Cụm trưởng." in page
        # a posted role for a unit already in another cluster is ignored (the field is disabled)
        data.update({f"role_{setup['thpt'].pk}": L, f"role_{tree.ubnd.pk}": M})
        officer_client.post(url, data)
        assert dict(
            Cluster.objects.get(name="Cụm thi đua số 2").members.values_list("unit__code", "role")
        ) == {"HN-MD-THPTA": L}

    def test_edit_members_through_form(self, officer_client, setup, tree):
        c = setup["cluster"]
        data = {
            "name": c.name,
            "kind": "CUM",
            "flag_quota": "1",
            f"role_{tree.ubnd.pk}": D,
            f"role_{setup['ttyt'].pk}": L,
            f"role_{setup['thpt'].pk}": M,
        }
        assert officer_client.post(f"/don-vi/cum-thi-dua/{c.pk}/sua/", data).status_code == 302
        assert dict(c.members.values_list("unit__code", "role")) == {
            "HN-MD-UBND": D,
            "HN-MD-TTYT": L,
            "HN-MD-THPTA": M,
        }

    def test_covenant_form_upload(self, officer_client, setup, tree):
        c = setup["cluster"]
        data = {
            "content": "Xanh – Sạch – Đẹp, bảo đảm an toàn vệ sinh lao động",
            "signed_on": "2024-03-01",
            "place": "Mỹ Đức",
            "signatories": [tree.ubnd.pk],
            "document": SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.4 moi"),
        }
        assert officer_client.post(f"/don-vi/cum-thi-dua/{c.pk}/giao-uoc/", data).status_code == 302
        covenant = Covenant.objects.get(cluster=c)
        assert covenant.signed_on == dt.date(2024, 3, 1) and "ban-ky" in covenant.document.name
        assert list(covenant.signatories.values_list("code", flat=True)) == ["HN-MD-UBND"]
        data["document"] = SimpleUploadedFile("x.exe", b"MZ")
        page = officer_client.post(f"/don-vi/cum-thi-dua/{c.pk}/giao-uoc/", data).content.decode()
        assert "phải là tệp PDF, Word" in page

    def test_rank_form_override_needs_reason(self, officer_client, setup, tree):
        c = setup["cluster"]
        members = {m.unit_id: m for m in c.members.all()}
        ubnd, ttyt = members[tree.ubnd.pk], members[setup["ttyt"].pk]
        data = {
            f"rank_{ubnd.pk}": "1",
            f"score_{ubnd.pk}": "95",
            f"rank_{ttyt.pk}": "2",
            f"score_{ttyt.pk}": "90",
            f"flag_{ttyt.pk}": "on",
        }
        page = officer_client.post(f"/don-vi/cum-thi-dua/{c.pk}/xep-hang/", data).content.decode()
        assert "phải là đơn vị dẫn đầu" in page
        data["override_reason"] = "Đơn vị hạng 1 đã nhận Cờ năm 2023"
        assert officer_client.post(f"/don-vi/cum-thi-dua/{c.pk}/xep-hang/", data).status_code == 302
        assert c.members.get(proposed_for_flag=True).unit_id == setup["ttyt"].pk
        event = AuditEvent.objects.filter(action="cluster.rank").order_by("-pk").first()
        assert "Đơn vị hạng 1 đã nhận Cờ năm 2023" in event.summary


@pytest.mark.django_db
def test_unit_page_shows_the_clusters_side_panel_registered_by_the_clusters_app(officer_client, tree, setup):
    panel = panels._panels["clusters.of_unit"]
    assert (panel.order, panel.region, panel.template) == (30, panels.SIDE, "clusters/_panel_clusters.html")
    page = officer_client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
    assert f'href="/don-vi/cum-thi-dua/{setup["cluster"].pk}/"' in page and "Cụm thi đua số 1" in page
    # a unit in no cluster has no panel
    assert "Cụm thi đua số 1" not in officer_client.get(f"/don-vi/{setup['thpt'].pk}/").content.decode()


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_members(client, make_user, tree, officer, setup):
    client.force_login(make_user(Role.OFFICER, tree.hn))
    c, md = setup["cluster"], setup["md"]
    urls = [
        f"/don-vi/{md.pk}/cum-thi-dua/?nam=2024",
        f"/don-vi/cum-thi-dua/{c.pk}/",
        "/don-vi/cum-thi-dua/?nam=2024",
    ]
    for url in urls:
        client.get(url)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        before[url] = len(ctx)
    # 12 more member units, ranked; a second cluster
    extra = [
        add_unit(OrgUnit.objects.get(pk=md.pk), f"HN-MD-X{i}", f"Công đoàn xã số {i}", "CDCS")
        for i in range(12)
    ]
    members = [(tree.ubnd, L), (setup["ttyt"], D), *[(u, M) for u in extra[:10]]]
    svc.cluster_set_members(acting_user=officer, cluster=c, members=members)
    svc.cluster_rank(
        acting_user=officer, cluster=c, ranking=[(u, i + 1, None) for i, (u, _) in enumerate(members)]
    )
    svc.cluster_create(
        acting_user=officer,
        organiser=md,
        year=2024,
        name="Cụm thi đua số 2",
        members=[(extra[10], L), (extra[11], M)],
    )
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == before[url], (url, before[url], [q["sql"] for q in ctx.captured_queries])


@pytest.mark.django_db
class TestDemo:
    def test_build_demo_is_idempotent(self, tree):
        md = tree.md
        for code, name in [
            ("HN-MD-TTYT", "Công đoàn Trung tâm Y tế huyện Mỹ Đức"),
            ("HN-MD-THPTA", "Công đoàn Trường THPT Mỹ Đức A"),
            ("HN-MD-XHS", "Công đoàn xã Hương Sơn"),
            ("HN-MD-MAY", "Công đoàn Công ty TNHH May mặc Hương Sơn"),
        ]:
            add_unit(OrgUnit.objects.get(pk=md.pk), code, name, "CDCS")
        assert build_demo(rng=random.Random(1)) == 2
        assert build_demo(rng=random.Random(2)) == 0
        clusters = Cluster.objects.filter(organiser__code="HN-MD", year=2024).order_by("name")
        assert clusters.count() == 2
        for cluster in clusters:
            assert cluster.members.filter(role=L).count() == 1
            leader = cluster.members.get(role=L)
            assert leader.rank == 1 and leader.proposed_for_flag
            assert cluster.covenant.signatories.count() == cluster.members.count()
            assert "Lao động giỏi, Lao động sáng tạo" in cluster.covenant.content
            assert cluster.covenant.document.name.endswith(".pdf")
        assert sorted(member_codes(clusters)) == sorted(
            ["HN-MD-UBND", "HN-MD-XHS", "HN-MD-TTYT", "HN-MD-THPTA", "HN-MD-MAY"]
        )

    def test_build_demo_without_my_duc_does_nothing(self, db):
        assert build_demo(rng=random.Random(1)) == 0


def member_codes(clusters):  # noqa: N802
    return [code for c in clusters for code in c.members.values_list("unit__code", flat=True)]
