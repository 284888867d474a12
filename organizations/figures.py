"""Member figures of units. Members are counted by the members app, which sits above the organisation
tree: it registers its counters at start-up (`MembersConfig.ready`) and the tree browser, the unit page
and the home page ask through here, never by importing members."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class MemberFigures:
    # subtree_counts(*, units) -> {unit.pk: current members in the unit's subtree}
    subtree_counts: Callable[..., dict[int, int]]
    # unit_totals(*, unit) -> {"members": n, "female": n} for the unit's whole subtree
    unit_totals: Callable[..., dict[str, int]]


_provider: MemberFigures | None = None


def register_member_figures(*, subtree_counts, unit_totals) -> None:
    global _provider
    _provider = MemberFigures(subtree_counts=subtree_counts, unit_totals=unit_totals)


def member_figures() -> MemberFigures:
    if _provider is None:
        raise ImproperlyConfigured("Chưa có ứng dụng nào cung cấp số liệu đoàn viên (members).")
    return _provider
