from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.access import Action, restrict

from .models import RoleAssignment


def active_assignments(*, user) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
    )


def unit_officers(*, user, unit) -> QuerySet[RoleAssignment]:
    """Role holders on exactly this unit, visible to anyone who may view the unit's people."""
    today = timezone.localdate()
    qs = (
        RoleAssignment.objects.filter(unit=unit, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return restrict(qs, user, Action.UNIT_VIEW)


def action_holders(*, action: str, unit, on=None) -> QuerySet:
    """Active users who hold `action` on `unit` on the day (today by default): an assignment valid that
    day whose role grants the action, on the unit itself or on an ancestor with its subtree."""
    from .models import User
    from .roles import ROLE_ACTIONS

    on = on or timezone.localdate()
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    assignments = (
        RoleAssignment.objects.filter(role__in=roles, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(unit=unit) | Q(include_subtree=True, unit__path__in=unit.ancestor_paths()))
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user")).order_by("pk")


def manageable_users(*, acting_user) -> QuerySet:
    """Users whose accounts `acting_user` may administer (temporary password, unlock): every role they hold
    is on a unit where `acting_user` holds `role.manage` — so nobody takes over an account that also
    acts above or beside their scope. Superusers and staff accounts only for a superuser; never oneself."""
    from .models import User

    users = User.objects.exclude(pk=acting_user.pk)
    if acting_user.is_superuser and acting_user.is_active:
        return users.order_by("username")
    inside = RoleAssignment.objects.restrict(acting_user, Action.ROLE_MANAGE)
    outside = RoleAssignment.objects.exclude(pk__in=inside.values("pk"))
    return (
        users.filter(pk__in=inside.values("user"), is_superuser=False, is_staff=False)
        .exclude(pk__in=outside.values("user"))
        .order_by("username")
    )


def locked_usernames(usernames) -> set[str]:
    """Those of `usernames` that django-axes currently locks out: their failures, summed over the
    addresses and browsers they came from (as axes counts them), at the limit and not cooled off."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum

    attempts = AccessAttempt.objects.filter(username__in=list(usernames))
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return set(
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def login_locked(*, username: str) -> bool:
    """Whether the account itself is locked (not only the address it is signing in from)."""
    return bool(username) and username in locked_usernames([username])


def role_managed_users(*, acting_user) -> QuerySet:
    """The users of the accounts screen: those holding (or having held) a role on a unit where
    `acting_user` holds `role.manage`, oneself included; superusers and staff accounts only for a
    superuser (who sees every account)."""
    from .models import User

    if acting_user.is_superuser and acting_user.is_active:
        return User.objects.order_by("username")
    inside = RoleAssignment.objects.restrict(acting_user, Action.ROLE_MANAGE)
    return User.objects.filter(pk__in=inside.values("user"), is_superuser=False, is_staff=False).order_by(
        "username"
    )


def managed_assignments(*, acting_user, user) -> QuerySet[RoleAssignment]:
    """`user`'s role assignments on the units where `acting_user` holds `role.manage` (current first, then
    the ended ones), with their units."""
    return (
        RoleAssignment.objects.restrict(acting_user, Action.ROLE_MANAGE)
        .filter(user=user)
        .select_related("unit")
        .order_by(F("valid_to").desc(nulls_first=True), "unit__path", "role")
    )


def is_active_assignment(assignment: RoleAssignment, on=None) -> bool:
    on = on or timezone.localdate()
    return assignment.valid_from <= on and (assignment.valid_to is None or assignment.valid_to >= on)


def covering_assignments(*, user, unit, on=None) -> QuerySet[RoleAssignment]:
    """`user`'s assignments valid on the day that cover `unit`: on the unit itself, or on an ancestor
    with its subtree."""
    on = on or timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(unit=unit) | Q(include_subtree=True, unit__path__in=unit.ancestor_paths()))
    )


def subtree_role_holders(*, unit, on=None) -> QuerySet:
    """Active users holding a role valid on the day on `unit` or a unit below it (the people a council
    seat of the unit may be given to), by name."""
    from .models import User

    on = on or timezone.localdate()
    assignments = (
        RoleAssignment.objects.filter(unit__path__startswith=unit.path, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values("user")
    )
    return User.objects.filter(is_active=True, pk__in=assignments).order_by("full_name", "username")
