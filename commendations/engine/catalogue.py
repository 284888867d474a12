"""Rule and award catalogue: IDs in the order of rules.md, Vietnamese names of awards (declarations.py)."""

from __future__ import annotations

from collections.abc import Iterable

from .declarations import AWARD_NAMES  # code -> (full name, short name), read live from the declarations

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

# What each rule says, in words, for the screens: users read these, never the IDs (which stay in the engine's
# JSON, the case files and `manage.py eligibility_check`).
RULE_NAMES: dict[str, str] = {
    "R-GEN-01": "Mỗi thành tích chỉ làm căn cứ cho một khen thưởng",
    "R-GEN-02": "Bộ quy tắc có hiệu lực vào ngày nhận hồ sơ",
    "R-LDTT-01": "Tiêu chuẩn Lao động tiên tiến",
    "R-LDTT-02": "Trường hợp không xét Lao động tiên tiến",
    "R-CSCS-01": "Tiêu chuẩn Chiến sĩ thi đua cơ sở",
    "R-CSCS-02": "Hạn mức Chiến sĩ thi đua cơ sở theo số Lao động tiên tiến",
    "R-CSBO-01": "Tiêu chuẩn Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
    "R-CSTQ-01": "Tiêu chuẩn Chiến sĩ thi đua toàn quốc",
    "R-TTTT-01": "Tiêu chuẩn Tập thể lao động tiên tiến",
    "R-TTXS-01": "Tiêu chuẩn Tập thể lao động xuất sắc",
    "R-COCP-01": "Tiêu chuẩn Cờ thi đua của Chính phủ",
    "R-BK-01": "Tiêu chuẩn Bằng khen của Tổng Liên đoàn",
    "R-BKTTG-01": "Tiêu chuẩn Bằng khen của Thủ tướng Chính phủ",
    "R-BKCD-01": "Hạn mức Bằng khen chuyên đề của Tổng Liên đoàn",
    "R-LDST-01": "Tiêu chuẩn Bằng Lao động sáng tạo",
    "R-KNC-01": "Thời gian công tác công đoàn để xét Kỷ niệm chương",
    "R-KNC-02": "Điều kiện khác để xét Kỷ niệm chương",
    "R-VOTE-01": "Tỷ lệ phiếu đồng ý của Hội đồng Thi đua – Khen thưởng",
    "R-ORG-01": "Thành tích theo đơn vị khi chuyển đơn vị cấp trên",
    "R-ORG-02": "Thẩm quyền của đơn vị ban hành vào ngày quyết định",
    "R-REV-01": "Hủy bỏ quyết định khen thưởng",
}


def rule_name(rule_id: str) -> str:
    """The Vietnamese name of a rule ("R-GEN-01" -> "Mỗi thành tích chỉ làm căn cứ cho một khen thưởng");
    an unknown ID gives "" (a screen shows nothing rather than a code)."""
    return RULE_NAMES.get(rule_id, "")


def award_name(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[0]


def award_short(code: str) -> str:
    return AWARD_NAMES.get(code, (code, code))[1]


def ordered_rules(rule_ids: Iterable[str]) -> tuple[str, ...]:
    """Unique rule IDs in catalogue order (unknown IDs last, in order of appearance)."""
    unique = list(dict.fromkeys(rule_ids))
    return tuple(sorted(unique, key=lambda r: (_RULE_POSITION.get(r, len(RULE_IDS)), unique.index(r))))
