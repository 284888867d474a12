from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        from . import ids  # noqa: F401  (registers the `dbid` path converter every urls.py uses)
