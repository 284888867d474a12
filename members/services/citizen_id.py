"""The access log of full citizen IDs: every screen or file that shows a person's full number calls
`person_citizen_id_access` first. The number is shown on screens masked (`••••••••1234`); the full number
is given only to a holder of `person.view_sensitive` on the person's unit, and each time an
`AuditEvent` "person.view_citizen_id" is written on that unit (so officers above read it in the audit
list, under "Truy cập số CCCD"). The event names the person and the screen, never the number."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from core.access import NOT_ALLOWED, Action, can
from core.audit import ACTION_VIEW_CITIZEN_ID, audit_record
from organizations.models import OrgUnit

from ..models import Membership, Person

VIA_EDIT_FORM = "edit_form"
VIA_REVEAL = "reveal"
VIA_LABELS = {
    VIA_EDIT_FORM: "mở màn hình sửa thông tin",
    VIA_REVEAL: "bấm “Hiện số CCCD” trên trang đoàn viên",
}


def person_citizen_id_unit(*, person: Person) -> OrgUnit | None:
    """The unit the person's citizen ID belongs to: the current membership's, or the latest one's."""
    membership = (
        Membership.objects.filter(person=person)
        .select_related("unit")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")
        .first()
    )
    if membership is None:
        return None
    return membership.unit


def may_see_citizen_id(user, *, person: Person, unit: OrgUnit | None = None) -> bool:
    unit = unit if unit is not None else person_citizen_id_unit(person=person)
    if unit is None:
        return bool(getattr(user, "is_superuser", False) and user.is_active)
    return can(user, Action.PERSON_VIEW_SENSITIVE, unit.path)


def person_citizen_id_access(*, acting_user, person: Person, via: str, unit: OrgUnit | None = None) -> str:
    """The person's full citizen ID for `acting_user`, after writing the access-log event (one
    transaction). PermissionDenied without `person.view_sensitive` on the person's unit. A person without
    a citizen ID returns "" and logs nothing (nothing was disclosed)."""
    unit = unit if unit is not None else person_citizen_id_unit(person=person)
    if not may_see_citizen_id(acting_user, person=person, unit=unit):
        raise PermissionDenied(NOT_ALLOWED)  # without a membership only a superuser's scope covers it
    if not person.citizen_id:
        return ""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=ACTION_VIEW_CITIZEN_ID,
            obj=person,
            unit=unit,
            summary=f"Xem số CCCD đầy đủ của đoàn viên “{person.full_name}” ({VIA_LABELS.get(via, via)})",
            changes={"via": [None, via]},
        )
    return person.citizen_id
