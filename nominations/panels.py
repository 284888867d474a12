"""The nominations' parts of the unit page (`organizations.panels`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.access import Action, can
from organizations import panels


def _prepare(page: panels.UnitPage) -> dict | None:
    """The button “Lập hồ sơ đề nghị khen thưởng” for whoever may prepare a dossier for this unit, with
    the calendar of deadlines that apply to it."""
    if not can(page.user, Action.NOMINATION_PREPARE, page.unit.path):
        return None
    return {
        "create_url": f"{reverse('nominations:create')}?don_vi={page.unit.pk}",
        "deadlines_url": f"{reverse('nominations:deadlines')}?don_vi={page.unit.pk}",
    }


panels.register(
    "nominations.prepare",
    order=5,
    region=panels.SIDE,
    template="nominations/_panel_prepare.html",
    context=_prepare,
)


def _council(page: panels.UnitPage) -> dict | None:
    """The unit's Hội đồng Thi đua – Khen thưởng (seats today) for whoever may manage its seats."""
    from .selectors import council_members
    from .services.council_seats import may_manage_council

    if not may_manage_council(page.user, page.unit):
        return None
    return {
        "council_seats": council_members(unit=page.unit, on=timezone.localdate()).count(),
        "council_url": f"{reverse('nominations:council_members')}?don_vi={page.unit.pk}",
    }


panels.register(
    "nominations.council",
    order=35,
    region=panels.SIDE,
    template="nominations/_panel_council.html",
    context=_council,
)
