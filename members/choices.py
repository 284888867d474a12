from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class UnionRole(models.TextChoices):
    CHU_TICH = "CHU_TICH", "Chủ tịch"
    PHO_CHU_TICH = "PHO_CHU_TICH", "Phó Chủ tịch"
    UV_BCH = "UV_BCH", "Ủy viên Ban Chấp hành"
    TO_TRUONG = "TO_TRUONG", "Tổ trưởng"
    TO_PHO = "TO_PHO", "Tổ phó"
    DOAN_VIEN = "DOAN_VIEN", "Đoàn viên"


OFFICER_ROLES = (
    UnionRole.CHU_TICH,
    UnionRole.PHO_CHU_TICH,
    UnionRole.UV_BCH,
    UnionRole.TO_TRUONG,
    UnionRole.TO_PHO,
)


class WorkMode(models.TextChoices):
    """How the person does union work (counts toward service years for the Kỷ niệm chương)."""

    NONE = "NONE", "Không làm công tác công đoàn"
    FULL_TIME = "FULL_TIME", "Chuyên trách"
    PART_TIME = "PART_TIME", "Không chuyên trách"
