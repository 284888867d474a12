"""The apps' own parts of the demo, discovered instead of listed here.

An installed app takes part in `load_demo` with a `demo` module that defines

- `DEMO_ORDER` — an int: the parts run in ascending order (ties by app label), after the organisation
  tree, the members and the demo accounts;
- `demo_part(demo)` — builds the app's content (idempotent) and returns the counts it created, a dict
  `{key: count}`; `demo` is the `DemoContext` below (the shared random generator, the year, the demo
  password, synthetic names);
- optionally `DEMO_LABELS` — `{key: Vietnamese label}` for the summary `load_demo` prints.

The lower apps import nothing from here: `demo` is the top layer and only reads their modules (as
`django.utils.module_loading.autodiscover_modules` does), so no app knows the demo loader.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from .names import FAMILY, GIVEN_MALE, MIDDLE_MALE

MODULE = "demo"


@dataclass
class DemoContext:
    """What a part receives: the one random generator of the whole build (so the data depends on the
    seed and on the order of the parts only), the demo year and the password of demo accounts."""

    rng: random.Random
    year: int
    password: str

    def male_name(self) -> str:
        """A synthetic man's full name (family, middle and given name, drawn in that order)."""
        return f"{self.rng.choice([f for f, _ in FAMILY])} {self.rng.choice(MIDDLE_MALE)} {self.rng.choice(GIVEN_MALE)}"


@dataclass(frozen=True)
class DemoPart:
    app: str
    order: int
    build: Callable[[DemoContext], dict[str, int]]
    labels: dict[str, str]


def discover_parts() -> list[DemoPart]:
    """The `demo` modules of the installed apps that define `demo_part`, in their declared order."""
    parts = []
    for config in apps.get_app_configs():
        if config.name == __package__ or not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        build = getattr(module, "demo_part", None)
        if build is None:
            continue
        order = getattr(module, "DEMO_ORDER", None)
        if not isinstance(order, int):
            raise ImproperlyConfigured(f"{module.__name__} defines demo_part but no integer DEMO_ORDER.")
        parts.append(DemoPart(config.label, order, build, dict(getattr(module, "DEMO_LABELS", {}))))
    return sorted(parts, key=lambda part: (part.order, part.app))
