"""The union organisation tree.

OrgUnit is a treebeard materialized-path node: a subtree is a path-prefix range, so every scoped query
is one indexed filter with no recursion. Units are never deleted: they end (`valid_to`) and may name a
`successor` (merges), so history and past awards keep pointing at the unit that existed then.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.access import InSubtree, ScopedQuerySetMixin
from core.text import fold, normalize


class OrgUnitType(models.Model):
    code = models.CharField("Mã", max_length=32, unique=True)
    name = models.CharField("Tên loại", max_length=150)
    short_name = models.CharField("Tên viết tắt", max_length=60)
    rank = models.PositiveSmallIntegerField("Cấp (thứ tự)", default=0)
    is_grassroots = models.BooleanField("Là công đoàn cơ sở", default=False)
    holds_members = models.BooleanField("Có đoàn viên sinh hoạt trực tiếp", default=False)
    historic = models.BooleanField("Chỉ còn trong lịch sử", default=False)
    # the day the type stopped being created (LĐLĐ quận, huyện: 01/07/2025, the two-level local government);
    # units of the type keep their history, no new one may be founded on or after it
    valid_to = models.DateField("Không thành lập mới từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "Loại đơn vị"
        verbose_name_plural = "Loại đơn vị"
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name

    def ended_on(self, day) -> bool:
        return self.valid_to is not None and day >= self.valid_to

    def ended_message(self) -> str:
        return (
            f"Loại đơn vị “{self.name}” không còn được thành lập mới từ ngày {self.valid_to:%d/%m/%Y} "
            "(sắp xếp tổ chức bộ máy năm 2025): hãy chọn loại đơn vị khác."
        )


class Sector(models.Model):
    code = models.CharField("Mã", max_length=32, unique=True)
    name = models.CharField("Tên khối", max_length=150)

    class Meta:
        verbose_name = "Khối"
        verbose_name_plural = "Khối"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnitQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    pass


class OrgUnitManager(MP_NodeManager):
    """treebeard's manager (ordered by path) with `.restrict(user, action)`."""

    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")


class OrgUnit(MP_Node):
    name = models.CharField("Tên đơn vị", max_length=255)
    short_name = models.CharField("Tên viết tắt", max_length=100, blank=True)
    code = models.CharField("Mã đơn vị", max_length=50, unique=True)
    unit_type = models.ForeignKey(OrgUnitType, verbose_name="Loại đơn vị", on_delete=models.PROTECT)
    sector = models.ForeignKey(Sector, verbose_name="Khối", null=True, blank=True, on_delete=models.PROTECT)
    area = models.CharField("Địa bàn", max_length=150, blank=True)
    # an official administrative unit (organizations.areas: "X00004", before 2025 "cu:H282"); `area`
    # keeps its name as typed or chosen, shown when no code is set
    area_code = models.CharField("Mã địa bàn hành chính", max_length=20, blank=True)
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="Đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "search_text"])

    steplen = 4
    VISIBILITY = InSubtree("path")
    objects = OrgUnitManager()

    class Meta:
        verbose_name = "Đơn vị công đoàn"
        verbose_name_plural = "Đơn vị công đoàn"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name, self.short_name = normalize(self.name), normalize(self.short_name)
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = list({*kwargs["update_fields"], "search_text"})
        super().save(*args, **kwargs)

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def ancestor_paths(self) -> list[str]:
        """Paths of all ancestors, root first (computed from the path: no query)."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]


class UnitPlacement(models.Model):
    """A parent a unit had in the past (the dated tree, `organizations.tree`): from `valid_from` to
    `valid_to` (both inclusive; `valid_from` None: since the unit began) under `parent`, ended by the move
    decided by `document_number`/`document_date`. A unit sits under its current (treebeard) parent from the
    day after its last placement ended, or since it began when it has none."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="placements"
    )
    parent = models.ForeignKey(
        OrgUnit, verbose_name="Trực thuộc", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField("Từ ngày", null=True, blank=True)
    valid_to = models.DateField("Đến ngày")
    document_number = models.CharField("Số văn bản", max_length=100, blank=True)
    document_date = models.DateField("Ngày văn bản", null=True, blank=True)
    reason = models.CharField("Lý do", max_length=255, blank=True)

    class Meta:
        verbose_name = "Quá trình trực thuộc"
        verbose_name_plural = "Quá trình trực thuộc"
        indexes = [
            models.Index(fields=["unit", "valid_to"], name="placement_unit_to"),
            models.Index(fields=["valid_to"], name="placement_to"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.parent_id} đến {self.valid_to}"


class Succession(models.Model):
    """One line of a unit's lineage: `predecessor` went (wholly or in part) into `successor` from `on`, by
    the deciding document. Written by merge, dissolve, consolidation and split; read by the unit page's
    lineage and by the successor rule for collective titles (R-ORG-01)."""

    class Kind(models.TextChoices):
        MERGE = "sap_nhap", "Sáp nhập"
        DISSOLVE = "giai_the", "Giải thể"
        CONSOLIDATE = "hop_nhat", "Hợp nhất"
        SPLIT = "chia_tach", "Chia tách"

    predecessor = models.ForeignKey(
        OrgUnit, verbose_name="Đơn vị trước", on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        OrgUnit, verbose_name="Đơn vị kế thừa", on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField("Hình thức", max_length=16, choices=Kind.choices)
    on = models.DateField("Từ ngày")
    document_number = models.CharField("Số văn bản", max_length=100, blank=True)
    document_date = models.DateField("Ngày văn bản", null=True, blank=True)

    class Meta:
        verbose_name = "Kế thừa đơn vị"
        verbose_name_plural = "Kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "on"], name="succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.kind}, {self.on})"


class TreeYear(models.Model):
    """A past year whose tree (on 31/12) a later move made different from today's: its paths are
    materialised in `UnitYearPath` (`organizations.tree.year_sync`)."""

    year = models.PositiveSmallIntegerField("Năm", unique=True)
    built_at = models.DateTimeField("Dựng lúc")
    units = models.PositiveIntegerField("Số đơn vị", default=0)

    class Meta:
        verbose_name = "Cây tổ chức của năm"
        verbose_name_plural = "Cây tổ chức của năm"

    def __str__(self) -> str:
        return str(self.year)


class UnitYearPath(models.Model):
    """Where a unit stood in the tree of a past year (`TreeYear`): its parent then and its path in that
    year's own namespace (today's path wherever its ancestry is unchanged). `existed`: the unit was open
    at some time in the year (units founded later are placed, so their figures roll up, but not listed)."""

    year = models.PositiveSmallIntegerField("Năm")
    unit = models.ForeignKey(OrgUnit, verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        OrgUnit, verbose_name="Trực thuộc", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField("Đường dẫn", max_length=255)
    depth = models.PositiveSmallIntegerField("Cấp")
    existed = models.BooleanField("Đang hoạt động trong năm", default=True)

    class Meta:
        verbose_name = "Vị trí của đơn vị trong năm"
        verbose_name_plural = "Vị trí của đơn vị trong năm"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="unityearpath_unique"),
            models.UniqueConstraint(fields=["year", "path"], name="unityearpath_path_unique"),
        ]
        indexes = [
            models.Index(
                fields=["year", "path"],
                name="unityearpath_prefix",
                opclasses=["int2_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.path}"
