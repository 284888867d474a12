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

from core.access import InSubtree, ScopedManager, ScopedQuerySetMixin
from core.text import fold


class OrgUnitType(models.Model):
    code = models.CharField("Mã", max_length=32, unique=True)
    name = models.CharField("Tên loại", max_length=150)
    short_name = models.CharField("Tên viết tắt", max_length=60)
    rank = models.PositiveSmallIntegerField("Cấp (thứ tự)", default=0)
    is_grassroots = models.BooleanField("Là công đoàn cơ sở", default=False)
    holds_members = models.BooleanField("Có đoàn viên sinh hoạt trực tiếp", default=False)
    historic = models.BooleanField("Chỉ còn trong lịch sử", default=False)

    class Meta:
        verbose_name = "Loại đơn vị"
        verbose_name_plural = "Loại đơn vị"
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


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


# --- Emulation clusters and blocks (cụm, khối thi đua) and their covenants (giao ước thi đua) -----------


class ClusterKind(models.TextChoices):
    CUM = "CUM", "Cụm thi đua"
    KHOI = "KHOI", "Khối thi đua"


class ClusterRole(models.TextChoices):
    LEADER = "LEADER", "Cụm trưởng"
    DEPUTY = "DEPUTY", "Cụm phó"
    MEMBER = "MEMBER", "Thành viên"


class Cluster(models.Model):
    """A group of units that an organiser unit (e.g. LĐLĐ huyện) sets up for one year: by area (cụm) or
    by sector (khối). Members, leader and deputy are in ClusterMember; the signed covenant in Covenant."""

    organiser = models.ForeignKey(
        OrgUnit, verbose_name="Đơn vị tổ chức", on_delete=models.PROTECT, related_name="organised_clusters"
    )
    year = models.PositiveSmallIntegerField("Năm")
    name = models.CharField("Tên cụm, khối", max_length=255)
    kind = models.CharField("Loại", max_length=8, choices=ClusterKind.choices, default=ClusterKind.CUM)
    note = models.TextField("Ghi chú", blank=True)
    flag_quota = models.PositiveSmallIntegerField("Số đơn vị được đề nghị tặng Cờ", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    VISIBILITY = InSubtree("organiser__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Cụm, khối thi đua"
        verbose_name_plural = "Cụm, khối thi đua"
        ordering = ["organiser_id", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "year", "name"], name="cluster_unique_name_per_year"
            ),
        ]
        indexes = [models.Index(fields=["organiser", "year"], name="cluster_organiser_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_block(self) -> bool:
        return self.kind == ClusterKind.KHOI

    def role_label(self, role: str) -> str:
        """“Cụm trưởng” / “Khối trưởng”, “Cụm phó” / “Khối phó”, “Thành viên”."""
        word = "Khối" if self.is_block else "Cụm"
        return {ClusterRole.LEADER: f"{word} trưởng", ClusterRole.DEPUTY: f"{word} phó"}.get(
            role, "Thành viên"
        )


class ClusterMember(models.Model):
    """A unit in a cluster for the cluster's year. `organiser` and `year` repeat the cluster's so that the
    database itself refuses a unit in two clusters of the same organiser and year."""

    cluster = models.ForeignKey(
        Cluster, verbose_name="Cụm, khối", on_delete=models.CASCADE, related_name="members"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    organiser = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    role = models.CharField("Vai trò", max_length=8, choices=ClusterRole.choices, default=ClusterRole.MEMBER)
    rank = models.PositiveSmallIntegerField("Xếp hạng", null=True, blank=True)
    score = models.DecimalField("Điểm", max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_for_flag = models.BooleanField("Đề nghị tặng Cờ thi đua", default=False)

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Đơn vị thành viên cụm, khối"
        verbose_name_plural = "Đơn vị thành viên cụm, khối"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit"], name="clustermember_unique_unit"),
            models.UniqueConstraint(
                fields=["organiser", "year", "unit"], name="clustermember_one_cluster_per_year"
            ),
            models.UniqueConstraint(
                fields=["cluster"], condition=models.Q(role="LEADER"), name="clustermember_one_leader"
            ),
            models.UniqueConstraint(
                fields=["cluster"], condition=models.Q(role="DEPUTY"), name="clustermember_one_deputy"
            ),
            models.UniqueConstraint(
                fields=["cluster", "rank"],
                condition=models.Q(rank__isnull=False),
                name="clustermember_unique_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cluster}"

    @property
    def role_label(self) -> str:
        return self.cluster.role_label(self.role)


class Covenant(models.Model):
    """The emulation covenant (giao ước thi đua) a cluster signs at the start of its year."""

    cluster = models.OneToOneField(
        Cluster, verbose_name="Cụm, khối", on_delete=models.CASCADE, related_name="covenant"
    )
    content = models.TextField("Nội dung giao ước")
    signed_on = models.DateField("Ngày ký")
    place = models.CharField("Địa điểm ký", max_length=255, blank=True)
    document = models.FileField("Văn bản giao ước (bản scan)", upload_to="covenants/%Y/", blank=True)
    signatories = models.ManyToManyField(
        OrgUnit, verbose_name="Đơn vị ký", related_name="signed_covenants", blank=True
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="Người ghi nhận", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    VISIBILITY = InSubtree("cluster__organiser__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Giao ước thi đua"
        verbose_name_plural = "Giao ước thi đua"

    def __str__(self) -> str:
        return f"Giao ước thi đua {self.cluster}"
