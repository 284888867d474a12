"""The dossier workflow as one table. Services fire these transitions (`DOSSIER.fire`), the dossier page
renders exactly `DOSSIER.allowed(dossier, user)`, and notifications go to `recipients_for`.

Levels: the proposing unit (preparing), the pending step's level (review on the way up), the authority
(posting, council or direct approval, decision). "edit" and "open", "forward", "post", "moderate",
"approve" keep the state.
"""

from __future__ import annotations

from commendations.choices import RecordStatus
from commendations.engine.declarations import declaration as award_declaration
from core.access import Action
from core.workflow import Transition, Workflow

from .choices import DossierState as S
from .choices import SessionState, StepVerdict
from .models import ApprovalStep, Dossier

EDITABLE = (S.DRAFT, S.RETURNED, S.RECALLED)
ALREADY_HANDLED = "Hồ sơ đã được xử lý ở bước này (có thể bởi người khác). Hãy tải lại trang."


def pending_step(dossier: Dossier) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.filter(dossier_id=dossier.pk, verdict=StepVerdict.PENDING)
        .select_related("level")
        .first()
    )


# --- levels ------------------------------------------------------------------------------------------


def proposing_unit(dossier):
    return dossier.proposing_unit


def pending_level(dossier):
    step = pending_step(dossier)
    return step.level if step else None


def authority(dossier):
    return dossier.authority


def current_level(dossier):
    return dossier.current_level


# --- guards ------------------------------------------------------------------------------------------


def _recallable(dossier, user) -> str | None:
    step = pending_step(dossier)
    if step is None:
        return "Chỉ rút lại được hồ sơ đang chờ xét."
    if step.opened_at is not None:
        return f"“{step.level.name}” đã mở hồ sơ: không rút lại được nữa, hãy đề nghị trả lại."
    if ApprovalStep.objects.filter(dossier_id=dossier.pk, round=step.round).exclude(pk=step.pk).exists():
        return "Hồ sơ đã qua cấp xét đầu tiên: không rút lại được nữa."
    return None


def _unopened(dossier, user) -> str | None:
    step = pending_step(dossier)
    if step is None:
        return ALREADY_HANDLED
    return "Hồ sơ đã được mở ở bước này." if step.opened_at else None


def _intermediate(dossier, user) -> str | None:
    step = pending_step(dossier)
    if step is None:
        return ALREADY_HANDLED
    return "Đây là cấp có thẩm quyền: hãy tiếp nhận hồ sơ thay vì chuyển tiếp." if step.is_authority else None


def _at_authority(dossier, user) -> str | None:
    step = pending_step(dossier)
    if step is None:
        return ALREADY_HANDLED
    return (
        None
        if step.is_authority
        else "Chỉ cấp có thẩm quyền mới tiếp nhận hồ sơ; cấp trung gian hãy chuyển tiếp."
    )


def _pending(dossier, user) -> str | None:
    return None if pending_step(dossier) else ALREADY_HANDLED


def _not_posted(dossier, user) -> str | None:
    return "Hồ sơ không ở bước công khai lấy ý kiến." if hasattr(dossier, "posting") else None


def _posted(dossier, user) -> str | None:
    return None if hasattr(dossier, "posting") else "Hồ sơ chưa được công khai."


def award_needs_vote(code: str) -> bool:
    """Does the decision on this award rest on a council ballot (R-VOTE-01)? Declared per award
    (`AwardDeclaration.council_vote`); an award without a declaration is put to the council."""
    return getattr(award_declaration(code), "council_vote", True)


def needs_council_vote(dossier) -> bool:
    codes = set(dossier.items.values_list("award_type__code", flat=True))
    return any(award_needs_vote(code) for code in codes)


NEEDS_VOTE = (
    "Hồ sơ có khen thưởng phải được Hội đồng Thi đua – Khen thưởng bỏ phiếu: không xét duyệt trực tiếp được."
)
NOT_DECIDED = "Hồ sơ chưa có kết quả bỏ phiếu của Hội đồng hoặc chưa được xét duyệt trực tiếp."


def _direct(dossier, user) -> str | None:
    return NEEDS_VOTE if needs_council_vote(dossier) else None


def _voted(dossier, user) -> str | None:
    """Voted by the council (a closed session), or — where no award needs a vote — approved directly."""
    if dossier.council_sessions.filter(state=SessionState.CLOSED).exists():
        return None
    if dossier.approved_at is not None and not needs_council_vote(dossier):
        return None
    return NOT_DECIDED


# --- the table ---------------------------------------------------------------------------------------

SENT = "Hồ sơ đã gửi đi: không sửa được nữa (có thể rút lại nếu cấp trên chưa mở)."
PREPARE, REVIEW, ISSUE = Action.NOMINATION_PREPARE, Action.NOMINATION_REVIEW, Action.DECISION_ISSUE

