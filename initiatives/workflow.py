"""The initiative workflow as one table (`core.workflow`): a draft is submitted by its authors, its
creator or an officer; the council of the unit (initiative.review) scores it and recognises or rejects
it. The services fire these transitions; the initiative page renders exactly what the user may fire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access import Action, can
from core.workflow import Transition, Workflow

from .choices import REVIEWABLE
from .choices import Status as S

if TYPE_CHECKING:
    from organizations.models import OrgUnit

    from .models import Initiative


def unit(initiative):
    return initiative.unit


def may_record(user, unit: OrgUnit) -> bool:
    """May the user record initiatives on behalf of others in this unit?"""
    return can(user, Action.INITIATIVE_CHANGE, unit.path)


def may_edit(user, initiative: Initiative, author_ids: set[int] | None = None) -> bool:
    """Drafts are edited and submitted by their authors, their creator or an emulation officer."""
    if not initiative.is_draft:
        return False
    if may_record(user, initiative.unit):
        return True
    if initiative.created_by_id and initiative.created_by_id == getattr(user, "pk", None):
        return True
    if author_ids is None:
        author_ids = set(initiative.authors.values_list("person_id", flat=True))
    return bool(getattr(user, "person_id", None)) and user.person_id in author_ids


def _may_edit(initiative, user) -> bool:
    return may_edit(user, initiative)


def _may_score(initiative, user) -> str | None:
    person_id = getattr(user, "person_id", None)
    if person_id and initiative.authors.filter(person_id=person_id).exists():
        return "Tác giả không được chấm sáng kiến của chính mình."
    if initiative.reviews.filter(reviewer_id=user.pk).exists():
        return "Bạn đã chấm sáng kiến này (mỗi thành viên Hội đồng chấm một phiếu)."
    return None


INITIATIVE = Workflow(
    [
        Transition(
            "edit",
            (S.DRAFT,),
            None,
            Action.INITIATIVE_CHANGE,
            unit,
            "Sửa",
            permit=_may_edit,
            audit="initiative.update",
            refusal="Chỉ sửa được sáng kiến ở trạng thái bản nháp (chưa nộp).",
        ),
        Transition(
            "submit",
            (S.DRAFT,),
            S.SUBMITTED,
            Action.INITIATIVE_CHANGE,
            unit,
            "Nộp để chấm",
            permit=_may_edit,
            audit="initiative.submit",
            refusal="Sáng kiến này đã được nộp.",
        ),
        Transition(
            "review",
            REVIEWABLE,
            S.UNDER_REVIEW,
            Action.INITIATIVE_REVIEW,
            unit,
            "Chấm điểm",
            guard=_may_score,
            audit="initiative.review",
            refusal="Sáng kiến không ở giai đoạn chấm điểm.",
        ),
        Transition(
            "decide",
            REVIEWABLE,
            (S.RECOGNIZED, S.REJECTED),
            Action.INITIATIVE_REVIEW,
            unit,
            "Quyết định",
            audit="initiative.decide",
            refusal="Sáng kiến không ở giai đoạn xét công nhận.",
        ),
    ],
    field="status",
)


def allowed_names(initiative, user) -> set[str]:
    return {t.name for t in INITIATIVE.allowed(initiative, user)}
