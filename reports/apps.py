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
        # a restructuring re-paths the counters of the years it changes (`organizations.tree`)
        from organizations.tree import register_tree_handler

        from .services import counters_follow_tree

        register_tree_handler("reports.counters", counters_follow_tree)
        # the tree, unit and home pages read their subtree figures from the pre-rolled totals
        from organizations.figures import register_unit_figures

        from .selectors import unit_page_figures

        register_unit_figures(figures=unit_page_figures)
        # the unit page's default year: the latest with registrations or initiatives in its totals
        from organizations.panels import register_year_source

        from .selectors import latest_figures_year

        register_year_source("reports.figures", latest_figures_year)
