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


def document_number(*, kind: str, subject) -> DocumentNumber | None:
    """The number already allocated to `subject` for this kind of document (None for a draft)."""
    return DocumentNumber.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).first()


def plan_number(*, movement: Movement) -> DocumentNumber | None:
    return document_number(kind=DocumentKind.KE_HOACH, subject=movement)


# --- certificate layouts and certificates ------------------------------------------------------------


def certificate_layouts(*, user, unit: OrgUnit | None = None):
    """Layouts the user manages (documents of a unit: `movement.manage`), of one unit if given."""
    from core.access import Action, restrict

    from .models import CertificateLayout

    queryset = restrict(CertificateLayout.objects.all(), user, Action.MOVEMENT_MANAGE)
    if unit is not None:
        queryset = queryset.filter(issuer=unit)
    return queryset.select_related("issuer", "award_type").order_by(
        "issuer__path", "award_type__position", "award_type__code", "id"
    )


def certificate_layout_for(*, issuer: OrgUnit, award_type, layouts: list | None = None):
    """The layout for an award of `issuer`: its own layout for the award type, else the unit's default
    layout, else an unsaved layout with the default A4-landscape positions."""
    from .certificates import default_fields
    from .models import CertificateLayout, PaperSize

    if layouts is None:
        layouts = list(CertificateLayout.objects.filter(issuer=issuer).select_related("issuer", "award_type"))
    by_type = {layout.award_type_id: layout for layout in layouts if layout.issuer_id == issuer.pk}
    layout = by_type.get(award_type.pk if award_type else None) or by_type.get(None)
    if layout is None:
        layout = CertificateLayout(
            issuer=issuer,
            award_type=None,
            name="Mẫu in mặc định",
            paper=PaperSize.A4_LANDSCAPE,
            fields=default_fields(PaperSize.A4_LANDSCAPE),
        )
    return layout


def certificate_records_context(*, records: list) -> tuple[dict, dict]:
    """For the certificates of `records`: (open membership by person id, ancestors by path) in two
    queries, whatever the number of records."""
    from members.models import Membership
    from organizations.selectors import orgunit_ancestors

    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(
            person_id__in=[r.person_id for r in records if r.person_id], ended_on__isnull=True
        )
    }
    units = [r.issuing_unit for r in records] + [r.scope_unit for r in records]
    units += [r.unit for r in records if r.unit_id]
    return memberships, orgunit_ancestors(units=units)


def decision_for_record(*, record):
    """The decision that created the award record, if it came from a decision (for the signer)."""
    from nominations.models import Decision

    return Decision.objects.filter(award_records=record).order_by("-issued_on").first()
