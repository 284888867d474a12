"""Choices of the emulation clusters and blocks (cụm, khối thi đua)."""

from django.db import models


class ClusterKind(models.TextChoices):
    CUM = "CUM", "Cụm thi đua"
    KHOI = "KHOI", "Khối thi đua"


class ClusterRole(models.TextChoices):
    LEADER = "LEADER", "Cụm trưởng"
    DEPUTY = "DEPUTY", "Cụm phó"
    MEMBER = "MEMBER", "Thành viên"
