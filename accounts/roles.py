"""Roles and the actions they grant. A role is always held on a unit (optionally with its subtree)."""

from django.db import models

from core.access import Action


class Role(models.TextChoices):
    ADMIN = "ADMIN", "Quản trị hệ thống"
    OFFICER = "OFFICER", "Cán bộ thi đua, khen thưởng"
    LEADER = "LEADER", "Lãnh đạo đơn vị"
    COUNCIL = "COUNCIL", "Thành viên Hội đồng TĐKT"
    MEMBER = "MEMBER", "Đoàn viên"


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            Action.NOMINATION_PREPARE,
            Action.NOMINATION_REVIEW,
            Action.DECISION_ISSUE,
            Action.AWARD_RECORD,
            Action.RULESET_MANAGE,
            Action.MOVEMENT_MANAGE,
            Action.REGISTRATION_CHANGE,
            Action.EVALUATION_CHANGE,
            Action.PROGRESS_REPORT,
            Action.INITIATIVE_CHANGE,
            Action.INITIATIVE_REVIEW,
            Action.UNIT_VIEW,
            Action.UNIT_MANAGE,
            Action.PERSON_VIEW,
            Action.PERSON_CHANGE,
            Action.PERSON_VIEW_SENSITIVE,
            Action.AUDIT_VIEW,
            Action.ROLE_MANAGE,
        }
    ),
    Role.OFFICER: frozenset(
        {
            Action.NOMINATION_PREPARE,
            Action.NOMINATION_REVIEW,
            Action.AWARD_RECORD,
            Action.MOVEMENT_MANAGE,
            Action.REGISTRATION_CHANGE,
            Action.EVALUATION_CHANGE,
            Action.PROGRESS_REPORT,
            Action.INITIATIVE_CHANGE,
            Action.INITIATIVE_REVIEW,
            Action.UNIT_VIEW,
            Action.UNIT_MANAGE,
            Action.PERSON_VIEW,
            Action.PERSON_CHANGE,
            Action.PERSON_VIEW_SENSITIVE,
            Action.AUDIT_VIEW,
        }
    ),
    # a unit's leader also manages the accounts of its people (role.manage): who signs for the unit
    # decides who works in it; the officer keeps preparing and reviewing, never both granting and signing
    Role.LEADER: frozenset(
        {
            Action.UNIT_VIEW,
            Action.PERSON_VIEW,
            Action.AUDIT_VIEW,
            Action.PROGRESS_REPORT,
            Action.DECISION_ISSUE,
            Action.ROLE_MANAGE,
        }
    ),
    Role.COUNCIL: frozenset({Action.UNIT_VIEW, Action.PERSON_VIEW, Action.INITIATIVE_REVIEW}),
    # A member sees the organisation and their own record (SELF_LOOKUP), not other people.
    Role.MEMBER: frozenset({Action.UNIT_VIEW}),
}


def actions_for_role(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())
