"""Issue 12, finding 10 (dossiers): a user whose only right on the unit is a member's (no nomination
action) sees only the dossiers in which they are a nominee, only once submitted, and never the other
nominees' engine verdicts, ratings or override reasons — through the list and the dossier page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from commendations.models import AwardType
from nominations import services
from nominations.models import Dossier

from .conftest import attach_documents

pytestmark = pytest.mark.django_db

TITLE = "Đề nghị CSTĐ cơ sở năm 2025 của Công đoàn UBND"
OVERRIDE = "Lý do riêng: đồng chí Hoa có thành tích đột xuất phòng chống bão số 3"


@pytest.fixture
def dossier(tree, people):
    cstdcs = AwardType.objects.get(code="CSTDCS")
    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title=TITLE
    )
    for person, override in ((tree.an, "Thành tích năm của An"), (tree.hoa, OVERRIDE)):
        services.item_add(
            acting_user=people["cdcs"],
            dossier=dossier,
            award_type=cstdcs,
            person=person,
            achievement_summary=f"Thành tích của {person.full_name}",
            override_reason=override,
        )
    attach_documents(people["cdcs"], dossier)
    return dossier


@pytest.fixture
def members(tree, make_user):
    """Members (the member role on the whole city, the widest a member gets): An, nominated; Bình, not."""
    return {
        "an": make_user(Role.MEMBER, tree.hn, person=tree.an),
        "other": make_user(Role.MEMBER, tree.hn, person=tree.chu_tich),
        "council_role": make_user(Role.COUNCIL, tree.hn),  # the role alone, without a council seat
    }


def _sees(client, user, dossier) -> tuple[int, bool, str]:
    client.force_login(user)
    response = client.get(reverse("nominations:detail", args=[dossier.pk]))
    listed = TITLE in client.get(reverse("nominations:inbox")).content.decode()
    return response.status_code, listed, response.content.decode()


def test_a_member_does_not_see_a_draft_even_their_own(client, dossier, members):
    for user in members.values():
        status, listed, _ = _sees(client, user, dossier)
        assert (status, listed) == (404, False), user


def test_once_submitted_the_nominee_sees_their_own_nomination_only(client, dossier, members, people, tree):
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    status, listed, page = _sees(client, members["an"], dossier)
    assert (status, listed) == (200, True)
    assert "Thành tích của Nguyễn Văn An" in page and 'data-testid="nominee-view"' in page
    # nothing of the other nominee: name, rating/verdict, override reason; no timeline or documents
    assert tree.hoa.full_name not in page and OVERRIDE not in page
    assert "Giải thích" not in page and "Chưa đủ điều kiện" not in page
    assert 'data-testid="timeline"' not in page and "documents" not in page.split("<main", 1)[-1]
    client.force_login(members["an"])
    assert client.get(reverse("documents:dossier_documents", args=[dossier.pk])).status_code == 404

    # a member who is not nominated, and a council-role holder without a seat, see nothing
    for user in (members["other"], members["council_role"]):
        status, listed, _ = _sees(client, user, dossier)
        assert (status, listed) == (404, False), user


def test_officers_on_the_route_still_see_everything(client, dossier, people, tree):
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    for user in (people["cdcs"], people["district"], people["city"], people["leader"]):
        status, listed, page = _sees(client, user, dossier)
        assert (status, listed) == (200, True), user
        assert OVERRIDE in page and tree.hoa.full_name in page and 'data-testid="timeline"' in page


def test_a_returned_dossier_is_hidden_from_the_nominee_again(client, dossier, members, people):
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_return(acting_user=people["district"], dossier=dossier, reason="Bổ sung minh chứng")
    assert Dossier.objects.get(pk=dossier.pk).state == "RETURNED"
    status, listed, _ = _sees(client, members["an"], dossier)
    assert (status, listed) == (404, False)
