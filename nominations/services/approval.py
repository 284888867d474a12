"""Direct approval: where no award of the dossier needs a council vote (`AwardDeclaration.council_vote`
is False — a Giấy khen, a Lao động tiên tiến title), the authority decides each nominee on the dossier
page ("Xét duyệt trực tiếp"), after acceptance (and the public posting when an award requires one); the
decision is then issued as after a council session (`decisions.decision_issue`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from ..choices import ItemStatus
from ..models import Dossier, NominationItem
from ..workflow import DOSSIER, recipients_for
from .common import _lock_dossier
from .notify import _notify


def dossier_approve(*, acting_user, dossier: Dossier, verdicts: dict[int, bool], note: str = "") -> Dossier:
    """Decide every nominee of the dossier at once: `verdicts` maps each item's pk to True (đồng ý) or
    False (không đồng ý). Every nominee needs a verdict; approving again before the decision replaces the
    earlier verdicts (each time audited)."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        if dossier.authority is not None:
            require(acting_user, Action.NOMINATION_REVIEW, dossier.authority.path)
        transition = DOSSIER.fire(dossier, "approve", acting_user)  # at the authority, no vote needed
        items = list(
            NominationItem.objects.select_for_update(of=("self",))
            .filter(dossier=dossier)
            .select_related("award_type", "person", "unit")
        )
        known = {i.pk for i in items}
        if set(verdicts) - known:
            raise ServiceError(
                "Có người được đề nghị không thuộc hồ sơ này. Hãy tải lại trang.", field="items"
            )
        missing = [str(i.nominee) for i in items if i.pk not in verdicts]
        if missing:
            raise ServiceError(
                "Chọn “Đồng ý” hoặc “Không đồng ý” cho: " + ", ".join(missing) + ".", field="items"
            )
        for item in items:
            item.status = ItemStatus.ACCEPTED if verdicts[item.pk] else ItemStatus.REJECTED
        NominationItem.objects.bulk_update(items, ["status"])
        dossier.approved_at = timezone.now()
        dossier.approved_by = acting_user
        dossier.save(update_fields=["approved_at", "approved_by", "updated_at"])
        agreed = [f"{i.nominee} ({i.award_type.name})" for i in items if verdicts[i.pk]]
        refused = [f"{i.nominee} ({i.award_type.name})" for i in items if not verdicts[i.pk]]
        parts = []
        if agreed:
            parts.append("đồng ý " + ", ".join(agreed))
        if refused:
            parts.append("không đồng ý " + ", ".join(refused))
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.authority,
            summary=f"“{dossier.authority.name}” xét duyệt trực tiếp hồ sơ “{dossier.title}”: "
            + "; ".join(parts)
            + (f". Ý kiến: {note.strip()}" if note.strip() else ""),
            changes={"approved": [None, agreed], "refused": [None, refused]},
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ đã xét duyệt, chờ ký quyết định: {dossier.title}",
            dossier.get_absolute_url(),
            actor=acting_user,
        )
    return dossier
