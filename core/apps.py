from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import ids  # noqa: F401  (registers the `dbid` path converter every urls.py uses)
        from .search import ensure_search_indexes

        # SQLite: a table rebuilt by a later migration loses its FTS triggers; put them back
        post_migrate.connect(ensure_search_indexes, sender=self, dispatch_uid="core.search.ensure")
