import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from initiatives import services
from initiatives.choices import Status
from initiatives.models import Initiative

from .conftest import UBND_TEXT

SCORES = {"novelty": 8, "applicability": 9, "effectiveness": 7}


def _form(tree, **over):
    data = {
        "title": "Lắp cảm biến tắt đèn tự động tiết kiệm điện",
        "unit": tree.ubnd.pk,
        "year": 2024,
        "field": "KY_THUAT",
        "applied_since": "2024-02-01",
        "benefit_vnd": "15000000",
        "description": "Cảm biến chuyển động ở hành lang.",
        "tg-TOTAL_FORMS": "4",
        "tg-INITIAL_FORMS": "0",
        "tg-MIN_NUM_FORMS": "4",
        "tg-MAX_NUM_FORMS": "10",
        "tg-0-person": "Nguyễn Văn An · 0100000001",
        "tg-0-share": "70",
        "tg-1-person": "Trần Thị Hoa",
        "tg-1-share": "30",
    }
    data.update(over)
    return data


def test_list_filters_counts_and_query_budget(officer_client, make_initiative, tree):
    make_initiative(submit=True)
    make_initiative("Bản nháp", "x")
    url = reverse("initiatives:list")
    response = officer_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert UBND_TEXT[0] in html and "Bản nháp" in html
    assert 'data-testid="count-SUBMITTED">1<' in html and 'data-testid="count-all">2<' in html
    response = officer_client.get(url, {"trang_thai": "DRAFT", "nam": "2024", "don_vi": tree.md.pk})
    assert "Bản nháp" in response.content.decode() and UBND_TEXT[0] not in response.content.decode()

    with CaptureQueriesContext(connection) as small:
        officer_client.get(url)
    for i in range(12):
        make_initiative(f"Sáng kiến số {i}", "Mô tả", authors=[(tree.an, 50), (tree.hoa, 50)])
    with CaptureQueriesContext(connection) as large:
        assert officer_client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_detail_shows_authors_reviews_decision_and_timeline(client, make_initiative, tree, council):
    initiative = make_initiative(submit=True)
    services.initiative_review(acting_user=council, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    services.initiative_decide(
        acting_user=council,
        initiative=initiative,
        recognize=True,
        level="CO_SO",
        recognized_on=dt.date(2024, 12, 20),
        decision_ref="15/QĐ-LĐLĐ",
    )
    client.force_login(council)
    html = client.get(reverse("initiatives:detail", args=[initiative.pk])).content.decode()
    for text in ("Nguyễn Văn An", "60%", "Trần Thị Hoa", "24/30", "15/QĐ-LĐLĐ", "Cấp cơ sở", "20/12/2024"):
        assert text in html
    assert html.count("list-group-item") >= 4  # create, submit, review, decide


def test_out_of_scope_gets_404_and_missing_action_gets_403(client, make_initiative, tree, make_user):
    initiative = make_initiative(submit=True)
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    assert client.get(reverse("initiatives:detail", args=[initiative.pk])).status_code == 404
    assert client.get(reverse("initiatives:review", args=[initiative.pk])).status_code == 404
    assert client.get(reverse("initiatives:list")).status_code == 200
    client.force_login(make_user(Role.LEADER, tree.md))
    assert client.get(reverse("initiatives:detail", args=[initiative.pk])).status_code == 200
    assert client.get(reverse("initiatives:review", args=[initiative.pk])).status_code == 403
    assert client.post(reverse("initiatives:decide", args=[initiative.pk]), {}).status_code == 403
    assert client.get(reverse("initiatives:create")).status_code == 403  # a leader without a person record
    client.force_login(make_user())  # no role at all
    assert client.get(reverse("initiatives:list")).status_code == 403


def test_create_with_authors_then_submit(officer_client, tree):
    response = officer_client.get(reverse("initiatives:create"), {"don_vi": tree.md.pk})
    assert response.status_code == 200
    assert "Nguyễn Văn An · 0100000001" in response.content.decode()  # the author suggestions
    response = officer_client.post(reverse("initiatives:create"), _form(tree))
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response.url == reverse("initiatives:detail", args=[initiative.pk])
    assert [(a.person, int(a.share_percent)) for a in initiative.authors.all()] == [
        (tree.an, 70),
        (tree.hoa, 30),
    ]
    assert initiative.benefit_vnd == 15_000_000
    officer_client.post(reverse("initiatives:submit", args=[initiative.pk]))
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_create_shares_error_is_shown(officer_client, tree):
    response = officer_client.post(reverse("initiatives:create"), _form(tree, **{"tg-1-share": "20"}))
    assert response.status_code == 200
    assert "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 90%)" in response.content.decode()
    assert not Initiative.objects.exists()


def test_create_near_duplicate_warns_until_confirmed(officer_client, make_initiative, tree):
    original = make_initiative(submit=True)
    data = _form(tree, title="Quản lý hồ sơ một cửa điện tử bằng phần mềm", description="")
    response = officer_client.post(reverse("initiatives:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in html and original.title in html
    assert Initiative.objects.count() == 1
    response = officer_client.post(reverse("initiatives:create"), {**data, "xac_nhan_khac": "1"})
    assert response.status_code == 302 and Initiative.objects.count() == 2
    # the htmx partial while typing
    partial = officer_client.post(
        reverse("initiatives:similar"), {"title": "quan ly ho so mot cua", "unit": tree.ubnd.pk}
    )
    assert original.title in partial.content.decode()


def test_member_registers_own_initiative(client, member, tree):
    client.force_login(member)
    response = client.get(reverse("initiatives:create"))
    assert response.status_code == 200 and "Tác giả: Nguyễn Văn An (100%)" in response.content.decode()
    data = {k: v for k, v in _form(tree).items() if not k.startswith("tg-")}
    response = client.post(reverse("initiatives:create"), data)
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert [(a.person, int(a.share_percent)) for a in initiative.authors.all()] == [(tree.an, 100)]
    assert client.get(reverse("initiatives:detail", args=[initiative.pk])).status_code == 200
    # a unit outside the member's own CĐCS is not a valid choice
    response = client.post(reverse("initiatives:create"), {**data, "unit": tree.md.pk})
    assert response.status_code == 200 and Initiative.objects.count() == 1


def test_review_and_decide_views(client, make_initiative, council, tree):
    initiative = make_initiative(submit=True)
    client.force_login(council)
    url = reverse("initiatives:review", args=[initiative.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**SCORES, "verdict": "ACCEPT", "comment": "Tốt"})
    assert response.status_code == 302
    response = client.post(url, {**SCORES, "verdict": "ACCEPT"})
    assert "Bạn đã chấm sáng kiến này" in response.content.decode()
    url = reverse("initiatives:decide", args=[initiative.pk])
    page = client.get(url).content.decode()
    assert "Cấp cơ sở" in page and "Cấp tỉnh" not in page  # a district council confers cơ sở only
    response = client.post(
        url,
        {"outcome": "recognize", "level": "CO_SO", "recognized_on": "2024-12-20", "decision_ref": "15/QĐ"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.RECOGNIZED
    assert (
        AuditEvent.objects.filter(object_id=str(initiative.pk), action__startswith="initiative.").count() == 4
    )


@pytest.mark.parametrize("name", ["list", "create"])
def test_pages_render_for_superuser(client, make_user, tree, name):
    client.force_login(make_user(is_superuser=True))
    assert client.get(reverse(f"initiatives:{name}")).status_code == 200
