"""Per-unit yearly counters: the figures reports roll up the tree.

Each `UnitCounter` row holds one of a unit's OWN figures for a year (members sitting in the unit itself,
registrations made in it, evaluations entered for it, ...), never the subtree's. A subtree's figure is the
SUM over the rows whose `path` starts with the subtree's path in that year's tree (`organizations.tree`):
one indexed range, whatever the depth, the same for a past year as for the current one.
Rows are rebuilt from the raw tables by `reports.services.counters_rebuild` (a task, a command, the demo);
only non-zero figures are stored.

`UnitTotal` holds the same figures PRE-ROLLED: each unit's SUBTREE sum per year and metric (the unit and
every unit below it in that year's tree), so a unit's figure is one row per metric and its children's are
their own rows — the cost of a page grows with the children it shows, never with the subtree.
"""

from __future__ import annotations

from django.db import models

from core.access import InSubtree, ScopedManager


class UnitCounter(models.Model):
    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="counters"
    )
    year = models.PositiveSmallIntegerField("Năm")
    metric = models.CharField("Chỉ số", max_length=32)
    value = models.BigIntegerField("Giá trị", default=0)
    # the unit's path in the tree of `year` (`organizations.tree`: today's path, or the year's own for a
    # past year a later move changed); rollups of a year filter on it, so a past year costs what today does
    path = models.CharField("Đường dẫn trong năm", max_length=255, default="")

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Số liệu tổng hợp của đơn vị"
        verbose_name_plural = "Số liệu tổng hợp của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "metric"], name="unitcounter_unique"),
        ]
        indexes = [
            models.Index(fields=["year", "metric"], name="unitcounter_year_metric"),
            models.Index(
                fields=["year", "path"],
                name="unitcounter_year_path",
                opclasses=["int2_ops", "varchar_pattern_ops"],
                include=["metric", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.metric}={self.value}"


class UnitTotal(models.Model):
    """One of a unit's SUBTREE figures for a year: the SUM of the `UnitCounter` values of the unit and of
    every unit below it in the tree of `year` (`organizations.tree`). Written with the counters:
    `counters_rebuild` recomputes a year's totals from its counters, `counters_refresh` adds the delta of
    the refreshed units to each of their ancestors (in the same transaction, under the year's lock),
    `counters_follow_tree` recomputes the years a restructuring changed. Only non-zero totals are stored."""

    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="totals"
    )
    year = models.PositiveSmallIntegerField("Năm")
    metric = models.CharField("Chỉ số", max_length=32)
    value = models.BigIntegerField("Giá trị", default=0)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Số liệu toàn hệ thống đơn vị"
        verbose_name_plural = "Số liệu toàn hệ thống đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "metric"], name="unittotal_unique"),
        ]
        indexes = [models.Index(fields=["year", "metric"], name="unittotal_year_metric")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.metric}Σ={self.value}"


class CounterYear(models.Model):
    """One row per year: locked while the year's counters are rebuilt (rebuilds never interleave) and
    telling when they were last rebuilt."""

    year = models.PositiveSmallIntegerField("Năm", unique=True)
    rebuilt_at = models.DateTimeField("Tổng hợp lúc", null=True, blank=True)
    rows = models.PositiveIntegerField("Số dòng", default=0)
    seconds = models.FloatField("Thời gian (giây)", default=0)
    pending_since = models.DateTimeField("Chờ tổng hợp từ", null=True, blank=True)

    class Meta:
        verbose_name = "Lần tổng hợp số liệu"
        verbose_name_plural = "Lần tổng hợp số liệu"

    def __str__(self) -> str:
        return str(self.year)


class CounterState(models.Model):
    """How fresh one unit's own counters of a year are: `dirty_since` is set when a write changed its
    figures and a refresh is queued (cleared when the refresh ran), `refreshed_at` when they were last
    recomputed for this unit alone (`reports.services.counters_refresh`)."""

    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    dirty_since = models.DateTimeField("Chờ cập nhật từ", null=True, blank=True)
    refreshed_at = models.DateTimeField("Cập nhật lúc", null=True, blank=True)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Trạng thái số liệu của đơn vị"
        verbose_name_plural = "Trạng thái số liệu của đơn vị"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="counterstate_unique")]
        indexes = [models.Index(fields=["year", "dirty_since"], name="counterstate_year_dirty")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
