"""Builders of background files: `register(key, title=, action=, build=)`.

`build(*, job, progress)` returns `(content: bytes, filename: str, content_type: str)`; it calls
`progress(percent, stage)` (stage: short Vietnamese text) as it goes. A builder raises `BuildError` with a
Vietnamese message the user may read; any other exception is logged and shown as a generic message.
`clean(params) -> dict` (optional) checks the parameters sent by the form; it raises `ValueError` with a
Vietnamese message.

A builder may make its file from one object (a dossier, a council session, a decision, a movement):
`subject(user) -> QuerySet` gives the objects `user` may build it from — the model's own visibility
(`restrict()` or the app's selector). The job stores the object's id (`BuildJob.subject_id`); the creator
must see the object when the job starts, when it runs and whenever they open the job. `action` (what the
user needs on the job's unit) may then be None: the object's visibility alone decides (a council member
sees a session's minutes through their seat, not through a role on a unit).

Each app registers its own builders in its `builders` module (`reports/builders.py`,
`members/builders.py`); `JobsConfig.ready` finds them with `autodiscover_modules("builders")`, so jobs
imports no app above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.access import can

Progress = Callable[[int, str], None]
BuildResult = tuple[bytes, str, str]


class BuildError(Exception):
    """A failure the user is told about (Vietnamese message, no technical detail)."""


class UnknownBuilder(KeyError):
    pass


@dataclass(frozen=True)
class Builder:
    key: str
    title: str  # format string: "{unit}" and the cleaned params, e.g. "Báo cáo tổng kết năm {year}"
    action: str | None
    build: Callable[..., BuildResult]
    clean: Callable[[Mapping[str, Any]], dict]
    subject: Callable[[Any], Any] | None = None

    def job_title(self, *, unit, params: Mapping[str, Any]) -> str:
        return self.title.format(unit=unit.short_name or unit.name, **params)[:255]

    def permits(self, user, *, unit, subject_id: int | None) -> bool:
        """May `user` (still) build this file: the action on the unit, and the object in their view."""
        if self.action is not None and not can(user, self.action, unit.path):
            return False
        if self.subject is not None:
            return subject_id is not None and self.subject(user).filter(pk=subject_id).exists()
        return True


_BUILDERS: dict[str, Builder] = {}


def _no_params(params: Mapping[str, Any]) -> dict:
    return {}


def register(
    key: str,
    *,
    title: str,
    action: str | None,
    build: Callable[..., BuildResult],
    clean: Callable[[Mapping[str, Any]], dict] | None = None,
    subject: Callable[[Any], Any] | None = None,
) -> Builder:
    if action is None and subject is None:
        raise ValueError(f"builder {key!r}: an action on the unit or a subject is required")
    builder = Builder(
        key=key, title=title, action=action, build=build, clean=clean or _no_params, subject=subject
    )
    _BUILDERS[key] = builder
    return builder


def unregister(key: str) -> None:
    _BUILDERS.pop(key, None)


def get(key: str) -> Builder:
    try:
        return _BUILDERS[key]
    except KeyError as exc:
        raise UnknownBuilder(key) from exc


def keys() -> list[str]:
    return sorted(_BUILDERS)
