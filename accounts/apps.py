from django.apps import AppConfig


def _grants(user):
    """The user's active assignments as (actions, unit path, include_subtree) — the kernel's scope source."""
    from .roles import actions_for_role
    from .selectors import active_assignments

    for assignment in active_assignments(user=user):
        yield actions_for_role(assignment.role), assignment.unit.path, assignment.include_subtree


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self):
        from core.access import register_scope_source

        register_scope_source(_grants)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("account_pickers")  # members/account_pickers.py (accounts.pickers)
        from . import middleware  # noqa: F401  (the sign-in clock, a user_logged_in receiver)
