"""Permission scoping: ONE mechanism for pages, exports, documents and (later) the API.

A user holds `RoleAssignment(role, unit, include_subtree)` rows. A role grants actions. For an action,
the user's *scopes* are the (unit path, include_subtree) pairs of the assignments whose role grants it:
`include_subtree=True` covers the unit and everything below it (a path prefix, so no recursion),
`include_subtree=False` covers the unit alone — the same meaning for every model.

Every model a user can see declares how once, as `VISIBILITY` (a `Visibility`), and gets the scoped
queryset `Model.objects.restrict(user, action)`:
- `InSubtree("unit__path")` — the object belongs to a unit; seen where a scope covers that unit
  (`multi=True` when the lookup crosses a to-many relation; `self_lookup` lets a member see their own);
- `AlongPath("organiser__path")` — seen inside the organiser's scope *and* from every unit below the
  organiser (a movement is seen by the units it concerns);
- `Via("dossier")` — seen by whoever sees the related object (a decision, through its dossier);
- a subclass in the app's `visibility.py` for the rest (a dossier up its route and by the authority's
  council, a job by its creator).
Views fetch objects with `get_visible_or_404()`: 403 when the user holds the action nowhere, 404 when
the object is missing or outside their scope (one answer for both, so ids cannot be probed).

Nothing outside this module and the apps' `visibility.py` reads scopes (`user_scopes`, `scope_q`,
`is_global`): `core/tests/test_scoping_rule.py` fails when any other file does.

The kernel imports no app: the source of assignments is registered by `accounts` at start-up
(`register_scope_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404


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


NOT_ALLOWED = "Bạn không có quyền thực hiện thao tác này."
NOT_FOUND = "Không tìm thấy hoặc bạn không có quyền xem."


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


# The source of a user's grants: user -> iterable of (actions granted, unit path, include_subtree).
# Registered by `accounts` (AppConfig.ready), so the kernel never imports an app.
_scope_source: Callable[[object], Iterable[tuple[Iterable[str], str, bool]]] | None = None


def register_scope_source(source: Callable[[object], Iterable[tuple[Iterable[str], str, bool]]]) -> None:
    global _scope_source
    _scope_source = source


def user_scopes(user, action: str) -> list[Scope]:
    """Scopes in which `user` may perform `action` (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_thidua_scopes", None)
    if cache is None:
        if _scope_source is None:  # pragma: no cover - accounts is always installed
            raise RuntimeError("No scope source registered (is the accounts app installed?)")
        cache = {}
        for actions, path, include_subtree in _scope_source(user):
            for granted in actions:
                cache.setdefault(granted, []).append(Scope(path, include_subtree))
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
        raise PermissionDenied(NOT_ALLOWED)


def covering_paths(user, action: str, path: str) -> list[str] | None:
    """Paths of the units through which `user` holds `action` on the unit at `path`, highest first —
    the level at which they act for it, e.g. the council they sit on (None = any level, a superuser)."""
    if is_global(user):
        return None
    return sorted((s.path for s in user_scopes(user, action) if s.covers(path)), key=len)


def scope_roots(user, action: str) -> list[str] | None:
    """Paths of the top units of the user's scopes for `action` (None = everything, for a superuser)."""
    if is_global(user):
        return None
    return [scope.path for scope in user_scopes(user, action)]


def scope_q(scopes: list[Scope], lookup: str) -> Q:
    q = Q()
    for scope in scopes:
        q |= (
            Q(**{f"{lookup}__startswith": scope.path}) if scope.include_subtree else Q(**{lookup: scope.path})
        )
    return q


def ancestor_or_self_paths(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


# --------------------------------------------------------------------------- visibility declarations
class Visibility:
    """How the rows of one model are seen. `q()` returns the filter for a (non-global, signed-in) user,
    or None when they see nothing. `multi=True` filters through a sub-query (no duplicate rows)."""

    multi = False

    def q(self, *, model, user, action: str) -> Q | None:  # pragma: no cover - abstract
        raise NotImplementedError


def _self_q(self_lookup: str | None, user) -> Q | None:
    person_id = getattr(user, "person_id", None)
    return Q(**{self_lookup: person_id}) if self_lookup and person_id else None


def _or(*qs: Q | None) -> Q | None:
    kept = [q for q in qs if q is not None]
    if not kept:
        return None
    result = kept[0]
    for q in kept[1:]:
        result |= q
    return result


@dataclass(frozen=True)
class InSubtree(Visibility):
    """The object belongs to the unit at `lookup` (a path); seen where a scope covers that unit."""

    lookup: str
    multi: bool = False
    self_lookup: str | None = None  # a member always sees their own records

    def q(self, *, model, user, action):
        scopes = user_scopes(user, action)
        return _or(scope_q(scopes, self.lookup) if scopes else None, _self_q(self.self_lookup, user))


@dataclass(frozen=True)
class AlongPath(Visibility):
    """Seen inside the scope of the unit at `lookup` *and* from every unit below it: a scope on unit U
    sees the objects of U's ancestors and of U itself, and — with its subtree — those below U."""

    lookup: str
    steplen: int = 4

    def q(self, *, model, user, action):
        terms = []
        for scope in user_scopes(user, action):
            terms.append(Q(**{f"{self.lookup}__in": ancestor_or_self_paths(scope.path, self.steplen)}))
            if scope.include_subtree:
                terms.append(Q(**{f"{self.lookup}__startswith": scope.path}))
        return _or(*terms)


@dataclass(frozen=True)
class Via(Visibility):
    """Seen by whoever sees the object behind the foreign key `field` (a decision: its dossier)."""

    field: str

    def q(self, *, model, user, action):
        related = model._meta.get_field(self.field).related_model
        return Q(**{f"{self.field}__in": restrict(related._default_manager.all(), user, action).values("pk")})


def restrict(queryset: QuerySet, user, action: str) -> QuerySet:
    """The objects of `queryset` that `user` may see for `action`, by the model's `VISIBILITY`."""
    model = queryset.model
    if is_global(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    visibility: Visibility = model.VISIBILITY
    q = visibility.q(model=model, user=user, action=action)
    if q is None:
        return queryset.none()
    if visibility.multi:
        q = Q(pk__in=model._base_manager.filter(q).values("pk"))
    return queryset.filter(q)


class ScopedQuerySetMixin:
    def restrict(self, user, action: str):
        """NetBox-style: `Model.objects.restrict(user, action)` — the rows `user` may see for `action`."""
        return restrict(self, user, action)


class ScopedQuerySet(ScopedQuerySetMixin, QuerySet):
    pass


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(
    queryset, user, action: str, *, not_found: str = NOT_FOUND, held_by_role: bool = True, **lookup
):
    """Fetch one object for a view: 403 when `user` holds `action` nowhere, 404 when it does not exist
    or lies outside their scope (the same answer, so ids cannot be probed). `held_by_role=False` for
    models whose visibility is not granted by roles alone (a council seat shows a session): 404 only."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if held_by_role and not can(user, action):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        return restrict(queryset, user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(not_found) from exc
