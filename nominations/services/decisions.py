"""The numbered decision: award records for the accepted nominees (accepted by the council's vote or by
the authority's direct approval), prerequisites marked used."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from commendations.engine.declarations import declaration as award_declaration
from commendations.models import AwardRecord
from core.audit import audit_record
from core.exceptions import ServiceError
from members.models import Membership
from organizations.models import OrgUnit

from ..choices import ItemStatus
from ..models import Decision, Dossier, NominationItem
from ..numbering import decision_number_allocate
from ..workflow import DOSSIER, recipients_for
from .common import _lock_dossier
from .notify import _notify


def decision_issue(
    *, acting_user, dossier: Dossier, issued_on: dt.date, signer_name: str, signer_title: str, symbol: str
) -> Decision | None:
    """Issue the numbered decision: award records for accepted nominees, prerequisites marked used,
    proposing units notified. The issuer must be valid on the decision date (R-ORG-02)."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        # the council has voted (or, no award needing a vote, the authority approved directly);
        # a signer of the authority
        DOSSIER.check(dossier, "decide", acting_user)
        authority = (
            OrgUnit.objects.select_for_update(of=("self",))
            .select_related("unit_type")
            .get(pk=dossier.authority_id)
        )
        if not authority.is_active_on(issued_on):
            raise ServiceError(
                f"“{authority.name}” không còn hiệu lực vào ngày {issued_on:%d/%m/%Y}: không thể ban hành quyết định."
            )
        accepted = list(
            dossier.items.filter(status=ItemStatus.ACCEPTED).select_related("award_type", "person", "unit")
        )
        if not accepted:
            transition = DOSSIER.fire(dossier, "reject", acting_user)
            dossier.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=acting_user,
                action=transition.audit,
                obj=dossier,
                unit=authority,
                summary=f"Không khen thưởng hồ sơ “{dossier.title}”: "
                + (
                    "không đề nghị nào được đồng ý khi xét duyệt"
                    if dossier.approved_at
                    else "không đề nghị nào đạt số phiếu"
                ),
            )
            _notify(
                recipients_for(dossier, transition),
                f"Hồ sơ không được khen thưởng: {dossier.title}",
                dossier.get_absolute_url(),
                actor=acting_user,
            )
            return None
        decision = Decision.objects.create(
            issuing_unit=authority,
            year=issued_on.year,
            sequence=0,  # numbered just below, under the lock on the authority's row
            symbol=symbol.strip(),
            issued_on=issued_on,
            signer_name=signer_name.strip(),
            signer_title=signer_title.strip(),
            dossier=dossier,
            created_by=acting_user,
        )
        # one register of outgoing documents per issuer and year (ND30): the decision's number is the
        # next one of the authority's register, shared with its plans and other documents
        # (registered by `documents`: nominations.numbering)
        decision.sequence = decision_number_allocate(
            acting_user=acting_user,
            issuer=authority,
            title=f"Quyết định khen thưởng hồ sơ “{dossier.title}”",
            issued_on=issued_on,
            subject=decision,
        )
        decision.save(update_fields=["sequence"])
        records = [_award_record(acting_user=acting_user, item=item, decision=decision) for item in accepted]
        decision.award_records.set(records)
        transition = DOSSIER.fire(dossier, "decide", acting_user)
        dossier.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=decision,
            unit=authority,
            summary=f"Ban hành Quyết định số {decision.number} ngày {issued_on:%d/%m/%Y}: khen thưởng "
            f"{len(records)} đề nghị của “{dossier.proposing_unit.name}”",
        )
        _notify(
            recipients_for(dossier, transition),
            f"Đã có Quyết định số {decision.number} khen thưởng hồ sơ “{dossier.title}”",
            dossier.get_absolute_url(),
            actor=acting_user,
        )
    return decision


def _award_record(*, acting_user, item: NominationItem, decision: Decision):
    if item.person_id:
        membership = Membership.objects.filter(person_id=item.person_id, ended_on__isnull=True).first()
        scope_unit = membership.unit if membership else decision.dossier.proposing_unit
    else:
        scope_unit = item.unit
    record = AwardRecord.objects.create(
        person=item.person,
        unit=item.unit,
        scope_unit=scope_unit,
        award_type=item.award_type,
        year=decision.dossier.year,
        decision_number=decision.number,
        decision_date=decision.issued_on,
        issuing_unit=decision.issuing_unit,
        achievement_id=item.achievement_id or f"HS{decision.dossier_id}-{item.pk}",
        achievement_summary=item.achievement_summary,
        subject_category=item.subject_category if item.person_id else "",
        entered_by=acting_user,
    )
    # An award that served as prerequisite of a higher one is "used" (R-GEN-01): as many as it declares.
    decl = award_declaration(item.award_type.code)
    if decl is not None and decl.prerequisite is not None and item.person_id:
        code, count = decl.prerequisite.code, decl.prerequisite.count
        used = list(
            AwardRecord.objects.select_for_update()
            .filter(person_id=item.person_id, award_type__code=code, status="VALID", used_for__isnull=True)
            .order_by("-year")[:count]
        )
        AwardRecord.objects.filter(pk__in=[r.pk for r in used]).update(used_for=record)
    return record
