"""Merge hooks: what other apps move when a unit is merged into another or dissolved
(`services.orgunit_merge`, `services.orgunit_dissolve`).

The organisation tree sits below the apps that hang data on units (members, nominations, ...), so it
cannot call them. Each such app registers a handler at start-up (its `AppConfig.ready`); the merge runs
the handlers in order, inside its own transaction and after the source's child units have moved under the
target. A handler may also give a *preview*: the Vietnamese lines of what it would do, shown on the
confirmation list before the operation (`merge_preview`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# handler(*, acting_user, source, target, on, reason) -> a Vietnamese phrase naming what it moved
# ("3 đoàn viên"), written into the merge's audit events, or None when it moved nothing worth naming.
MergeHandler = Callable[..., str | None]
# preview(*, source, target, on) -> the Vietnamese lines of what the handler would do, one per thing
# ("Chấm dứt vai trò Cán bộ thi đua, khen thưởng của Nguyễn Văn A"); an empty list when nothing.
MergePreview = Callable[..., list[str]]


@dataclass(frozen=True)
class _Hook:
    key: str
    order: int
    handler: MergeHandler
    preview: MergePreview | None = None
    title: str = ""


_hooks: dict[str, _Hook] = {}


def register_merge_handler(
    key: str, handler: MergeHandler, *, order: int, preview: MergePreview | None = None, title: str = ""
) -> None:
    """Run `handler` in every unit merge (registering the same key again replaces it). `preview` lists
    what it would do, under the section `title` of the confirmation list."""
    _hooks[key] = _Hook(key, order, handler, preview, title)


def unregister_merge_handler(key: str) -> None:
    _hooks.pop(key, None)


def _sorted_hooks() -> list[_Hook]:
    return sorted(_hooks.values(), key=lambda h: (h.order, h.key))


def merge_handlers() -> list[MergeHandler]:
    return [hook.handler for hook in _sorted_hooks()]


def run_merge_handlers(*, acting_user, source, target, on, reason: str) -> list[str]:
    """Call every registered handler for one source unit; the phrases they return, in order."""
    phrases = []
    for handler in merge_handlers():
        phrase = handler(acting_user=acting_user, source=source, target=target, on=on, reason=reason)
        if phrase:
            phrases.append(phrase)
    return phrases


def merge_preview(source, target, on) -> list[tuple[str, list[str]]]:
    """The confirmation list of merging or dissolving `source` into `target` on `on`: (section title,
    lines), first the child units that move, then each handler's preview in order. Reads only."""
    from .models import OrgUnit

    children = [
        f"Chuyển “{child.name}” sang trực thuộc “{target.name}”"
        for child in OrgUnit.objects.get_children(source).order_by("path")
    ]
    sections = [("Đơn vị trực thuộc", children)]
    for hook in _sorted_hooks():
        if hook.preview is not None:
            sections.append((hook.title or "Dữ liệu khác", hook.preview(source=source, target=target, on=on)))
    return sections
