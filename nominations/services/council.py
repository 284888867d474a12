"""Council sessions and the secret ballot: open a session, cast ballots, count them, close it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import Choice, DossierState, ItemStatus, SessionState
from ..eligibility import vote_threshold
from ..models import Ballot, BallotReceipt, CouncilSession, Dossier, NominationItem
from ..selectors import council_members
from .common import _lock_dossier


def council_session_open(
    *,
    acting_user,
    unit: OrgUnit,
    title: str,
    held_on: dt.date,
    dossiers: list[Dossier],
    starts_at: dt.time | None = None,
    place: str = "",
    secretary: str = "",
) -> CouncilSession:
    require(acting_user, Action.NOMINATION_REVIEW, unit.path)
    with transaction.atomic():
        locked = [_lock_dossier(d) for d in dossiers]
        wrong = [d.title for d in locked if d.state != DossierState.IN_COUNCIL or d.authority_id != unit.pk]
        if wrong:
            raise ServiceError("Hồ sơ chưa sẵn sàng trình Hội đồng của đơn vị này: " + ", ".join(wrong))
        size = council_members(unit=unit, on=held_on).count()
        if size == 0:
            raise ServiceError(f"“{unit.name}” chưa có danh sách thành viên Hội đồng TĐKT.")
        session = CouncilSession.objects.create(
            unit=unit,
            title=title.strip(),
            held_on=held_on,
            starts_at=starts_at,
            place=place.strip(),
            secretary=secretary.strip(),
            council_size=size,
            created_by=acting_user,
        )
        session.dossiers.set(locked)
        audit_record(
            actor=acting_user,
            action="council.open",
            obj=session,
            unit=unit,
            summary=f"Mở phiên họp Hội đồng “{session.title}” ({size} thành viên, {len(locked)} hồ sơ)",
        )
    return session


def ballot_cast(*, acting_user, session: CouncilSession, item: NominationItem, choice: str) -> None:
    """Record that the member voted (receipt) and, separately, the anonymous ballot."""
    if choice not in Choice.values:
        raise ServiceError("Phiếu không hợp lệ.", field="choice")
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.OPEN:
            raise ServiceError("Phiên họp đã kết thúc bỏ phiếu.")
        if not council_members(unit=session.unit, on=session.held_on).filter(user=acting_user).exists():
            raise ServiceError("Chỉ thành viên Hội đồng TĐKT của cấp có thẩm quyền mới được bỏ phiếu.")
        if not session.dossiers.filter(pk=item.dossier_id).exists():
            raise ServiceError("Người được đề nghị không thuộc phiên họp này.")
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(session=session, item=item, voter=acting_user)
        except IntegrityError as exc:
            raise ServiceError("Bạn đã bỏ phiếu cho người/tập thể này.") from exc
        Ballot.objects.create(session=session, item=item, choice=choice)


def tally(*, session: CouncilSession, item: NominationItem) -> dict:
    counts = dict.fromkeys(Choice.values, 0)
    rows = (
        Ballot.objects.filter(session=session, item=item).values("choice").annotate(n=Count("pk")).order_by()
    )
    for row in rows:
        counts[row["choice"]] = row["n"]
    voted = BallotReceipt.objects.filter(session=session, item=item).count()
    share = counts[Choice.YES] / session.council_size if session.council_size else 0
    return {
        "yes": counts[Choice.YES],
        "no": counts[Choice.NO],
        "abstain": counts[Choice.ABSTAIN],
        "voted": voted,
        "size": session.council_size,
        "share": share,
    }


def council_session_close(*, acting_user, session: CouncilSession) -> CouncilSession:
    """Count the ballots of every nominee against the rule set's threshold over ALL council members
    (absent members count as not yes — R-VOTE-01) and write the minutes."""
    require(acting_user, Action.NOMINATION_REVIEW, session.unit.path)
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.OPEN:
            raise ServiceError("Phiên họp đã kết thúc.")
        lines = [
            f"Phiên họp “{session.title}” ngày {session.held_on:%d/%m/%Y}; Hội đồng có {session.council_size} thành viên."
        ]
        for dossier in session.dossiers.select_for_update().order_by("pk"):
            threshold, rule_set = vote_threshold(received_on=dossier.received_on)
            for item in dossier.items.select_related("award_type", "person", "unit").order_by("position"):
                result = tally(session=session, item=item)
                passed = result["share"] >= threshold
                item.status = ItemStatus.ACCEPTED if passed else ItemStatus.REJECTED
                item.save(update_fields=["status"])
                lines.append(
                    f"- {item.nominee} — {item.award_type.name}: {result['yes']}/{result['size']} đồng ý "
                    f"({result['share'] * 100:.2f} %".replace(".", ",")
                    + f"), ngưỡng {threshold * 100:.0f} % "
                    f"theo {rule_set}: {'ĐẠT' if passed else 'KHÔNG ĐẠT'} (R-VOTE-01)"
                )
        session.state, session.closed_at = SessionState.CLOSED, timezone.now()
        session.minutes = "\n".join(lines)
        session.save()
        audit_record(
            actor=acting_user,
            action="council.close",
            obj=session,
            unit=session.unit,
            summary=f"Kết thúc bỏ phiếu phiên “{session.title}”",
            changes={"minutes": [None, session.minutes]},
        )
    return session
