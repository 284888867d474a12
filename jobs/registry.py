"""Builders of background files: `register(key, title=, action=, build=)`.

`build(*, job, progress)` returns `(content: bytes, filename: str, content_type: str)`; it calls
`progress(percent, stage)` (stage: short Vietnamese text) as it goes. A builder raises `BuildError` with a
Vietnamese message the user may read; any other exception is logged and shown as a generic message.
`clean(params) -> dict` (optional) checks the parameters sent by the form; it raises `ValueError` with a
Vietnamese message.

Each app registers its own builders in its `builders` module (`reports/builders.py`,
`members/builders.py`); `JobsConfig.ready` finds them with `autodiscover_modules("builders")`, so jobs
imports no app above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
    action: str
    build: Callable[..., BuildResult]
    clean: Callable[[Mapping[str, Any]], dict]

    def job_title(self, *, unit, params: Mapping[str, Any]) -> str:
        return self.title.format(unit=unit.short_name or unit.name, **params)[:255]


_BUILDERS: dict[str, Builder] = {}


def _no_params(params: Mapping[str, Any]) -> dict:
    return {}


def register(
    key: str,
    *,
    title: str,
    action: str,
    build: Callable[..., BuildResult],
    clean: Callable[[Mapping[str, Any]], dict] | None = None,
) -> Builder:
    builder = Builder(key=key, title=title, action=action, build=build, clean=clean or _no_params)
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
