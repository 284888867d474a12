"""The home page is the user's work (`organizations.tasks_panel`, filled by nominations/home.py,
members/home.py, movements/home.py): each role sees what waits for them, with counts and links, in a
bounded number of queries; an empty state when nothing waits."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from imports.models import ImportBatch
from movements import services as movement_services
from nominations import services
from nominations.models import NominationDeadline
from nominations.tests.test_workflow import make_dossier
from organizations.tasks_panel import home_tasks, registered_home_tasks

pytestmark = pytest.mark.django_db


def _titles(user):
    return {c.title: c for c in home_tasks(user=user)}


def test_every_app_registers_its_cards_through_the_one_registry():
    keys = [t.key for t in registered_home_tasks()]
    assert {"nominations", "movements", "imports"} <= set(keys) and len(keys) == len(set(keys))
    assert "members" not in keys  # the roster's uploads are the import framework's card


def test_reviewer_sees_the_dossier_waiting_and_the_preparer_the_returned_one(client, tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    assert "Hồ sơ đang soạn hoặc bị trả lại cần hoàn thiện" in _titles(people["cdcs"])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)

    client.force_login(people["district"])
    page = client.get("/").content.decode()
    assert "Hồ sơ khen thưởng chờ bạn xét duyệt" in page
    assert f'href="/de-nghi/{dossier.pk}/"' in page and 'href="/de-nghi/"' in page
    # a sibling branch's officer is not asked; the CĐCS has nothing left to fix
    assert "Hồ sơ khen thưởng chờ bạn xét duyệt" not in _titles(people["outsider"])
    assert "Hồ sơ đang soạn hoặc bị trả lại cần hoàn thiện" not in _titles(people["cdcs"])

    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_return(acting_user=people["city"], dossier=dossier, reason="Bổ sung số liệu")
    card = _titles(people["cdcs"])["Hồ sơ đang soạn hoặc bị trả lại cần hoàn thiện"]
    assert card.count == 1 and card.items[0][1] == f"/de-nghi/{dossier.pk}/"


def test_council_member_sees_the_vote_until_every_nominee_has_their_ballot(tree, people, bk_city):
    bk_city.requires_public_posting = False
    bk_city.save()
    dossier = make_dossier(people, tree, bk_city, [tree.an, tree.hoa])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    session = services.council_session_open(
        acting_user=people["city"],
        unit=tree.hn,
        title="Phiên họp",
        held_on=timezone.localdate(),
        dossiers=[dossier],
    )
    member = people["council"][0]
    card = _titles(member)["Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu"]
    assert card.count == 1 and card.url == f"/de-nghi/hoi-dong/{session.pk}/"
    assert "đã bỏ 0/2 phiếu" in card.items[0][0]
    an_item = dossier.items.get(person=tree.an)
    services.ballot_cast(acting_user=member, session=session, item=an_item, choice="YES")
    assert "đã bỏ 1/2 phiếu" in _titles(member)["Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu"].items[0][0]
    services.ballot_cast(
        acting_user=member, session=session, item=dossier.items.get(person=tree.hoa), choice="NO"
    )
    assert "Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu" not in _titles(member)
    # a reviewer who holds no seat is not asked to vote
    assert "Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu" not in _titles(people["city"])


def test_comments_to_moderate_go_to_the_officer_of_the_authority(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    today = timezone.localdate()
    posting = services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )
    services.comment_add(posting=posting, author_name="Một đoàn viên", contact="", text="Đồng tình.")
    services.comment_add(posting=posting, author_name="Người khác", contact="", text="Ý kiến thứ hai.")
    card = _titles(people["city"])["Ý kiến góp ý công khai chờ duyệt"]
    assert card.count == 2 and card.url == f"/de-nghi/{dossier.pk}/"
    assert "Ý kiến góp ý công khai chờ duyệt" not in _titles(people["district"])
    assert "Ý kiến góp ý công khai chờ duyệt" not in _titles(people["outsider"])


def test_deadlines_of_the_next_30_days_and_overdue_dossiers(tree, people, bk_city):
    today = timezone.localdate()
    NominationDeadline.objects.create(
        organiser=tree.hn, year=2025, kind="YEARLY", due_on=today + dt.timedelta(days=10)
    )
    NominationDeadline.objects.create(
        organiser=tree.hn, year=2025, kind="THEMATIC", due_on=today + dt.timedelta(days=45)
    )
    card = _titles(people["cdcs"])["Hạn nộp hồ sơ khen thưởng trong 30 ngày tới"]
    assert card.count == 1 and card.url == "/de-nghi/"
    assert "Liên đoàn Lao động thành phố Hà Nội" in card.items[0][0]
    # the CĐCS cannot open the city's calendar: its line goes to the dossiers; the city's officer's to it
    assert card.items[0][1] == "/de-nghi/"
    city_card = _titles(people["city"])["Hạn nộp hồ sơ khen thưởng trong 30 ngày tới"]
    assert city_card.items[0][1] == f"/de-nghi/han-nop/?don_vi={tree.hn.pk}"
    # another branch's deadline is not theirs
    NominationDeadline.objects.create(
        organiser=tree.nb, year=2025, kind="YEARLY", due_on=today + dt.timedelta(days=5)
    )
    assert _titles(people["cdcs"])["Hạn nộp hồ sơ khen thưởng trong 30 ngày tới"].count == 1
    # a dossier still in preparation after its deadline is overdue
    NominationDeadline.objects.filter(organiser=tree.hn, kind="YEARLY").update(
        due_on=today - dt.timedelta(days=1)
    )
    make_dossier(people, tree, bk_city, [tree.an])
    card = _titles(people["cdcs"])["Hồ sơ đã quá hạn nộp"]
    assert card.count == 1 and card.tone == "danger"


def test_the_users_uploads_waiting_for_them(tree, people):
    checked = ImportBatch.objects.create(
        kind="doan-vien",
        unit=tree.ubnd,
        created_by=people["district"],
        original_name="ds.xlsx",
        status="CHECKED",
    )
    ImportBatch.objects.create(
        kind="doan-vien",
        unit=tree.ubnd,
        created_by=people["district"],
        original_name="cu.xlsx",
        status="DONE",
    )
    ImportBatch.objects.create(  # another officer's upload: on their home page, not this one
        kind="doan-vien",
        unit=tree.ubnd,
        created_by=people["cdcs"],
        original_name="khac.xlsx",
        status="CHECKED",
    )
    card = _titles(people["district"])["Tệp nhập đang chờ bạn"]
    assert card.count == 1 and card.url == f"/nhap-du-lieu/lan/{checked.pk}/"
    assert "ds.xlsx — Danh sách đoàn viên" in card.items[0][0]


def test_member_sees_the_launched_movements_open_to_them_until_registered(client, tree, make_user):
    city = make_user(Role.OFFICER, tree.hn)
    member = make_user(Role.MEMBER, tree.t1, include_subtree=False, person=tree.an)
    movement = movement_services.movement_create(
        acting_user=city,
        organiser=tree.hn,
        name="Thi đua lao động giỏi 2026",
        kind="YEARLY",
        year=2026,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        targets=[{"name": "Tỷ lệ đăng ký", "unit_of_measure": "%", "target_value": 100}],
    )
    assert "Phong trào thi đua đang mở đăng ký cho bạn" not in _titles(member)  # not launched yet
    movement_services.movement_launch(acting_user=city, movement=movement)
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Phong trào thi đua đang mở đăng ký cho bạn" in page
    assert f'href="/phong-trao/{movement.pk}/dang-ky/"' in page
    movement_services.registration_register_bulk(
        acting_user=city, movement=movement, persons=[tree.an], titles=["LDTT"]
    )
    page = client.get("/").content.decode()
    assert "Phong trào thi đua đang mở đăng ký cho bạn" not in page
    assert "Không có việc nào đang chờ bạn" in page


def test_empty_state_when_nothing_waits(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.yk))
    page = client.get("/").content.decode()
    assert "Không có việc nào đang chờ bạn" in page and 'href="/huong-dan/"' in page


def test_home_queries_stay_bounded_for_a_user_with_many_items(
    client, tree, people, bk_city, django_assert_max_num_queries
):
    """A city officer who is also seated on the council, with many dossiers, comments, imports and
    deadlines: the page's query count does not grow with the items."""
    from nominations.models import CouncilMember

    bk_city.requires_public_posting = False
    bk_city.save()
    officer = people["city"]
    CouncilMember.objects.create(unit=tree.hn, user=officer, valid_from=dt.date(2024, 1, 1))

    def load(n):
        dossiers = []
        for _ in range(n):
            d = make_dossier(people, tree, bk_city, [tree.an])
            services.dossier_submit(acting_user=people["cdcs"], dossier=d)
            services.step_forward(acting_user=people["district"], dossier=d)
            dossiers.append(d)
        for d in dossiers[: n // 2]:
            services.step_accept(acting_user=officer, dossier=d)
        services.council_session_open(
            acting_user=officer,
            unit=tree.hn,
            title="Phiên",
            held_on=timezone.localdate(),
            dossiers=dossiers[: n // 2],
        )
        for i in range(n):
            ImportBatch.objects.create(
                kind="doan-vien",
                unit=tree.ubnd,
                created_by=officer,
                original_name=f"{i}.xlsx",
                status="CHECKED",
            )

    load(2)
    client.force_login(officer)
    client.get("/")  # the session and the request's caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    load(8)
    # 21 today, for 2 or for 10 of each (the next-step cards — sessions to open, direct approvals,
    # decisions to sign — and the member's award card came with the light path and "Trang của tôi")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert len(few.captured_queries) <= 24
    page = response.content.decode()
    assert "Hồ sơ khen thưởng chờ bạn xét duyệt" in page
    assert "Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu" in page
    assert "Tệp nhập đang chờ bạn" in page
