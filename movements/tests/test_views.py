import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_person, add_unit
from movements import services
from movements.models import Evaluation, Movement, ProgressReport, Registration
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_list_and_create_launch_flow(officer_client, counted):
    tree = counted  # the movements panel reads members from the counters
    page = officer_client.get(f"/phong-trao/?don_vi={tree.md.pk}").content.decode()
    assert "Chưa có phong trào thi đua nào phù hợp" in page and "Phát động phong trào" in page
    data = {
        "name": "Thi đua “Lao động giỏi, Lao động sáng tạo” năm 2025",
        "kind": "YEARLY",
        "year": "2025",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "audience": "ALL",
        "description": "",
        "launch_on": "2025-02-15",
        "midyear_on": "2025-07-15",
        "final_on": "2025-12-15",
        "ct-TOTAL_FORMS": "4",
        "ct-INITIAL_FORMS": "0",
        "ct-MIN_NUM_FORMS": "0",
        "ct-MAX_NUM_FORMS": "30",
        "ct-0-name": "Tỷ lệ đoàn viên đăng ký thi đua",
        "ct-0-unit_of_measure": "%",
        "ct-0-target_value": "100",
    }
    response = officer_client.post(
        f"/phong-trao/them/?don_vi={tree.md.pk}", {**data, "end_date": "2024-01-01"}
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    response = officer_client.post(f"/phong-trao/them/?don_vi={tree.md.pk}", data)
    movement = Movement.objects.get()
    assert response.status_code == 302 and movement.organiser == tree.md and movement.milestones.count() == 3
    page = officer_client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Dự thảo" in page and "Phát động" in page
    assert officer_client.post(f"/phong-trao/{movement.pk}/phat-dong/").status_code == 302
    page = officer_client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Đã phát động" in page and "Tỷ lệ đăng ký thi đua" in page
    assert "0/3" in page  # 0 of the 3 members of Mỹ Đức registered


def test_plan_document_must_be_a_document(officer_client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "name": "X",
        "kind": "THEMATIC",
        "year": "2025",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "audience": "ALL",
        "ct-TOTAL_FORMS": "0",
        "ct-INITIAL_FORMS": "0",
        "plan_document": SimpleUploadedFile("ke-hoach.exe", b"MZ"),
    }
    response = officer_client.post(f"/phong-trao/them/?don_vi={tree.md.pk}", data)
    assert "Kế hoạch phải là tệp Word" in response.content.decode() and not Movement.objects.exists()


def test_member_registers_on_the_page(client, make_movement, make_user, tree):
    movement = make_movement()
    client.force_login(make_user(Role.MEMBER, tree.ubnd, include_subtree=False, person=tree.hoa))
    page = client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Đăng ký thi đua" in page
    response = client.post(f"/phong-trao/{movement.pk}/dang-ky/", {"commitments": "Cam kết"})
    assert "Chọn ít nhất một danh hiệu đăng ký." in response.content.decode()
    response = client.post(
        f"/phong-trao/{movement.pk}/dang-ky/", {"titles": ["LDTT"], "commitments": "Cam kết"}
    )
    assert response.status_code == 302 and Registration.objects.get().person == tree.hoa
    page = client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Bạn đã đăng ký: Lao động tiên tiến" in page  # the title's name, never its code
    assert "LDTT" not in page


def test_bulk_and_collective_registration_pages(officer_client, make_movement, tree):
    movement = make_movement()
    url = f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={tree.ubnd.pk}"
    page = officer_client.get(url).content.decode()
    assert page.index("Nguyễn Văn An") < page.index("Trần Thị Hoa") < page.index("Đặng Đức Thắng")
    response = officer_client.post(url, {"titles": ["LDTT"], "persons": [tree.an.pk, tree.hoa.pk]})
    assert response.status_code == 302 and Registration.objects.count() == 2
    # persons outside the page's unit are ignored, never registered
    officer_client.post(url, {"titles": ["LDTT"], "persons": [tree.minh_khai.pk]})
    assert not Registration.objects.filter(person=tree.minh_khai).exists()
    response = officer_client.post(
        f"/phong-trao/{movement.pk}/dang-ky-tap-the/?don_vi={tree.ubnd.pk}", {"titles": ["TTLDXS"]}
    )
    assert response.status_code == 302 and Registration.objects.filter(person__isnull=True).count() == 1


def test_progress_report_page(officer_client, make_movement, tree):
    movement = make_movement()
    t1, t2 = movement.targets.all()
    url = f"/phong-trao/{movement.pk}/bao-cao/?don_vi={tree.ubnd.pk}"
    assert "Tỷ lệ đoàn viên đăng ký thi đua (%)" in officer_client.get(url).content.decode()
    response = officer_client.post(
        url, {"stage": "MIDYEAR", "narrative": "Tốt", f"target_{t1.pk}": "95", f"target_{t2.pk}": "4"}
    )
    assert response.status_code == 302 and ProgressReport.objects.get().figures.count() == 2
    page = officer_client.get(f"/phong-trao/{movement.pk}/?ky=MIDYEAR").content.decode()
    assert "1/1 đơn vị đã báo cáo" in page and "Tổng cộng" in page


def test_evaluation_grid_view(officer_client, tree):
    url = f"/phong-trao/danh-gia/?don_vi={tree.ubnd.pk}&nam=2024"
    page = officer_client.get(url).content.decode()
    # the CĐCS shows its groups first, and the rows of the members sitting at the CĐCS itself
    assert "Tổ công đoàn Phòng Nội vụ" in page and "Đặng Đức Thắng" in page and "Nguyễn Văn An" not in page
    assert "Nguyễn Văn An" in officer_client.get(f"{url}&q=nguyen van an").content.decode()
    data = {
        f"r{tree.an.pk}-rating": "HTXS",
        f"r{tree.an.pk}-months": "12",
        f"r{tree.hoa.pk}-rating": "HTT",
        f"r{tree.hoa.pk}-months": "13",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 200 and "số tháng công tác phải từ 0 đến 12" in response.content.decode()
    assert not Evaluation.objects.exists()
    data[f"r{tree.hoa.pk}-months"] = "12"
    assert officer_client.post(url, data).status_code == 302
    assert dict(Evaluation.objects.values_list("person_id", "rating")) == {
        tree.an.pk: "HTXS",
        tree.hoa.pk: "HTT",
    }
    page = officer_client.get(f"/phong-trao/danh-gia/?don_vi={tree.t1.pk}&nam=2024").content.decode()
    assert 'value="HTXS" title="Hoàn thành xuất sắc nhiệm vụ" selected' in page


@pytest.mark.parametrize(
    ("role", "unit_code", "expected"),
    [
        (Role.OFFICER, "HN", 200),  # ancestor
        (Role.OFFICER, "HN-HBT", 404),  # sibling branch
        (Role.LEADER, "HN", 403),  # role without the action
    ],
)
def test_write_pages_permissions(client, make_movement, make_user, tree, role, unit_code, expected):
    movement = make_movement()
    client.force_login(make_user(role, tree.units[unit_code]))
    for url in [
        f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={tree.ubnd.pk}",
        f"/phong-trao/{movement.pk}/dang-ky-tap-the/?don_vi={tree.ubnd.pk}",
        f"/phong-trao/danh-gia/?don_vi={tree.ubnd.pk}&nam=2024",
        f"/phong-trao/them/?don_vi={tree.md.pk}",
    ]:
        assert client.get(url).status_code == expected, url


def test_movement_outside_branch_is_404(client, make_movement, make_user, tree):
    movement = make_movement()
    client.force_login(make_user(Role.OFFICER, tree.nb))
    assert client.get(f"/phong-trao/{movement.pk}/").status_code == 404
    assert "Lao động giỏi, Lao động sáng tạo" not in client.get("/phong-trao/").content.decode()


def test_unit_page_shows_coverage_and_rolls_up(client, make_movement, make_user, officer, counted):
    tree = counted
    city = make_user(Role.OFFICER, tree.hn)
    movement = make_movement(organiser=tree.hn, user=city)
    services.registration_register_bulk(
        acting_user=officer, movement=movement, persons=[tree.an, tree.hoa], titles=["LDTT"]
    )
    client.force_login(city)
    page = client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()
    assert "Phong trào thi đua đang áp dụng" in page and "2/3" in page
    page = client.get(f"/don-vi/{tree.hn.pk}/").content.decode()
    assert "2/4" in page  # the city: 4 members (Mỹ Đức 3 + Minh Khai 1), 2 registered
    page = client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "2/4" in page


def test_detail_and_grid_query_counts_do_not_grow(client, make_movement, make_user, officer, tree):
    city = make_user(Role.OFFICER, tree.hn)
    movement = make_movement(organiser=tree.hn, user=city)
    client.force_login(city)
    urls = [
        f"/phong-trao/{movement.pk}/",
        f"/phong-trao/{movement.pk}/?don_vi={tree.md.pk}",
        f"/phong-trao/danh-gia/?don_vi={tree.ubnd.pk}&nam=2024",
        f"/don-vi/{tree.md.pk}/",
        f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={tree.ubnd.pk}",
    ]
    for url in urls:
        client.get(url)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx)
    for i in range(8):
        cdcs = add_unit(OrgUnit.objects.get(pk=tree.md.pk), f"HN-MD-N{i}", f"Công đoàn Trường số {i}", "CDCS")
        for j in range(3):
            add_person(cdcs, f"Vũ Thị Mới{i}x{j}")
    for j in range(10):
        add_person(OrgUnit.objects.get(pk=tree.t1.pk), f"Bùi Văn Thêm{j}")
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == counts[url], (url, len(ctx), counts[url])


def test_the_list_filters_through_its_filterset_and_ignores_bad_values(officer_client, tree):
    import datetime as dt

    def movement(name, year, status):
        return Movement.objects.create(
            organiser=tree.md, name=name, kind="YEARLY", year=year, status=status,
            start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
        )  # fmt: skip

    movement("Phong trào năm 2024", 2024, "CLOSED")
    movement("Phong trào năm 2025", 2025, "LAUNCHED")
    movement("Dự thảo năm 2025", 2025, "DRAFT")

    def names(query):
        page = officer_client.get(f"/phong-trao/?don_vi={tree.md.pk}&{query}").content.decode()
        return {n for n in ("Phong trào năm 2024", "Phong trào năm 2025", "Dự thảo năm 2025") if n in page}

    assert names("nam=2025") == {"Phong trào năm 2025", "Dự thảo năm 2025"}
    assert names("nam=2025&trang_thai=LAUNCHED") == {"Phong trào năm 2025"}
    everything = {"Phong trào năm 2024", "Phong trào năm 2025", "Dự thảo năm 2025"}
    assert names("nam=abc") == everything and names("trang_thai=KHONG_CO") == everything
    assert names("nam=1900&trang_thai=CLOSED") == {"Phong trào năm 2024"}  # only the bad filter is dropped


def test_the_grid_without_a_unit_opens_on_the_users_own_unit(officer_client, tree):
    response = officer_client.get("/phong-trao/danh-gia/")
    assert response.status_code == 302 and response["Location"].endswith(f"?don_vi={tree.md.pk}")
