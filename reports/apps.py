from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self):
        from . import awards  # noqa: F401  (registers the award and nomination providers)
