"""Council sessions and the secret ballot: open a session, cast ballots, count them, close it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.selectors import action_holders
from commendations.models import RuleSet
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import Choice, DossierState, ItemStatus, SessionState
from ..eligibility import vote_threshold
from ..models import BallotReceipt, BallotTally, CouncilSession, Dossier, NominationItem
from ..selectors import council_members
from ..workflow import needs_council_vote
from .common import _lock_dossier
from .notify import _notify


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
        direct = [d.title for d in locked if not needs_council_vote(d)]
        if direct:
            raise ServiceError(
                "Hồ sơ không cần Hội đồng bỏ phiếu (xét duyệt trực tiếp trên trang hồ sơ): "
                + ", ".join(direct)
            )
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


def session_turnout(*, session: CouncilSession) -> dict:
    """The session's turnout as a whole: the council size, how many members voted on every nominee, the
    fewest votes any nominee has, and whether everyone voted on everything (`complete`). Three queries."""
    item_ids = list(BallotTally.objects.filter(session=session).values_list("item_id", flat=True))
    receipts = BallotReceipt.objects.filter(session=session)
    per_voter = list(receipts.values("voter").annotate(n=Count("id")).values_list("n", flat=True))
    per_item = dict(receipts.values("item").annotate(n=Count("id")).values_list("item", "n"))
    fewest = min((per_item.get(pk, 0) for pk in item_ids), default=0)
    size = session.council_size
    return {
        "size": size,
        "voters": len(per_voter),  # members who voted on at least one nominee
        "full_voters": sum(1 for n in per_voter if n >= len(item_ids)) if item_ids else 0,
        "fewest": fewest,
        "complete": bool(item_ids) and fewest >= size,
    }


class IncompleteTurnout(ServiceError):
    """Closing while some members have not voted needs the officer's confirmation (`turnout` says how many)."""

    def __init__(self, message: str, *, turnout: dict):
        super().__init__(message)
        self.turnout = turnout


def council_session_close(
    *, acting_user, session: CouncilSession, incomplete_confirmed: bool = True
) -> CouncilSession:
    """Count the ballots of every nominee against the rule set's threshold over ALL council members
    (absent members count as not yes — R-VOTE-01) and write the minutes. With `incomplete_confirmed=False`
    (the session screen) a session where not every member voted on every nominee is not closed:
    IncompleteTurnout says how many voted, and the officer confirms."""
    require(acting_user, Action.NOMINATION_REVIEW, session.unit.path)
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.OPEN:
            raise ServiceError("Phiên họp đã kết thúc.")
        if not incomplete_confirmed:
            counted = session_turnout(session=session)
            if not counted["complete"]:
                raise IncompleteTurnout(
                    f"Mới có {counted['full_voters']}/{counted['size']} thành viên Hội đồng bỏ phiếu cho tất cả "
                    "người được đề nghị. Thành viên chưa bỏ phiếu được tính là không đồng ý. "
                    "Xác nhận nếu vẫn muốn kết thúc bỏ phiếu.",
                    turnout=counted,
                )
        lines = [
            f"Phiên họp “{session.title}” ngày {session.held_on:%d/%m/%Y}; Hội đồng có {session.council_size} thành viên."
        ]
        rule_set_names = dict(RuleSet.objects.values_list("code", "name"))  # the minutes name the rule set
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
                    f"theo {rule_set_names.get(rule_set, rule_set)}: {'ĐẠT' if passed else 'KHÔNG ĐẠT'}"
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
        signers = action_holders(action=Action.DECISION_ISSUE, unit=session.unit).exclude(pk=acting_user.pk)
        for dossier in session.dossiers.order_by("pk"):
            _notify(
                signers,
                f"Hội đồng đã bỏ phiếu, chờ ký quyết định: {dossier.title}",
                dossier.get_absolute_url(),
                actor=acting_user,
            )
    return session
