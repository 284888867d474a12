"""Issue 12 finding 11: the evaluation grid of a big CĐCS (430 MB of HTML for 200,000 members) — chosen
by union group, paged within a group, saved one page at a time, with a query count that does not grow."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_unit
from members.tests.test_picker import bulk_people
from movements import services
from movements.models import Evaluation, Registration
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db

GRID = "/phong-trao/danh-gia/"


def rows_in(page: str) -> list[int]:
    return [int(pid) for pid in re.findall(r'name="r(\d+)-rating"', page)]


def test_the_cdcs_shows_its_groups_with_members_and_rated(officer_client, officer, tree):
    services.evaluation_save_grid(
        acting_user=officer,
        unit=tree.ubnd,
        year=2024,
        rows=[{"person_id": tree.an.pk, "rating": "HTT", "months_worked": 12}],
    )
    bulk_people(tree.t2, [f"Hồ Văn Tư{i}" for i in range(4)])
    response = officer_client.get(GRID, {"don_vi": tree.ubnd.pk, "nam": 2024})
    groups = {g["unit"].code: (g["members"], g["rated"]) for g in response.context["groups"]}
    assert groups == {"HN-MD-UBND-T01": (1, 1), "HN-MD-UBND-T02": (5, 0)}
    page = response.content.decode()
    assert f'href="?don_vi={tree.t1.pk}&amp;nam=2024"' in page and "1/1" in page and "0/5" in page
    # the rows are those of the members sitting at the CĐCS itself; the groups' members are one click away
    assert rows_in(page) == [tree.chu_tich.pk]
    opened = officer_client.get(GRID, {"don_vi": tree.t2.pk, "nam": 2024}).content.decode()
    assert len(rows_in(opened)) == 5 and tree.hoa.pk in rows_in(opened)


def test_a_big_group_is_paged_and_its_html_bounded(officer_client, tree):
    group = OrgUnit.objects.get(pk=tree.t1.pk)
    bulk_people(group, [f"Phan Văn Số{i:03d}" for i in range(600)])
    response = officer_client.get(GRID, {"don_vi": group.pk, "nam": 2024})
    page = response.content.decode()
    assert len(rows_in(page)) == settings.THIDUA_PAGE_SIZE < 601
    assert len(response.content) < 150_000, len(response.content)
    last = officer_client.get(GRID, {"don_vi": group.pk, "nam": 2024, "trang": 99}).content.decode()
    assert len(rows_in(last)) == 601 % settings.THIDUA_PAGE_SIZE  # 601 members (An + 600)
    # the search box finds one of them by name (accent-insensitive) or by card number
    found = officer_client.get(GRID, {"don_vi": tree.ubnd.pk, "nam": 2024, "q": "phan van so599"})
    assert len(rows_in(found.content.decode())) == 1
    found = officer_client.get(GRID, {"don_vi": tree.ubnd.pk, "nam": 2024, "q": "X000007"})
    assert "Phan Văn Số007" in found.content.decode()


def test_query_count_does_not_grow_with_the_unit(client, make_user, tree, django_assert_max_num_queries):
    client.force_login(make_user(Role.OFFICER, tree.md))
    urls = [
        (GRID, {"don_vi": tree.ubnd.pk, "nam": 2024}),
        (GRID, {"don_vi": tree.t1.pk, "nam": 2024}),
        (GRID, {"don_vi": tree.ubnd.pk, "nam": 2024, "q": "van"}),
    ]
    for url, query in urls:
        client.get(url, query)
    few = {}
    for url, query in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, query).status_code == 200
        few[str(query)] = len(ctx)
    bulk_people(OrgUnit.objects.get(pk=tree.t1.pk), [f"Phan Văn Số{i:03d}" for i in range(600)])
    bulk_people(
        OrgUnit.objects.get(pk=tree.ubnd.pk), [f"Lý Thị Hai{i:03d}" for i in range(120)], card_prefix="Y"
    )
    for url, query in urls:
        with django_assert_max_num_queries(few[str(query)]):
            assert client.get(url, query).status_code == 200


def test_saving_a_page_saves_its_rows_only_and_errors_name_the_row(officer_client, tree):
    group = OrgUnit.objects.get(pk=tree.t1.pk)
    bulk_people(group, [f"Phan Văn Số{i:03d}" for i in range(80)])
    url = f"{GRID}?don_vi={group.pk}&nam=2024&trang=2"
    second = rows_in(officer_client.get(url).content.decode())
    first = rows_in(officer_client.get(f"{GRID}?don_vi={group.pk}&nam=2024").content.decode())
    assert len(second) == 81 - settings.THIDUA_PAGE_SIZE and not set(first) & set(second)
    data = {f"r{pid}-rating": "HTT" for pid in second}
    data[f"r{second[2]}-months"] = "13"
    response = officer_client.post(url, data)
    page = response.content.decode()
    number = settings.THIDUA_PAGE_SIZE + 3
    assert re.search(rf"dòng {number} \(Phan Văn Số\d+\): số tháng công tác phải từ 0 đến 12", page)
    assert page.count('class="table-danger"') == 1 and not Evaluation.objects.exists()  # all or nothing
    del data[f"r{second[2]}-months"]
    response = officer_client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("trang=2")
    assert set(Evaluation.objects.values_list("person_id", flat=True)) == set(second)


def test_a_post_larger_than_a_page_is_refused(officer_client, tree):
    group = OrgUnit.objects.get(pk=tree.t1.pk)
    people = bulk_people(group, [f"Phan Văn Số{i:03d}" for i in range(settings.THIDUA_PAGE_SIZE + 1)])
    data = {f"r{p.pk}-rating": "HTT" for p in people}
    page = officer_client.post(f"{GRID}?don_vi={group.pk}&nam=2024", data).content.decode()
    assert "Mỗi lần chỉ lưu được một trang" in page and not Evaluation.objects.exists()


def test_registering_on_behalf_is_paged_and_searchable(officer_client, make_movement, tree):
    """The bulk registration page listed every member of the organiser's subtree (a province: all of
    them); it pages too, and registers the people ticked on the page, checked against the same scope."""
    movement = make_movement()
    bulk_people(OrgUnit.objects.get(pk=tree.t1.pk), [f"Phan Văn Số{i:03d}" for i in range(600)])
    url = f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={tree.ubnd.pk}"
    response = officer_client.get(url)
    ticks = re.findall(r'name="persons" value="(\d+)"', response.content.decode())
    assert len(ticks) == settings.THIDUA_PAGE_SIZE and len(response.content) < 100_000
    found = officer_client.get(url, {"q": "phan van so123"}).content.decode()
    assert re.findall(r'name="persons" value="(\d+)"', found) and "Phan Văn Số123" in found
    second = re.findall(
        r'name="persons" value="(\d+)"', officer_client.get(f"{url}&trang=2").content.decode()
    )
    response = officer_client.post(
        f"{url}&trang=2", {"titles": ["LDTT"], "persons": [*second[:3], tree.minh_khai.pk]}
    )
    assert response.status_code == 302 and response.url.endswith("trang=2")
    assert set(Registration.objects.values_list("person_id", flat=True)) == {int(p) for p in second[:3]}


def test_a_cdcs_with_many_groups_pages_the_groups(officer_client, tree):
    for i in range(settings.THIDUA_PAGE_SIZE + 5):
        add_unit(
            OrgUnit.objects.get(pk=tree.ubnd.pk), f"HN-MD-UBND-G{i:03d}", f"Tổ công đoàn số {i:03d}", "TO_CD"
        )
    first = officer_client.get(GRID, {"don_vi": tree.ubnd.pk, "nam": 2024})
    assert len(first.context["groups"]) == settings.THIDUA_PAGE_SIZE
    second = officer_client.get(GRID, {"don_vi": tree.ubnd.pk, "nam": 2024, "trang_to": 2})
    assert len(second.context["groups"]) == 7  # 55 new + the 2 of the fixture
    assert "trang_to=1" in second.content.decode()
