from collections.abc import Callable

from django.db import models


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


# Titles one may register for: the award types declared with a registration title, then the movement
# titles that are no award type. The award catalogue lives above movements (commendations), so it fills
# this registry from `CommendationsConfig.ready` with a source `source(kind) -> [(code, title), …]`
# (kind "person" or "collective"), read at each call: the lists below are never frozen at import time.
_OTHER_INDIVIDUAL_TITLES = [
    ("GVNDVN", "Giỏi việc nước, đảm việc nhà"),
    ("LDG_LDST", "Lao động giỏi, Lao động sáng tạo"),
]
_OTHER_COLLECTIVE_TITLES = [("CDCS_VMXS", "Công đoàn cơ sở vững mạnh xuất sắc")]

TitleSource = Callable[[str], list[tuple[str, str]]]
_TITLE_SOURCES: list[TitleSource] = []


def register_title_source(source: TitleSource) -> TitleSource:
    """Add a source of registration titles (idempotent: a source is listed once)."""
    if source not in _TITLE_SOURCES:
        _TITLE_SOURCES.append(source)
    return source


def unregister_title_source(source: TitleSource) -> None:
    if source in _TITLE_SOURCES:
        _TITLE_SOURCES.remove(source)


def _registered_titles(kind: str) -> list[tuple[str, str]]:
    return [title for source in _TITLE_SOURCES for title in source(kind)]


def individual_titles() -> list[tuple[str, str]]:
    """The titles a person may register for (choices: code, Vietnamese title)."""
    return _registered_titles("person") + _OTHER_INDIVIDUAL_TITLES


def collective_titles() -> list[tuple[str, str]]:
    """The titles a collective may register for."""
    return _registered_titles("collective") + _OTHER_COLLECTIVE_TITLES


def title_names() -> dict[str, str]:
    return dict(individual_titles() + collective_titles())
