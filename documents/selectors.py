"""Reads of the documents app."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from movements.choices import MovementStatus
from movements.models import Movement
from organizations.models import OrgUnit

from .models import DocumentKind, DocumentNumber


def movements_organised(*, unit: OrgUnit, year: int) -> list[Movement]:
    """Movements the unit itself organised in the year (not drafts), for the documents links."""
    return list(
        Movement.objects.filter(organiser=unit, year=year)
        .exclude(status=MovementStatus.DRAFT)
        .order_by("start_date", "name")
    )


def plan_number(*, movement: Movement) -> DocumentNumber | None:
    return DocumentNumber.objects.filter(
        kind=DocumentKind.KE_HOACH,
        subject_type=ContentType.objects.get_for_model(Movement),
        subject_id=movement.pk,
    ).first()
