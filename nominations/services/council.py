"""Council sessions and the secret ballot: open a session, cast ballots, count them, close it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import Choice, DossierState, ItemStatus, SessionState
from ..eligibility import vote_threshold
from ..models import BallotReceipt, BallotTally, CouncilSession, Dossier, NominationItem
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
        # every nominee's tally row exists before the first vote: no vote ever inserts a row
        BallotTally.objects.bulk_create(
            [
                BallotTally(session=session, item=item)
                for item in NominationItem.objects.filter(dossier__in=locked).order_by("pk")
            ]
        )
        audit_record(
            actor=acting_user,
            action="council.open",
            obj=session,
            unit=unit,
            summary=f"Mở phiên họp Hội đồng “{session.title}” ({size} thành viên, {len(locked)} hồ sơ)",
        )
    return session


# the tally counter each choice increments
COUNTER = {Choice.YES: "yes", Choice.NO: "no", Choice.ABSTAIN: "abstain"}


def ballot_cast(*, acting_user, session: CouncilSession, item: NominationItem, choice: str) -> None:
    """Record that the member voted (receipt) and add the vote to the nominee's tally, in one
    transaction. No row per vote is stored: the one tally row of the nominee holds the three counters,
    so neither a row, its order nor a timestamp ties a choice to the receipt (see docs/architecture.md,
    "Secret ballot")."""
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
        BallotTally.objects.get_or_create(session=session, item=item)  # sessions opened before tallies
        counter = COUNTER[choice]
        BallotTally.objects.filter(session=session, item=item).update(**{counter: F(counter) + 1})


def turnout(*, session: CouncilSession, item: NominationItem) -> dict:
    """How many council members have voted on the nominee — all that may be shown while voting is open."""
    voted = BallotReceipt.objects.filter(session=session, item=item).count()
    return {"voted": voted, "size": session.council_size}


def tally(*, session: CouncilSession, item: NominationItem) -> dict:
    """The counted votes on the nominee (screens show them only once the session is closed)."""
    row = BallotTally.objects.filter(session=session, item=item).values("yes", "no", "abstain").first()
    counts = row or {"yes": 0, "no": 0, "abstain": 0}
    share = counts["yes"] / session.council_size if session.council_size else 0
    return {**counts, **turnout(session=session, item=item), "share": share}


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
