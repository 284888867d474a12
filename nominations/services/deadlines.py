"""The annual calendar: the organiser's deadlines for dossiers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.access import Action, require
from core.audit import audit_record
from organizations.models import OrgUnit

from ..models import NominationDeadline


def deadline_set(*, acting_user, organiser: OrgUnit, year: int, kind: str, due_on: dt.date, note: str = ""):
    require(acting_user, Action.NOMINATION_REVIEW, organiser.path)
    with transaction.atomic():
        deadline, created = NominationDeadline.objects.update_or_create(
            organiser=organiser, year=year, kind=kind, defaults={"due_on": due_on, "note": note.strip()}
        )
        audit_record(
            actor=acting_user,
            action="deadline.set",
            obj=deadline,
            unit=organiser,
            summary=f"{'Đặt' if created else 'Sửa'} hạn nộp hồ sơ {deadline.get_kind_display().lower()} "
            f"năm {year}: {due_on:%d/%m/%Y}",
        )
    return deadline
