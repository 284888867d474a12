"""Emulation clusters and blocks (cụm, khối thi đua) and their covenants (giao ước thi đua).

The models moved here from `organizations` with a state-only migration: they keep their tables
(`organizations_cluster`, `organizations_clustermember`, `organizations_covenant` and the covenant's
`organizations_covenant_signatories`) and their constraint and index names, so existing data stays put.
"""

from __future__ import annotations

from django.db import models

from core.access import InSubtree, ScopedManager
from organizations.models import OrgUnit

from .choices import ClusterKind, ClusterRole


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
        db_table = "organizations_cluster"
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
        db_table = "organizations_clustermember"
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
        db_table = "organizations_covenant"
        verbose_name = "Giao ước thi đua"
        verbose_name_plural = "Giao ước thi đua"

    def __str__(self) -> str:
        return f"Giao ước thi đua {self.cluster}"
