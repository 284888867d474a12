"""The clusters' part of the unit page (`organizations.panels`): in the side column, the clusters the
unit belongs to, newest year first (the first two shown)."""

from __future__ import annotations

from organizations import panels

from .selectors import clusters_of_unit


def _clusters(page: panels.UnitPage) -> dict | None:
    clusters = clusters_of_unit(user=page.user, unit=page.unit)
    return {"clusters": clusters} if clusters else None


panels.register(
    "clusters.of_unit",
    order=30,
    region=panels.SIDE,
    template="clusters/_panel_clusters.html",
    context=_clusters,
)
