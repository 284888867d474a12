"""The workflow engine's transitions of the system (`action=None`, no `permit`): no user fires them,
`allowed` never lists them, and `Workflow.update` is their conditional UPDATE (issue 11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.roles import Role
from core.access import Action
from core.exceptions import ServiceError
from core.workflow import Transition, Workflow
from initiatives.services import INITIATIVE  # initiatives.workflow needs its services imported first
from movements.workflow import MOVEMENT
from nominations.workflow import DOSSIER

pytestmark = pytest.mark.django_db


class Thing:
    def __init__(self, state, unit):
        self.state, self.unit = state, unit


FLOW = Workflow(
    [
        Transition("claim", ("a",), "b", None, None, "Nhận"),
        Transition("reset", ("b",), "a", Action.UNIT_MANAGE, lambda o: o.unit, "Đặt lại"),
        Transition("split", ("a",), ("b", "c"), None, None, "Tách"),
    ]
)


def test_a_system_transition_is_never_allowed_nor_fired_by_a_user(make_user, tree):
    admin, officer = make_user(is_superuser=True), make_user(Role.ADMIN, tree.md)
    assert FLOW["claim"].by_system and not FLOW["reset"].by_system
    thing = Thing("a", tree.md)
    for user in (admin, officer):
        assert FLOW.allowed(thing, user) == []
        with pytest.raises(PermissionDenied, match="hệ thống"):
            FLOW.fire(thing, "claim", user)
    assert thing.state == "a"
    thing.state = "b"
    assert [t.name for t in FLOW.allowed(thing, admin)] == ["reset"]  # user transitions unchanged
    with pytest.raises(ServiceError):
        FLOW.fire(Thing("a", tree.md), "reset", admin)


def test_a_user_transition_without_a_level_is_refused(make_user, tree):
    flow = Workflow([Transition("go", ("a",), "b", Action.UNIT_VIEW, None, "Đi")])
    with pytest.raises(PermissionDenied):
        flow.fire(Thing("a", tree.md), "go", make_user(is_superuser=True))


def test_update_moves_only_the_rows_still_in_a_source_state(make_user):
    flow = Workflow([*FLOW.transitions], field="first_name")
    first, second, other = (make_user(first_name=name) for name in ("a", "a", "b"))
    users = User.objects.filter(pk__in=[first.pk, second.pk, other.pk])
    assert flow.update(users.filter(pk=first.pk), "claim", last_name="x") == 1
    assert flow.update(users.filter(pk=first.pk), "claim") == 0  # claimed already: no second winner
    assert flow.update(users, "claim") == 1
    states = dict(users.values_list("pk", "first_name"))
    assert states == {first.pk: "b", second.pk: "b", other.pk: "b"}
    assert User.objects.get(pk=first.pk).last_name == "x"
    with pytest.raises(ValueError):
        flow.update(users, "split")  # more than one target: the UPDATE cannot choose


def test_the_user_workflows_have_no_system_transitions():
    for flow in (DOSSIER, MOVEMENT, INITIATIVE):
        assert not [t.name for t in flow.transitions if t.by_system]


def test_services_take_their_audit_action_from_the_table():
    """The audit action of a transition is written once, in its table: no service spells it again."""
    from pathlib import Path

    from initiatives.services import INITIATIVE
    from movements.workflow import MOVEMENT
    from nominations.workflow import AWARD, DOSSIER

    root = Path(__file__).resolve().parents[2]
    sources = {
        DOSSIER: list((root / "nominations/services").glob("*.py")),
        AWARD: list((root / "nominations/services").glob("*.py")),
        MOVEMENT: [root / "movements/services.py"],
        INITIATIVE: [root / "initiatives/services.py"],
    }
    for table, files in sources.items():
        text = "\n".join(f.read_text(encoding="utf-8") for f in files)
        for transition in table.transitions:
            if transition.audit and transition.name != "edit":
                assert f'action="{transition.audit}"' not in text, (transition.name, transition.audit)
