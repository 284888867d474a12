"""Writes of the documents app: allocating document numbers (never reused)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from organizations.models import OrgUnit

from .models import DocumentNumber
from .numbering import issuer_abbreviation


@transaction.atomic
def number_allocate(
    *, acting_user, issuer: OrgUnit, kind: str, title: str, issued_on: dt.date, subject=None
) -> DocumentNumber:
    """The next number of `issuer` for the year of `issued_on` (or the subject's existing number).

    The issuer's unit row is locked (SELECT … FOR UPDATE; SQLite transactions are IMMEDIATE), so two
    officers never get the same number; the unique constraint is the last guard. Numbers are never
    deleted, so a number is never given twice."""
    OrgUnit.objects.select_for_update().filter(pk=issuer.pk).first()
    subject_fields = {}
    if subject is not None:
        subject_fields = {
            "subject_type": ContentType.objects.get_for_model(subject),
            "subject_id": subject.pk,
        }
        existing = DocumentNumber.objects.filter(kind=kind, **subject_fields).first()
        if existing is not None:
            return existing
    year = issued_on.year
    last = DocumentNumber.objects.filter(issuer=issuer, year=year).aggregate(m=Max("sequence"))["m"] or 0
    number = DocumentNumber.objects.create(
        issuer=issuer,
        year=year,
        sequence=last + 1,
        kind=kind,
        issuer_code=issuer_abbreviation(issuer),
        title=title[:500],
        issued_on=issued_on,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **subject_fields,
    )
    audit_record(
        actor=acting_user,
        action="document.number",
        obj=number,
        unit=issuer,
        summary=f"Cấp số văn bản {number.notation}: {title}"[:500],
    )
    return number