DOSSIER = Workflow(
    [
        # adding/changing nominees and documents: each service writes its own audit action
        Transition("edit", EDITABLE, None, PREPARE, proposing_unit, "Sửa hồ sơ", refusal=SENT),
        Transition(
            "submit",
            EDITABLE,
            S.IN_REVIEW,
            PREPARE,
            proposing_unit,
            "Gửi lên cấp trên",
            audit="dossier.submit",
            notify=(REVIEW, current_level),
            refusal=SENT,
        ),
        Transition(
            "recall",
            (S.IN_REVIEW,),
            S.RECALLED,
            PREPARE,
            proposing_unit,
            "Rút lại hồ sơ",
            guard=_recallable,
            audit="dossier.recall",
            refusal="Chỉ rút lại được hồ sơ đang chờ xét.",
        ),
        Transition(
            "open",
            (S.IN_REVIEW,),
            None,
            REVIEW,
            pending_level,
            "Đánh dấu đã mở",
            guard=_unopened,
            audit="dossier.open",
            refusal=ALREADY_HANDLED,
        ),
        Transition(
            "forward",
            (S.IN_REVIEW,),
            None,
            REVIEW,
            pending_level,
            "Đồng ý, chuyển cấp trên",
            guard=_intermediate,
            audit="dossier.forward",
            notify=(REVIEW, current_level),
            refusal=ALREADY_HANDLED,
        ),
        Transition(
            "return",
            (S.IN_REVIEW,),
            S.RETURNED,
            REVIEW,
            pending_level,
            "Trả lại",
            guard=_pending,
            audit="dossier.return",
            notify=(PREPARE, proposing_unit),
            refusal=ALREADY_HANDLED,
        ),
        Transition(
            "accept",
            (S.IN_REVIEW,),
            (S.POSTED, S.IN_COUNCIL),
            REVIEW,
            pending_level,
            "Tiếp nhận hồ sơ",
            guard=_at_authority,
            audit="dossier.accept",
            refusal=ALREADY_HANDLED,
        ),
        Transition(
            "post",
            (S.POSTED,),
            None,
            REVIEW,
            authority,
            "Công khai",
            guard=_not_posted,
            audit="dossier.post",
            refusal="Hồ sơ không ở bước công khai lấy ý kiến.",
        ),
        Transition(
            "moderate",
            (S.POSTED,),
            None,
            REVIEW,
            authority,
            "Duyệt ý kiến",
            guard=_posted,
            audit="dossier.comment_moderate",
            refusal="Hồ sơ đã kết thúc công khai: không duyệt ý kiến được nữa.",
        ),
        Transition(
            "close_posting",
            (S.POSTED,),
            S.IN_COUNCIL,
            REVIEW,
            authority,
            "Kết thúc công khai, trình Hội đồng",
            guard=_posted,
            audit="dossier.post_close",
            refusal="Hồ sơ chưa được công khai.",
        ),
        # no award of the dossier needs a council vote: the authority decides each nominee on the page
        Transition(
            "approve",
            (S.IN_COUNCIL,),
            None,
            REVIEW,
            authority,
            "Xét duyệt trực tiếp",
            guard=_direct,
            audit="dossier.approve",
            notify=(ISSUE, authority),
            refusal=NEEDS_VOTE,
        ),
        Transition(
            "decide",
            (S.IN_COUNCIL,),
            S.DECIDED,
            ISSUE,
            authority,
            "Ký, ban hành",
            guard=_voted,
            audit="decision.issue",
            notify=(PREPARE, proposing_unit),
            refusal=NOT_DECIDED,
        ),
        # fired by the same form as "decide" when no nominee reached the threshold
        Transition(
            "reject",
            (S.IN_COUNCIL,),
            S.REJECTED,
            ISSUE,
            authority,
            "Không khen thưởng",
            guard=_voted,
            audit="dossier.reject",
            notify=(PREPARE, proposing_unit),
            refusal=NOT_DECIDED,
        ),
    ]
)


# An award of the registry (commendations.AwardRecord.status): revoked on the issuing side (R-REV-01).
AWARD = Workflow(
    [
        Transition(
            "revoke",
            (RecordStatus.VALID,),
            RecordStatus.REVOKED,
            ISSUE,
            lambda record: record.issuing_unit,
            "Thu hồi",
            audit="award.revoke",
            refusal="Khen thưởng này đã bị thu hồi trước đó.",
        )
    ],
    field="status",
)


def allowed_names(dossier, user) -> set[str]:
    return {t.name for t in DOSSIER.allowed(dossier, user)}


def recipients_for(dossier, transition: Transition | str) -> list:
    """The users told about `transition` once fired: those who hold its `notify` action TODAY on the
    unit it names (an assignment on that unit, or on an ancestor with its subtree)."""
    from accounts.selectors import action_holders

    if isinstance(transition, str):
        transition = DOSSIER[transition]
    if transition.notify is None:
        return []
    action, level = transition.notify
    unit = level(dossier)
    return list(action_holders(action=action, unit=unit)) if unit is not None else []
