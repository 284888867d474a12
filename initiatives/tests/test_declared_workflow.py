"""Issue 11: the initiative workflow is one table (`initiatives.workflow.INITIATIVE`); the initiative
page renders exactly the transitions the user may fire, none of them ends in 403, and the services
refuse what `allowed` does not list."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from core.exceptions import ServiceError
from core.tests.rendered import follow_rendered, in_rollback
from initiatives import services
from initiatives.choices import CRITERIA, Status
from initiatives.models import Initiative
from initiatives.workflow import INITIATIVE, allowed_names

pytestmark = pytest.mark.django_db

SCORES = {key: 8 for key, _ in CRITERIA}
SERVICES = {
    "submit": lambda u, i: services.initiative_submit(acting_user=u, initiative=i),
    "review": lambda u, i: services.initiative_review(
        acting_user=u, initiative=i, scores=SCORES, verdict="ACCEPT"
    ),
    "decide": lambda u, i: services.initiative_decide(
        acting_user=u, initiative=i, recognize=False, reason="Chưa mới"
    ),
}
LINKS = {"edit": "sua", "submit": "nop", "review": "cham", "decide": "quyet-dinh"}


def in_status(status, make_initiative, officer):
    initiative = make_initiative(submit=status != Status.DRAFT)
    if status in (Status.UNDER_REVIEW, Status.RECOGNIZED):
        services.initiative_review(
            acting_user=officer, initiative=initiative, scores=SCORES, verdict="ACCEPT"
        )
    if status == Status.RECOGNIZED:
        services.initiative_decide(
            acting_user=officer,
            initiative=initiative,
            recognize=True,
            level="CO_SO",
            recognized_on=timezone.localdate(),
            decision_ref="12/QĐ",
        )
    if status == Status.REJECTED:
        services.initiative_decide(
            acting_user=officer, initiative=initiative, recognize=False, reason="Trùng"
        )
    initiative.refresh_from_db()
    assert initiative.status == status
    return initiative


@pytest.mark.parametrize("status", Status.values)
def test_initiative_page_offers_exactly_what_may_be_fired(
    client, tree, make_user, make_initiative, officer, status
):
    initiative = in_status(status, make_initiative, officer)
    offered = 0
    users = [
        (role, unit, make_user(role, unit)) for role in Role.values for unit in (tree.ubnd, tree.md, tree.hn)
    ]
    for role, unit, user in users:
        names = allowed_names(initiative, user)
        for name, call in SERVICES.items():
            if name in names:
                in_rollback(lambda call=call, user=user: call(user, Initiative.objects.get(pk=initiative.pk)))
            else:
                with pytest.raises((PermissionDenied, ServiceError)):
                    call(user, Initiative.objects.get(pk=initiative.pk))
        client.force_login(user)
        page = client.get(f"/sang-kien/{initiative.pk}/")
        if page.status_code != 200:
            continue
        html = page.content.decode()
        for name, slug in LINKS.items():
            assert (f"/sang-kien/{initiative.pk}/{slug}/" in html) == (name in names), (role, unit.code, name)
        offered += len(names)
        follow_rendered(client, html, (role, unit.code, status))
    assert bool(offered) == (status not in (Status.RECOGNIZED, Status.REJECTED))


def test_a_reviewer_scores_once_and_authors_never(tree, make_user, make_initiative, officer):
    initiative = make_initiative(submit=True)
    reviewer = make_user(Role.COUNCIL, tree.ubnd)
    assert "review" in allowed_names(initiative, reviewer)
    services.initiative_review(acting_user=reviewer, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW and "review" not in allowed_names(initiative, reviewer)
    author = make_user(Role.OFFICER, tree.ubnd, person=tree.an)
    assert allowed_names(initiative, author) == {"decide"}
    with pytest.raises(ServiceError, match="Tác giả không được chấm"):
        services.initiative_review(acting_user=author, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    assert INITIATIVE["decide"].targets == (Status.RECOGNIZED, Status.REJECTED)
