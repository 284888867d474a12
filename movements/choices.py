from django.db import models

from commendations.engine.declarations import DECLARATIONS


class MovementKind(models.TextChoices):
    YEARLY = "YEARLY", "Thi đua thường xuyên (hằng năm)"
    THEMATIC = "THEMATIC", "Thi đua chuyên đề"
    PEAK = "PEAK", "Đợt thi đua cao điểm"
    CAMPAIGN = "CAMPAIGN", "Cuộc vận động"


class MovementStatus(models.TextChoices):
    DRAFT = "DRAFT", "Dự thảo"
    LAUNCHED = "LAUNCHED", "Đã phát động"
    CLOSED = "CLOSED", "Đã tổng kết"


class Audience(models.TextChoices):
    ALL = "ALL", "Mọi đoàn viên và tập thể"
    WOMEN = "WOMEN", "Nữ đoàn viên"
    INDIVIDUALS = "INDIVIDUALS", "Cá nhân"
    COLLECTIVES = "COLLECTIVES", "Tập thể"


class MilestoneKind(models.TextChoices):
    LAUNCH = "LAUNCH", "Phát động"
    MIDYEAR = "MIDYEAR", "Sơ kết"
    FINAL = "FINAL", "Tổng kết"


class ReportStage(models.TextChoices):
    MIDYEAR = "MIDYEAR", "Sơ kết"
    FINAL = "FINAL", "Tổng kết"


class Rating(models.TextChoices):
    HTXS = "HTXS", "Hoàn thành xuất sắc nhiệm vụ"
    HTT = "HTT", "Hoàn thành tốt nhiệm vụ"
    HT = "HT", "Hoàn thành nhiệm vụ"
    KHT = "KHT", "Không hoàn thành nhiệm vụ"


class Discipline(models.TextChoices):
    KHIEN_TRACH = "KHIEN_TRACH", "Khiển trách"
    CANH_CAO = "CANH_CAO", "Cảnh cáo"
    HA_BAC_LUONG = "HA_BAC_LUONG", "Hạ bậc lương"
    CACH_CHUC = "CACH_CHUC", "Cách chức"
    BUOC_THOI_VIEC = "BUOC_THOI_VIEC", "Buộc thôi việc"


# Titles one may register for: the award types declared with a registration title (the award declarations,
# commendations/engine/awards.py — pure data, no Django), then the movement titles that are no award type.
_OTHER_INDIVIDUAL_TITLES = [
    ("GVNDVN", "Giỏi việc nước, đảm việc nhà"),
    ("LDG_LDST", "Lao động giỏi, Lao động sáng tạo"),
]
_OTHER_COLLECTIVE_TITLES = [("CDCS_VMXS", "Công đoàn cơ sở vững mạnh xuất sắc")]


def _declared_titles(kind: str) -> list[tuple[str, str]]:
    return [
        (d.code, d.registration_title)
        for d in DECLARATIONS.values()
        if d.registration_title and kind in d.subjects
    ]


INDIVIDUAL_TITLES = _declared_titles("person") + _OTHER_INDIVIDUAL_TITLES
COLLECTIVE_TITLES = _declared_titles("collective") + _OTHER_COLLECTIVE_TITLES
TITLE_NAMES = dict(INDIVIDUAL_TITLES + COLLECTIVE_TITLES)
