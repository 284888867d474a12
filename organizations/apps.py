from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức công đoàn"

    def ready(self):
        # Each app's `panels.py` registers its parts of the unit page (`organizations.panels`).
        autodiscover_modules("panels")
        # Each app's `home.py` registers its cards of waiting work (`organizations.tasks_panel`).
        autodiscover_modules("home")
        # The role assignments of a unit that ends: accounts sits below organizations (it may not import
        # `organizations.hooks`), so its merge handler is registered from here.
        from accounts.restructuring import end_role_assignments, preview_role_ends
        from core import search

        from .hooks import register_merge_handler
        from .models import OrgUnit

        search.register(OrgUnit)  # organizations/0009: pg_trgm GIN / SQLite FTS5 on search_text

        register_merge_handler(
            "accounts.role_assignments",
            end_role_assignments,
            order=20,
            preview=preview_role_ends,
            title="Vai trò chấm dứt",
        )
