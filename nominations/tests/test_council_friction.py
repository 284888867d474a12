"""Issue 13, the council session screen: closing with missing votes asks for confirmation and shows the
turnout; after closing the next step (the decision, on the dossier page) is linked; a member who voted on
every nominee sees no "Gửi phiếu"; the header links the council's members page; the minutes name no rule ID
or rule-set code."""

from __future__ import annotations

import re

import pytest

from nominations import services
from nominations.choices import DossierState, SessionState

from .test_workflow import _council_ready

pytestmark = pytest.mark.django_db


def _url(session) -> str:
    return f"/de-nghi/hoi-dong/{session.pk}/"


def test_closing_with_missing_votes_is_refused_until_confirmed(tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an, tree.hoa])
    items = list(dossier.items.order_by("pk"))
    for member in people["council"][:2]:
        for item in items:
            services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    services.ballot_cast(acting_user=people["council"][2], session=session, item=items[0], choice="NO")
    counted = services.session_turnout(session=session)
    assert counted == {"size": 9, "voters": 3, "full_voters": 2, "fewest": 2, "complete": False}
    with pytest.raises(services.IncompleteTurnout) as refused:
        services.council_session_close(
            acting_user=people["city"], session=session, incomplete_confirmed=False
        )
    assert "2/9 thành viên" in refused.value.message and refused.value.turnout["voters"] == 3
    session.refresh_from_db()
    assert session.state == SessionState.OPEN
    services.council_session_close(acting_user=people["city"], session=session, incomplete_confirmed=True)
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED


def test_a_full_turnout_closes_without_confirmation(tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    item = dossier.items.get()
    for member in people["council"]:
        services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    assert services.session_turnout(session=session)["complete"] is True
    services.council_session_close(acting_user=people["city"], session=session, incomplete_confirmed=False)
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    assert not re.search(r"R-[A-Z]+-\d\d|TLD-20\d\d", session.minutes), session.minutes
    assert "ĐẠT" in session.minutes


def test_session_screen_asks_for_confirmation_then_shows_the_next_step(client, tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an])
    item = dossier.items.get()
    for member in people["council"][:2]:
        services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    client.force_login(people["city"])
    page = client.post(_url(session), {"action": "close"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="confirm-close"' in html
    assert "2/9 thành viên đã bỏ phiếu" in html and 'name="xac_nhan" value="1"' in html
    session.refresh_from_db()
    assert session.state == SessionState.OPEN  # not closed by the first click

    response = client.post(_url(session), {"action": "close", "xac_nhan": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    html = client.get(_url(session)).content.decode()
    assert 'data-testid="next-step"' in html and dossier.get_absolute_url() in html
    assert "Mở hồ sơ để ký, ban hành quyết định" in html
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_COUNCIL
    assert not re.search(r"R-[A-Z]+-\d\d|TLD-20\d\d", html)


def test_a_member_who_voted_on_everyone_has_no_send_button(client, tree, people, bk_city):
    session, dossier = _council_ready(tree, people, bk_city, [tree.an, tree.hoa])
    items = list(dossier.items.order_by("pk"))
    member = people["council"][0]
    client.force_login(member)
    services.ballot_cast(acting_user=member, session=session, item=items[0], choice="YES")
    html = client.get(_url(session)).content.decode()
    assert "Gửi phiếu</button>" in html and 'data-testid="voted-all"' not in html  # one nominee left
    services.ballot_cast(acting_user=member, session=session, item=items[1], choice="NO")
    html = client.get(_url(session)).content.decode()
    assert "Gửi phiếu</button>" not in html
    assert 'data-testid="voted-all"' in html and "Bạn đã bỏ phiếu tất cả" in html


def test_session_header_links_the_council_members_page_for_officers(client, tree, people, bk_city):
    session, _dossier = _council_ready(tree, people, bk_city, [tree.an])
    client.force_login(people["city"])
    html = client.get(_url(session)).content.decode()
    assert 'data-testid="council-members-link"' in html
    assert f'/de-nghi/hoi-dong/thanh-vien/?don_vi={tree.hn.pk}"' in html
    client.force_login(people["council"][1])  # a member votes; managing the council is the officers'
    assert 'data-testid="council-members-link"' not in client.get(_url(session)).content.decode()
