"""Merge hooks: what other apps move when a unit is merged into another (`services.orgunit_merge`).

The organisation tree sits below the apps that hang data on units (members, ...), so it cannot call them.
Each such app registers a handler at start-up (its `AppConfig.ready`); the merge runs the handlers in
order, inside its own transaction and after the source's child units have moved under the target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# handler(*, acting_user, source, target, on, reason) -> a Vietnamese phrase naming what it moved
# ("3 đoàn viên"), written into the merge's audit events, or None when it moved nothing worth naming.
MergeHandler = Callable[..., str | None]


@dataclass(frozen=True)
class _Hook:
    key: str
    order: int
    handler: MergeHandler


_hooks: dict[str, _Hook] = {}


def register_merge_handler(key: str, handler: MergeHandler, *, order: int) -> None:
    """Run `handler` in every unit merge (registering the same key again replaces it)."""
    _hooks[key] = _Hook(key, order, handler)


def unregister_merge_handler(key: str) -> None:
    _hooks.pop(key, None)


def merge_handlers() -> list[MergeHandler]:
    return [hook.handler for hook in sorted(_hooks.values(), key=lambda h: (h.order, h.key))]


def run_merge_handlers(*, acting_user, source, target, on, reason: str) -> list[str]:
    """Call every registered handler for one source unit; the phrases they return, in order."""
    phrases = []
    for handler in merge_handlers():
        phrase = handler(acting_user=acting_user, source=source, target=target, on=on, reason=reason)
        if phrase:
            phrases.append(phrase)
    return phrases
