"""Locking helpers shared by the parts of the workflow."""

from __future__ import annotations

from organizations.models import OrgUnit

from ..models import Dossier


def _lock_dossier(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("proposing_unit", "authority")
        .get(pk=dossier.pk)
    )


def _parent(unit: OrgUnit) -> OrgUnit | None:
    if unit.depth <= 1:
        return None
    return OrgUnit.objects.get(path=unit.path[: -unit.steplen])
