"""The writes that change a figure mark what they touched (`core.metrics.mark_changed` / `mark_related`),
so the counters of those units and years are refreshed in the background right after the commit.

One receiver per model the metric providers read (`<app>/metrics.py`): it only reads the saved or
deleted instance (ids and years already on it, or a related object already loaded) and never queries
the database, so no service costs a query more. Writes that send no signal (COPY, `bulk_create`,
`bulk_update`, queryset `update`) call `core.metrics` themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from clusters.models import Cluster, ClusterMember, Covenant
from commendations.models import AwardRecord
from core import metrics
from initiatives.models import Initiative
from members.models import Membership, Person
from movements.models import CollectiveEvaluation, Evaluation, Movement, ProgressReport, Registration
from nominations.models import Dossier, NominationItem
from organizations.models import OrgUnit


def _loaded(instance, name: str):
    """The related object `name` when it is already loaded on the instance (no query), else None."""
    return instance._state.fields_cache.get(name)


def _movement_year(instance) -> int | None:
    movement = _loaded(instance, "movement")
    return movement.year if movement is not None else None


def _unit(instance) -> None:
    metrics.mark_changed(instance.pk)


def _membership(instance) -> None:
    metrics.mark_changed(instance.unit_id)  # every year: it counts from its start to its end


def _person(instance, update_fields=None) -> None:
    if update_fields is not None and "gender" not in update_fields:
        return
    metrics.mark_related("person", [instance.pk])  # women among members and awards


def _registration(instance) -> None:
    metrics.mark_changed(instance.unit_id, _movement_year(instance))
    if instance.person_id:
        metrics.mark_related("person", [instance.person_id])  # counted where the person sits


def _unit_year(field: str):
    def mark(instance) -> None:
        metrics.mark_changed(getattr(instance, field), instance.year)

    return mark


def _progress(instance) -> None:
    metrics.mark_changed(instance.unit_id, _movement_year(instance))


def _covenant(instance) -> None:
    cluster = _loaded(instance, "cluster")
    if cluster is not None:
        metrics.mark_changed(cluster.organiser_id, cluster.year)
    else:
        metrics.mark_related("cluster", [instance.cluster_id])


def _item(instance) -> None:
    dossier = _loaded(instance, "dossier")
    if dossier is not None:
        metrics.mark_changed(dossier.proposing_unit_id, dossier.year)
    else:
        metrics.mark_related("dossier", [instance.dossier_id])


MARKERS = {
    OrgUnit: _unit,
    Membership: _membership,
    Registration: _registration,
    Evaluation: _unit_year("unit_id"),
    CollectiveEvaluation: _unit_year("unit_id"),
    ProgressReport: _progress,
    Movement: _unit_year("organiser_id"),
    Initiative: _unit_year("unit_id"),
    Cluster: _unit_year("organiser_id"),
    ClusterMember: _unit_year("unit_id"),
    Covenant: _covenant,
    AwardRecord: _unit_year("scope_unit_id"),
    Dossier: _unit_year("proposing_unit_id"),
    NominationItem: _item,
}


def _saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw:
        return
    if sender is Person:
        if not created:  # a new person counts through the membership saved after it
            _person(instance, update_fields)
    else:
        MARKERS[sender](instance)


def _deleted(sender, instance, **kwargs):
    if sender is Person:
        metrics.mark_related("person", [instance.pk])
    else:
        MARKERS[sender](instance)


def connect() -> None:
    for model in [*MARKERS, Person]:
        post_save.connect(_saved, sender=model, dispatch_uid=f"reports-counters-save-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"reports-counters-del-{model._meta.label}")
