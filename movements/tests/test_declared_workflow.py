"""Issue 11: the movement workflow is one table (`movements.workflow.MOVEMENT`); the movement page
renders exactly the transitions the user may fire, none of them ends in 403, and the services refuse
what `allowed` does not list."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from core.exceptions import ServiceError
from core.tests.rendered import follow_rendered, in_rollback
from movements import services
from movements.choices import MovementStatus
from movements.models import Movement
from movements.workflow import MOVEMENT, allowed_names

pytestmark = pytest.mark.django_db

SERVICES = {
    "launch": lambda u, m: services.movement_launch(acting_user=u, movement=m),
    "close": lambda u, m: services.movement_close(acting_user=u, movement=m),
}


@pytest.mark.parametrize("status", MovementStatus.values)
def test_movement_page_offers_exactly_what_may_be_fired(
    client, tree, make_user, make_movement, officer, status
):
    movement = make_movement(launch=status != MovementStatus.DRAFT)
    if status == MovementStatus.CLOSED:
        services.movement_close(acting_user=officer, movement=movement)
    movement.refresh_from_db()
    assert movement.status == status
    offered = 0
    for role in Role.values:
        for unit in (tree.ubnd, tree.md, tree.hn):
            user = make_user(role, unit)
            names = allowed_names(movement, user)
            for name, call in SERVICES.items():
                if name in names:
                    in_rollback(lambda call=call, user=user: call(user, Movement.objects.get(pk=movement.pk)))
                else:
                    with pytest.raises((PermissionDenied, ServiceError)):
                        call(user, Movement.objects.get(pk=movement.pk))
            client.force_login(user)
            page = client.get(f"/phong-trao/{movement.pk}/")
            if page.status_code != 200:
                continue
            html = page.content.decode()
            for name in SERVICES:
                assert (
                    f"/phong-trao/{movement.pk}/{'phat-dong' if name == 'launch' else 'tong-ket'}/" in html
                ) == (name in names), (role, unit.code, name)
            offered += len(names)
            follow_rendered(client, html, (role, unit.code, status))
    # officers and admins of the organiser (and above it) launch and close; nobody acts on a closed one
    assert bool(offered) == (status != MovementStatus.CLOSED)


def test_launch_and_close_go_through_the_table(make_movement, officer):
    movement = make_movement(launch=False)
    assert [t.name for t in MOVEMENT.allowed(movement, officer)] == ["launch"]
    movement = services.movement_launch(acting_user=officer, movement=movement)
    assert movement.status == MovementStatus.LAUNCHED
    with pytest.raises(ServiceError, match="không phát động lại"):
        services.movement_launch(acting_user=officer, movement=movement)
    movement = services.movement_close(acting_user=officer, movement=movement)
    assert movement.status == MovementStatus.CLOSED and MOVEMENT.allowed(movement, officer) == []
