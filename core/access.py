"""Permission scoping: one mechanism for pages, exports and (later) the API.

A user holds `RoleAssignment(role, unit, include_subtree)` rows. A role grants actions. For an action,
the user's *scopes* are the (unit path, include_subtree) pairs of the assignments whose role grants it.
`restrict(queryset, user, action)` filters any model that declares `SCOPE_LOOKUP`, the lookup to the
materialized path of the unit an object belongs to. Subtree = path prefix, so no recursion.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet


class Action:
    UNIT_VIEW = "unit.view"
    UNIT_MANAGE = "unit.manage"
    PERSON_VIEW = "person.view"
    PERSON_CHANGE = "person.change"
    PERSON_VIEW_SENSITIVE = "person.view_sensitive"
    AUDIT_VIEW = "audit.view"
    ROLE_MANAGE = "role.manage"
    # emulation movements, clusters and covenants, progress reports (organiser side)
    MOVEMENT_MANAGE = "movement.manage"
    # registering members and collectives on their behalf; entering year-end evaluations
    REGISTRATION_CHANGE = "registration.change"
    EVALUATION_CHANGE = "evaluation.change"
    PROGRESS_REPORT = "progress.report"
    # initiatives: record on behalf of authors; council scoring and recognition
    INITIATIVE_CHANGE = "initiative.change"
    INITIATIVE_REVIEW = "initiative.review"
    # nominations: prepare and submit a dossier; review it at a level; sign the decision
    NOMINATION_PREPARE = "nomination.prepare"
    NOMINATION_REVIEW = "nomination.review"
    DECISION_ISSUE = "decision.issue"
    # commendations: enter past awards in the registry; edit the rule sets (administrators)
    AWARD_RECORD = "award.record"
    RULESET_MANAGE = "ruleset.manage"


@dataclass(frozen=True)
class Scope:
    path: str
    include_subtree: bool

    def covers(self, path: str) -> bool:
        return path.startswith(self.path) if self.include_subtree else path == self.path


def _reduce(scopes: list[Scope]) -> list[Scope]:
    """Drop scopes already covered by a subtree scope (fewer OR terms in every query)."""
    subtrees = sorted({s.path for s in scopes if s.include_subtree}, key=len)
    kept_subtrees: list[str] = []
    for path in subtrees:
        if not any(path.startswith(p) for p in kept_subtrees):
            kept_subtrees.append(path)
    exact = {
        s.path
        for s in scopes
        if not s.include_subtree and not any(s.path.startswith(p) for p in kept_subtrees)
    }
    return [Scope(p, True) for p in kept_subtrees] + [Scope(p, False) for p in sorted(exact)]


def user_scopes(user, action: str) -> list[Scope]:
    """Scopes in which `user` may perform `action` (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_thidua_scopes", None)
    if cache is None:
        from accounts.roles import actions_for_role
        from accounts.selectors import active_assignments

        cache = {}
        for assignment in active_assignments(user=user):
            for granted in actions_for_role(assignment.role):
                cache.setdefault(granted, []).append(Scope(assignment.unit.path, assignment.include_subtree))
        cache = {key: _reduce(value) for key, value in cache.items()}
        user.__dict__["_thidua_scopes"] = cache
    return cache.get(action, [])


def is_global(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def can(user, action: str, path: str | None = None) -> bool:
    """May `user` perform `action` at all (path=None), or on the unit with this path?"""
    if is_global(user):
        return True
    scopes = user_scopes(user, action)
    if path is None:
        return bool(scopes)
    return any(scope.covers(path) for scope in scopes)


def require(user, action: str, path: str | None = None) -> None:
    if not can(user, action, path):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def scope_q(scopes: list[Scope], lookup: str) -> Q:
    q = Q()
    for scope in scopes:
        q |= (
            Q(**{f"{lookup}__startswith": scope.path}) if scope.include_subtree else Q(**{lookup: scope.path})
        )
    return q


def restrict(queryset: QuerySet, user, action: str) -> QuerySet:
    """The objects of `queryset` that `user` may see for `action`; none when out of scope.

    Models declare `SCOPE_LOOKUP` (e.g. "unit__path"); `SCOPE_MULTI = True` when that lookup crosses a
    to-many relation (filtered through a sub-query, so rows are never duplicated); `SELF_LOOKUP` names
    the person field that lets a user always see their own records.
    """
    model = queryset.model
    if is_global(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    lookup = model.SCOPE_LOOKUP
    scopes = user_scopes(user, action)
    q = scope_q(scopes, lookup) if scopes else None
    self_lookup = getattr(model, "SELF_LOOKUP", None)
    person_id = getattr(user, "person_id", None)
    self_q = Q(**{self_lookup: person_id}) if self_lookup and person_id else None
    if q is None and self_q is None:
        return queryset.none()
    if q is not None and getattr(model, "SCOPE_MULTI", False):
        q = Q(pk__in=model._default_manager.filter(q).values("pk"))
    combined = q if self_q is None else (self_q if q is None else q | self_q)
    return queryset.filter(combined)
