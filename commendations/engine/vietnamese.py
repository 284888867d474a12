"""Vietnamese labels and number/date formatting (comma decimal, dot thousands) for explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

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


def fmt_int(value: int) -> str:
    """90000000 -> '90.000.000'."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def fmt_number(value: Fraction | int | float, *, places: int = 2) -> str:
    """Vietnamese decimal: 81.25 -> '81,25'; 20 -> '20'; 1234.5 -> '1.234,5' (rounded half up)."""
    if isinstance(value, int):
        return fmt_int(value)
    exact = Fraction(str(value)) if isinstance(value, float) else value
    num, den = abs(exact.numerator), exact.denominator
    scale = 10**places
    scaled = (2 * num * scale + den) // (2 * den)  # round half up, in integers
    whole, frac = divmod(scaled, scale)
    sign = "-" if exact < 0 and scaled else ""
    text = sign + fmt_int(whole)
    frac_digits = f"{frac:0{places}d}".rstrip("0") if places else ""
    return f"{text},{frac_digits}" if frac_digits else text


def fmt_percent(share: Fraction | float) -> str:
    """Fraction(13, 16) -> '81,25 %'."""
    exact = Fraction(str(share)) if isinstance(share, float) else Fraction(share)
    return f"{fmt_number(exact * 100)} %"


def fmt_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def fmt_vnd(value: int) -> str:
    return f"{fmt_int(value)} đồng"


def fmt_years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def fmt_year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"
