"""The notifications inbox (`nominations/views_notifications.py`): the user's own rows, newest first,
paged, unread in bold; opening one marks it read and follows its link; marking one or all read; the
unread count on the bell of the top bar, in one query."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from nominations.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(make_user, tree):
    return make_user(Role.OFFICER, tree.md)


def note(user, text, url="", read=False, minutes_ago=0):
    n = Notification.objects.create(user=user, text=text, url=url)
    Notification.objects.filter(pk=n.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )
    return n


def test_list_shows_only_my_notifications_newest_first_unread_bold(client, me, make_user):
    other = make_user()
    note(me, "Hồ sơ cũ đã có quyết định", read=True, minutes_ago=30)
    note(me, "Hồ sơ mới bị trả lại", minutes_ago=1)
    note(other, "Thông báo của người khác")
    client.force_login(me)
    page = client.get("/de-nghi/thong-bao/").content.decode()
    assert "Thông báo của người khác" not in page
    assert page.index("Hồ sơ mới bị trả lại") < page.index("Hồ sơ cũ đã có quyết định")
    new_link = page[: page.index("Hồ sơ mới bị trả lại")].rsplit("<a ", 1)[1]
    old_link = page[: page.index("Hồ sơ cũ đã có quyết định")].rsplit("<a ", 1)[1]
    assert "fw-bold" in new_link and "fw-bold" not in old_link
    assert "Đánh dấu đã đọc" in page and "Đánh dấu tất cả đã đọc" in page


def test_list_is_paged(client, me, settings):
    settings.THIDUA_PAGE_SIZE = 5
    for i in range(7):
        note(me, f"Thông báo số {i}", minutes_ago=i)
    client.force_login(me)
    first = client.get("/de-nghi/thong-bao/").content.decode()
    second = client.get("/de-nghi/thong-bao/?trang=2").content.decode()
    assert "Thông báo số 0" in first and "Thông báo số 6" not in first
    assert "Thông báo số 6" in second and "Thông báo số 0" not in second


def test_opening_marks_read_and_follows_the_link(client, me, tree):
    n = note(me, "Hồ sơ chờ bạn xét", url=f"/don-vi/{tree.md.pk}/")
    client.force_login(me)
    response = client.get(f"/de-nghi/thong-bao/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/don-vi/{tree.md.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_an_outside_link_stays_on_the_list(client, me):
    n = note(me, "Liên kết lạ", url="https://example.com/")
    client.force_login(me)
    assert client.get(f"/de-nghi/thong-bao/{n.pk}/")["Location"] == "/de-nghi/thong-bao/"


def test_someone_elses_notification_is_404_and_stays_unread(client, me, make_user):
    theirs = note(make_user(), "Của người khác", url="/")
    client.force_login(me)
    assert client.get(f"/de-nghi/thong-bao/{theirs.pk}/").status_code == 404
    assert client.post("/de-nghi/thong-bao/da-doc/", {"id": theirs.pk}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_then_all_read(client, me, make_user):
    a, b, c = note(me, "A"), note(me, "B"), note(me, "C")
    theirs = note(make_user(), "D")
    client.force_login(me)
    client.post("/de-nghi/thong-bao/da-doc/", {"id": a.pk})
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {
        b.pk,
        c.pk,
        theirs.pk,
    }
    response = client.post("/de-nghi/thong-bao/da-doc/", follow=True)
    assert "Đã đánh dấu đã đọc 2 thông báo." in response.content.decode()
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == [theirs.pk]
    # a bad id marks nothing
    note(me, "E")
    client.post("/de-nghi/thong-bao/da-doc/", {"id": "abc"})
    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 1


def test_bell_shows_the_unread_count_in_one_query(client, me):
    for i in range(3):
        note(me, f"Chưa đọc {i}")
    note(me, "Đã đọc", read=True)
    client.force_login(me)
    page = client.get("/huong-dan/").content.decode()
    bell = page[page.index("notif-bell") :]
    bell = bell[: bell.index("</a>")]
    assert 'href="/de-nghi/thong-bao/"' in page
    assert "Thông báo: 3 chưa đọc" in bell and ">3</span>" in bell
    with CaptureQueriesContext(connection) as queries:
        client.get("/huong-dan/")
    notif_queries = [q for q in queries.captured_queries if "nominations_notification" in q["sql"]]
    assert len(notif_queries) == 1
    Notification.objects.filter(user=me).update(read_at=timezone.now())
    bell = client.get("/huong-dan/").content.decode()
    bell = bell[bell.index("notif-bell") :]
    assert "notif-count" not in bell[: bell.index("</a>")]
