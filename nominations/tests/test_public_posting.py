"""Issue 12, finding 9: the public comment form is rate limited (per address and per posting, 429 with a
Vietnamese message), has a honeypot, is reached by an unguessable token (the old id URL is 404) and
closes after its period (410, no form; a late POST stores nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from core.exceptions import ServiceError
from nominations import services
from nominations.models import PublicComment, PublicPosting

from .test_workflow import make_dossier

pytestmark = pytest.mark.django_db

RATE_MESSAGE = "Bạn gửi ý kiến quá nhanh, vui lòng thử lại sau ít phút."


@pytest.fixture
def posting(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    today = timezone.localdate()
    return services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=5)
    )


def _comment(client, posting, n=0, ip="203.0.113.7", **extra):
    data = {"author_name": f"Người góp ý {n}", "text": f"Ý kiến số {n}", "contact": "", **extra}
    return client.post(posting.get_absolute_url(), data, REMOTE_ADDR=ip)


def test_the_page_is_reached_by_an_unguessable_token_and_the_id_url_is_404(client, posting):
    assert len(posting.token) >= 20 and posting.token != str(posting.pk)
    url = posting.get_absolute_url()
    assert url == f"/de-nghi/cong-khai/{posting.token}/" and str(posting.pk) not in url.split("/")
    assert client.get(url).status_code == 200
    assert client.get(f"/de-nghi/cong-khai/{posting.pk}/").status_code == 404
    assert _comment(client, posting).status_code == 200
    assert (
        client.post(f"/de-nghi/cong-khai/{posting.pk}/", {"author_name": "A", "text": "B"}).status_code == 404
    )
    other = PublicPosting.objects.exclude(pk=posting.pk).values_list("token", flat=True)
    assert posting.token not in other


def test_the_officer_screen_links_to_the_token_url(client, posting, people):
    client.force_login(people["city"])
    page = client.get(posting.dossier.get_absolute_url()).content.decode()
    assert f'href="/de-nghi/cong-khai/{posting.token}/"' in page
    assert f'href="/de-nghi/cong-khai/{posting.pk}/"' not in page


@override_settings(PUBLIC_COMMENT_RATE_PER_IP=(3, 600), PUBLIC_COMMENT_RATE_PER_POSTING=(100, 3600))
def test_rate_limit_per_address(client, posting):
    for n in range(3):
        response = _comment(client, posting, n)
        assert response.status_code == 200 and "Cảm ơn bạn" in response.content.decode()
    response = _comment(client, posting, 3)
    assert response.status_code == 429 and RATE_MESSAGE in response.content.decode()
    assert PublicComment.objects.count() == 3
    # another address is not held back
    assert _comment(client, posting, 4, ip="198.51.100.9").status_code == 200
    assert PublicComment.objects.count() == 4


@override_settings(PUBLIC_COMMENT_RATE_PER_IP=(100, 600), PUBLIC_COMMENT_RATE_PER_POSTING=(5, 3600))
def test_rate_limit_per_posting_whatever_the_address(client, posting):
    statuses = [_comment(client, posting, n, ip=f"198.51.100.{n}").status_code for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert PublicComment.objects.count() == 5


def test_eighty_posts_in_a_burst_store_only_the_default_allowance(client, posting):
    """The hostile test's flood (80 posts from one address) with the default settings."""
    statuses = [_comment(client, posting, n).status_code for n in range(80)]
    allowed = settings.PUBLIC_COMMENT_RATE_PER_IP[0]
    assert statuses.count(200) == allowed and statuses.count(429) == 80 - allowed
    assert PublicComment.objects.count() == allowed


@override_settings(THIDUA_PROXY_COUNT=1, PUBLIC_COMMENT_RATE_PER_IP=(1, 600))
def test_behind_a_proxy_the_address_it_appended_counts(client, posting):
    url = posting.get_absolute_url()
    data = {"author_name": "A", "text": "B"}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.1").status_code == 200
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="2.2.2.2, 10.0.0.1").status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 200


def test_a_filled_honeypot_is_dropped_silently(client, posting):
    page = client.get(posting.get_absolute_url()).content.decode()
    assert 'name="website"' in page and 'class="visually-hidden" aria-hidden="true"' in page
    response = _comment(client, posting, 1, website="http://spam.example")
    assert response.status_code == 200 and "Cảm ơn bạn" in response.content.decode()
    assert PublicComment.objects.count() == 0
    _comment(client, posting, 2, website="")
    assert PublicComment.objects.count() == 1


def test_after_the_period_the_page_is_gone_with_no_form_and_posts_are_refused(client, posting, people):
    comment = services.comment_add(
        posting=posting, author_name="Một đoàn viên", contact="", text="Đồng tình."
    )
    services.comment_moderate(acting_user=people["city"], comment=comment, publish=True)
    posting.starts_on = timezone.localdate() - dt.timedelta(days=12)
    posting.ends_on = timezone.localdate() - dt.timedelta(days=1)
    posting.save()
    response = client.get(posting.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert "Thời gian lấy ý kiến đã kết thúc" in page and 'name="author_name"' not in page
    assert "Nguyễn Văn An" in page and "Đồng tình." in page  # the list and published comments stay
    response = _comment(client, posting, 9)
    assert response.status_code == 410 and 'name="author_name"' not in response.content.decode()
    assert PublicComment.objects.count() == 1
    with pytest.raises(ServiceError, match="Thời gian lấy ý kiến đã kết thúc"):
        services.comment_add(posting=posting, author_name="X", contact="", text="Y")


def test_a_closed_posting_is_over_too(client, posting, people):
    services.posting_close(
        acting_user=people["city"], dossier=posting.dossier, early_reason="Đã đủ ý kiến góp ý"
    )
    posting.refresh_from_db()
    response = client.get(posting.get_absolute_url())
    assert response.status_code == 410 and 'name="author_name"' not in response.content.decode()
