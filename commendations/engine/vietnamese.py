"""Vietnamese labels and number/date formatting (comma decimal, dot thousands) for explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.numbers import fmt_int, fmt_number, fmt_percent  # noqa: F401 — the one formatter

RATING_LABELS = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ (HTXS)",
    "HTT": "Hoàn thành tốt nhiệm vụ (HTT)",
    "HT": "Hoàn thành nhiệm vụ (HT)",
    "KHT": "Không hoàn thành nhiệm vụ (KHT)",
}

SCOPE_LABELS = {
    "CO_SO": "cấp cơ sở",
    "TINH_BO": "cấp tỉnh/bộ, ngành",
    "TOAN_QUOC": "toàn quốc",
}

DISCIPLINE_LABELS = {
    "KHIEN_TRACH": "khiển trách",
    "CANH_CAO": "cảnh cáo",
    "HA_BAC_LUONG": "hạ bậc lương",
    "GIANG_CHUC": "giáng chức",
    "CACH_CHUC": "cách chức",
    "BAI_NHIEM": "bãi nhiệm",
    "BUOC_THOI_VIEC": "buộc thôi việc",
    "KHAI_TRU": "khai trừ",
}

SERVICE_MODE_LABELS = {
    "FULL_TIME": "chuyên trách",
    "PART_TIME": "không chuyên trách",
    "PART_TIME_NON_STATE": "không chuyên trách tại công đoàn doanh nghiệp ngoài khu vực nhà nước",
    "UNION_PUBLIC_SERVICE": "đơn vị sự nghiệp công đoàn",
    "OUTSIDE_UNION": "ngoài tổ chức công đoàn",
}

OFFICE_LABELS = {
    "BCH_TLD": "Ban Chấp hành Tổng LĐ",
    "UBKT_TLD": "Ủy ban Kiểm tra Tổng LĐ",
    "DOAN_CHU_TICH_TLD": "Đoàn Chủ tịch Tổng LĐ",
}

EDUCATION_LABELS = {
    "COLLEGE_OR_BELOW": "trình độ cao đẳng trở xuống",
    "UNIVERSITY_OR_ABOVE": "trình độ đại học trở lên",
}


def discipline_label(level: str) -> str:
    return DISCIPLINE_LABELS.get(level, level)


def fmt_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def fmt_vnd(value: int) -> str:
    return f"{fmt_int(value)} đồng"


def fmt_years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def fmt_year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"
