"""Declared workflows: a model's states and the transitions between them as ONE table.

A `Transition` names the states it leaves from, the state it leads to (None: the state stays, e.g.
"open" or "forward" of a dossier), the action the user must hold and the unit on which it is checked
(`level`, a function of the object returning a unit — anything with a `path` — or None when there is
no such unit yet), an optional guard (object, user → None or a Vietnamese reason), the audit action
the service writes and, optionally, who is told (`notify`: the action the recipients hold and the
unit, read after the transition). A transition with no `action` and no `permit` is the system's (a
worker, a command: there is no acting user) — no user may fire it and `allowed` never lists it; its
service moves the rows with `Workflow.update`, the conditional UPDATE that claims them atomically.

`Workflow.allowed(obj, user)` lists what the user may fire now — screens render exactly those;
`Workflow.fire(obj, name, user)` checks the same three things, sets the state and returns the
transition, so the service (which keeps its locking, validation and audit) never assigns a state by
hand. Pure: no queries of its own beyond what the level and guard functions do (and the one UPDATE
`update` is asked to run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from .access import can
from .exceptions import ServiceError

Guard = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str | tuple[str, ...] | None
    action: str | None  # None with no `permit`: the system fires it (no user)
    level: Callable[[Any], Any] | None
    label: str = ""
    guard: Guard | None = None
    audit: str = ""
    notify: tuple[str, Callable[[Any], Any]] | None = None
    # replaces the action/level check when the right is not only a role on a unit (e.g. an author
    # submitting their own draft): (object, user) → bool
    permit: Callable[[Any, Any], bool] | None = None
    # shown when the object is not in one of `sources` (a text, or a function of the object)
    refusal: str | Callable[[Any], str] = "Thao tác này không thực hiện được ở trạng thái hiện tại."

    @property
    def by_system(self) -> bool:
        return self.action is None and self.permit is None

    @property
    def targets(self) -> tuple[str, ...]:
        if self.target is None:
            return ()
        return self.target if isinstance(self.target, tuple) else (self.target,)


class Workflow:
    def __init__(self, transitions: Iterable[Transition], *, field: str = "state"):
        self.transitions = tuple(transitions)
        self.field = field
        self.by_name = {t.name: t for t in self.transitions}
        if len(self.by_name) != len(self.transitions):
            raise ValueError("Tên chuyển trạng thái bị trùng.")

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def refusal(self, obj, transition: Transition, user) -> tuple[type[Exception], str] | None:
        """Why `user` may not fire `transition` on `obj` now (None: they may)."""
        if transition.by_system:
            return PermissionDenied, "Thao tác này do hệ thống tự thực hiện."
        if getattr(obj, self.field) not in transition.sources:
            refusal = transition.refusal
            return ServiceError, refusal(obj) if callable(refusal) else refusal
        if transition.permit is not None:
            permitted = transition.permit(obj, user)
        else:
            unit = transition.level(obj) if transition.level else None
            permitted = unit is not None and can(user, transition.action, unit.path)
        if not permitted:
            return PermissionDenied, "Bạn không có quyền thực hiện thao tác này."
        reason = transition.guard(obj, user) if transition.guard else None
        if reason:
            return ServiceError, reason
        return None

    def may(self, obj, name: str, user) -> bool:
        return self.refusal(obj, self.by_name[name], user) is None

    def allowed(self, obj, user) -> list[Transition]:
        return [t for t in self.transitions if self.refusal(obj, t, user) is None]

    def check(self, obj, name: str, user) -> Transition:
        """Raise PermissionDenied or ServiceError unless `user` may fire `name` on `obj` now."""
        transition = self.by_name[name]
        refused = self.refusal(obj, transition, user)
        if refused:
            error, message = refused
            raise error(message)
        return transition

    def fire(self, obj, name: str, user, *, to: str | None = None) -> Transition:
        """Check, then set the state (not saved: the service saves with its other changes). `to`
        picks one of several targets (e.g. accept → posted or straight to the council)."""
        transition = self.check(obj, name, user)
        targets = transition.targets
        if to is None and len(targets) > 1:
            raise ValueError(f"“{name}” cần chọn trạng thái đích trong {targets}.")
        if to is not None and to not in targets:
            raise ValueError(f"“{name}” không dẫn tới {to}.")
        if targets:
            setattr(obj, self.field, to or targets[0])
        return transition

    def update(self, queryset, name: str, **fields) -> int:
        """The conditional UPDATE of a transition with one target (a system's, typically): the rows of
        `queryset` still in one of its sources take its target and `fields`, in one statement, so two
        workers never both claim a row. Returns how many moved (0: another got there first)."""
        transition = self.by_name[name]
        if len(transition.targets) != 1:
            raise ValueError(f"“{name}” không có đúng một trạng thái đích.")
        return queryset.filter(**{f"{self.field}__in": transition.sources}).update(
            **{self.field: transition.targets[0]}, **fields
        )
