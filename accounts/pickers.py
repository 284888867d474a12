"""The pickers of the account screens (a unit to grant a role on, the member an account belongs to).

The searchable pickers (`members.widgets`) sit above accounts, so accounts asks for them through this
registry: `members/account_pickers.py` registers a factory per kind, imported by `AccountsConfig.ready`
through `autodiscover_modules("account_pickers")` (the way the unit page gets its panels). A factory is
called as `factory(user=, label=, required=)` and returns a form field validating against what `user`
may pick for `role.manage`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

UNIT = "unit"
PERSON = "person"

_factories: dict[str, Callable[..., object]] = {}


def register(kind: str, factory: Callable[..., object]) -> None:
    _factories[kind] = factory


def picker_field(kind: str, *, user, label: str, required: bool = True):
    try:
        factory = _factories[kind]
    except KeyError as exc:  # pragma: no cover - members is always installed
        raise ImproperlyConfigured(
            f"No account picker registered for {kind!r} (members/account_pickers.py)"
        ) from exc
    return factory(user=user, label=label, required=required)
