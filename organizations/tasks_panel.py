"""The home page's cards of work waiting for the user, registered by the apps that own the work.

Each app registers its cards in its own `<app>/home.py` (imported by `OrganizationsConfig.ready`
through `autodiscover_modules("home")`), the same mechanism as the unit-page panels
(`organizations.panels`), so the home page never imports the apps above it:

    register_home_task("nominations", order=10, context=tasks_of_nominations)

`context(page)` receives a `HomePage` (the user, today) and returns a list of `TaskCard`s (only those
with work, i.e. `count > 0`, are shown) or None. Parts that share a read use `page.once(key, compute)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class HomePage:
    user: Any
    today: dt.date
    _memo: dict = field(default_factory=dict, repr=False)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class TaskCard:
    """One kind of work: a Vietnamese title, how many, where it is done."""

    title: str
    count: int
    url: str
    icon: str = "bi-check2-square"
    note: str = ""
    tone: str = "primary"  # "danger" for what is overdue, "warning" for what is due soon
    items: tuple[tuple[str, str], ...] = ()  # a few (label, url) lines under the count


@dataclass(frozen=True)
class HomeTask:
    key: str
    order: int
    context: Callable[[HomePage], list[TaskCard] | None]


_tasks: dict[str, HomeTask] = {}


def register_home_task(key: str, *, order: int, context: Callable[[HomePage], list[TaskCard] | None]) -> None:
    _tasks[key] = HomeTask(key=key, order=order, context=context)


def unregister_home_task(key: str) -> None:
    _tasks.pop(key, None)


def registered_home_tasks() -> list[HomeTask]:
    return sorted(_tasks.values(), key=lambda t: (t.order, t.key))


def home_tasks(*, user, today: dt.date | None = None) -> list[TaskCard]:
    """The cards with work for `user`, in the registered order."""
    page = HomePage(user=user, today=today or timezone.localdate())
    cards: list[TaskCard] = []
    for task in registered_home_tasks():
        for card in task.context(page) or []:
            if card.count > 0:
                cards.append(card)
    return cards
