"""Codes of the initiatives app: fields, statuses, recognition levels and the review criteria."""

from django.db import models


class Field(models.TextChoices):
    KY_THUAT = "KY_THUAT", "Kỹ thuật – công nghệ"
    QUAN_LY = "QUAN_LY", "Quản lý – hành chính"
    GIAO_DUC = "GIAO_DUC", "Giáo dục – đào tạo"
    Y_TE = "Y_TE", "Y tế"
    CCHC = "CCHC", "Cải cách hành chính"
    CHUYEN_DOI_SO = "CDS", "Chuyển đổi số"
    KHAC = "KHAC", "Khác"


class Status(models.TextChoices):
    DRAFT = "DRAFT", "Bản nháp"
    SUBMITTED = "SUBMITTED", "Đã nộp, chờ chấm"
    UNDER_REVIEW = "UNDER_REVIEW", "Đang chấm"
    RECOGNIZED = "RECOGNIZED", "Được công nhận"
    REJECTED = "REJECTED", "Không công nhận"


class Level(models.TextChoices):
    CO_SO = "CO_SO", "Cấp cơ sở"
    TINH_BO = "TINH_BO", "Cấp tỉnh, bộ, ngành, Tổng LĐ"
    TOAN_QUOC = "TOAN_QUOC", "Toàn quốc"


# The highest (smallest) OrgUnitType.rank of a unit that may confer the level: cơ sở by the CĐCS (rank 40)
# or above; tỉnh/bộ by the LĐLĐ tỉnh, CĐ ngành, CĐ Viên chức (rank ≤ 20) or above; toàn quốc by the Tổng LĐ.
LEVEL_MAX_RANK = {Level.CO_SO: 40, Level.TINH_BO: 20, Level.TOAN_QUOC: 0}


class Verdict(models.TextChoices):
    ACCEPT = "ACCEPT", "Đề nghị công nhận"
    REJECT = "REJECT", "Không đề nghị công nhận"


# Review criteria, each scored 0–10 by every reviewer.
CRITERIA = [
    ("novelty", "Tính mới, sáng tạo"),
    ("applicability", "Khả năng áp dụng, nhân rộng"),
    ("effectiveness", "Hiệu quả, lợi ích mang lại"),
]
SCORE_MAX = 10

# Statuses in which the initiative is in the hands of the reviewing council.
REVIEWABLE = (Status.SUBMITTED, Status.UNDER_REVIEW)
