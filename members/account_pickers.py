"""The account screens' pickers (`accounts.pickers`): units where the manager holds `role.manage`, and
the members of that scope who have no account yet. The search endpoints are scoped by `person.view`
(`PICK_ACTIONS` has no `role.manage`; every role that manages accounts also views people there); the
fields validate the chosen pk against the `role.manage` scope itself."""

from __future__ import annotations

from accounts import pickers
from core.access import Action

from .widgets import PersonPickerField, UnitPickerField, person_pick_queryset, unit_pick_queryset


def _unit(*, user, label, required=True):
    return UnitPickerField(
        label=label,
        required=required,
        queryset=unit_pick_queryset(user=user, action=Action.ROLE_MANAGE),
        params={"quyen": Action.PERSON_VIEW},
    )


def _person(*, user, label, required=True):
    people = person_pick_queryset(user=user, action=Action.ROLE_MANAGE).filter(user__isnull=True)
    return PersonPickerField(
        label=label, required=required, queryset=people, params={"quyen": Action.PERSON_VIEW}
    )


pickers.register(pickers.UNIT, _unit)
pickers.register(pickers.PERSON, _person)
