from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self):
        # Each app registers the providers of its own figures in its `metrics` module (`core.metrics`:
        # `members/metrics.py`, `movements/metrics.py`, …); reports imports none of them by name. Every
        # process that rebuilds counters (web, db_worker, management commands, bench) runs this first.
        autodiscover_modules("metrics")
        # every write that changes a figure refreshes its unit's counters after the commit (one task)
        from core import metrics

        from . import signals
        from .services import counters_changed

        signals.connect()
        metrics.register_refresher(counters_changed)
