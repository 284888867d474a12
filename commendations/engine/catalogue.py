"""Rule and award catalogue: IDs in the order of rules.md, Vietnamese names of awards."""

from __future__ import annotations

from collections.abc import Iterable

RULE_IDS: tuple[str, ...] = (
    "R-GEN-01",
    "R-GEN-02",
    "R-LDTT-01",
    "R-LDTT-02",
    "R-CSCS-01",
    "R-CSCS-02",
    "R-CSBO-01",
    "R-CSTQ-01",
    "R-TTTT-01",
    "R-TTXS-01",
    "R-COCP-01",
    "R-BK-01",
    "R-BKTTG-01",
    "R-BKCD-01",
    "R-LDST-01",
    "R-KNC-01",
    "R-KNC-02",
    "R-VOTE-01",
    "R-ORG-01",
    "R-ORG-02",
    "R-REV-01",
)
_RULE_POSITION = {rule_id: index for index, rule_id in enumerate(RULE_IDS)}

# code -> (full Vietnamese name, short name used inside sentences)
AWARD_NAMES: dict[str, tuple[str, str]] = {
    "LDTT": ("Lao động tiên tiến", "LĐTT"),
    "CSTDCS": ("Chiến sĩ thi đua cơ sở", "CSTĐ cơ sở"),
    "CSTD_BO": ("Chiến sĩ thi đua cấp bộ, ngành, tỉnh, Tổng Liên đoàn", "CSTĐ cấp bộ, ngành, tỉnh, Tổng LĐ"),
    "CSTD_TQ": ("Chiến sĩ thi đua toàn quốc", "CSTĐ toàn quốc"),
    "TTLDTT": ("Tập thể lao động tiên tiến", "Tập thể LĐTT"),
    "TTLDXS": ("Tập thể lao động xuất sắc", "Tập thể LĐXS"),
    "CO_TD_CP": ("Cờ thi đua của Chính phủ", "Cờ thi đua Chính phủ"),
    "CO_TD_TLD": ("Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", "Cờ thi đua Tổng LĐ"),
    "GK": ("Giấy khen", "Giấy khen"),
    "BK_LDLD": (
        "Bằng khen của Liên đoàn Lao động tỉnh, thành phố, công đoàn ngành",
        "Bằng khen LĐLĐ/CĐ ngành",
    ),
    "BK_TLD": ("Bằng khen của Tổng Liên đoàn Lao động Việt Nam", "Bằng khen Tổng LĐ"),
    "BK_CD_TLD": ("Bằng khen chuyên đề của Tổng Liên đoàn Lao động Việt Nam", "Bằng khen chuyên đề Tổng LĐ"),
    "BK_TTG": ("Bằng khen của Thủ tướng Chính phủ", "Bằng khen Thủ tướng"),
    "LDST": ("Bằng Lao động sáng tạo", "Bằng LĐST"),
    "KNC_CD": ("Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”", "Kỷ niệm chương"),
}


def award_name(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[0]


def award_short(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[1]


def ordered_rules(rule_ids: Iterable[str]) -> tuple[str, ...]:
    """Unique rule IDs in catalogue order (unknown IDs last, in order of appearance)."""
    unique = list(dict.fromkeys(rule_ids))
    return tuple(sorted(unique, key=lambda r: (_RULE_POSITION.get(r, len(RULE_IDS)), unique.index(r))))
