"""Issue 13: a 10-day public posting is not silently ended on day 1. Before its end date it ends only with a
written reason (kept in the audit event); the screen shows the days left and the comments still to moderate;
the public page then says when it really ended instead of "đến <end date>"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services
from nominations.choices import DossierState

from .test_workflow import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(tree, people, bk_city):
    dossier = make_dossier(people, tree, bk_city, [tree.an])
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    today = timezone.localdate()
    return services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )


def _url(posting) -> str:
    return f"/de-nghi/{posting.dossier.pk}/ket-thuc-cong-khai/"


def test_ending_early_without_a_reason_is_refused_and_names_the_end_date(posting, people):
    with pytest.raises(ServiceError) as refused:
        services.posting_close(acting_user=people["city"], dossier=posting.dossier, early_reason="  ")
    end = posting.ends_on.strftime("%d/%m/%Y")
    assert f"đến hết ngày {end} chưa kết thúc (còn 10 ngày)" in refused.value.message
    assert "ghi rõ lý do" in refused.value.message
    posting.dossier.refresh_from_db()
    posting.refresh_from_db()
    assert posting.dossier.state == DossierState.POSTED and posting.closed_at is None


def test_ending_early_with_a_reason_is_audited(posting, people):
    services.posting_close(
        acting_user=people["city"], dossier=posting.dossier, early_reason="Các đơn vị đã góp ý đủ"
    )
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.IN_COUNCIL
    event = AuditEvent.objects.filter(action="dossier.post_close").latest("pk")
    assert "kết thúc sớm, trước hạn" in event.summary and "Các đơn vị đã góp ý đủ" in event.summary
    assert event.changes == {"early_reason": [None, "Các đơn vị đã góp ý đủ"]}


def test_after_the_end_date_no_reason_is_needed(posting, people):
    services.posting_close(
        acting_user=people["city"],
        dossier=posting.dossier,
        early_reason="",
        today=posting.ends_on + dt.timedelta(days=1),
    )
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.IN_COUNCIL
    assert "kết thúc sớm" not in AuditEvent.objects.filter(action="dossier.post_close").latest("pk").summary


def test_no_path_closes_early_without_a_reason(client, posting, people):
    """The dossier page links the confirmation screen; the service itself refuses an early end without a
    reason, and the generic action form no longer closes a posting at all."""
    with pytest.raises(ServiceError, match="Muốn kết thúc sớm, ghi rõ lý do"):
        services.posting_close(acting_user=people["city"], dossier=posting.dossier)
    client.force_login(people["city"])
    page = client.get(posting.dossier.get_absolute_url()).content.decode()
    assert reverse("nominations:posting_close", args=[posting.dossier.pk]) in page
    client.post(reverse("nominations:action", args=[posting.dossier.pk]), {"action": "close_posting"})
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.POSTED


def test_close_screen_shows_days_left_and_asks_for_the_reason(client, posting, people):
    services.comment_add(posting=posting, author_name="Người dân", contact="", text="Đồng ý")
    client.force_login(people["city"])
    html = client.get(_url(posting)).content.decode()
    assert 'data-testid="early"' in html and "còn 10 ngày" in html
    assert 'name="early_reason"' in html and 'data-testid="pending-comments"' in html
    response = client.post(_url(posting), {"early_reason": ""})
    assert response.status_code == 200 and "ghi rõ lý do" in response.content.decode()
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.POSTED
    response = client.post(_url(posting), {"early_reason": "Hết thời hạn trình Hội đồng của Thành phố"})
    assert response.status_code == 302 and response["Location"] == posting.dossier.get_absolute_url()
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.IN_COUNCIL
    # the public page no longer says "đến <end date>" as if it were still running
    public = client.get(posting.get_absolute_url())
    text = public.content.decode()
    assert public.status_code == 410
    assert f"kết thúc sớm, dự kiến đến {posting.ends_on:%d/%m/%Y}" in text
    assert f"(ngày {timezone.localdate():%d/%m/%Y})" in text


def test_close_screen_is_for_the_authority_only(client, posting, people):
    client.force_login(people["district"])  # sees the dossier, may not end the posting at the city
    response = client.get(_url(posting))
    assert response.status_code in (302, 404)
    posting.dossier.refresh_from_db()
    assert posting.dossier.state == DossierState.POSTED
