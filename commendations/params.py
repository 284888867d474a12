"""Vietnamese labels of the rule-set parameters, with the rule each one belongs to (for the rule set screens)."""

from __future__ import annotations

from typing import Any

from .engine.rulesets import _fmt_param

# key: (rule id, Vietnamese label, unit shown after the value)
PARAM_LABELS: dict[str, tuple[str, str, str]] = {
    "ldtt_min_rating": ("R-LDTT-01", "Xếp loại tối thiểu để xét Lao động tiên tiến", ""),
    "ldtt_min_months": (
        "R-LDTT-02",
        "Số tháng công tác tối thiểu trong năm (dưới mức này không xét LĐTT)",
        "tháng",
    ),
    "ldtt_max_absent_days": (
        "R-LDTT-02",
        "Số ngày nghỉ làm việc bị loại khi xét LĐTT (từ mức này trở lên, không tính nghỉ thai sản)",
        "ngày",
    ),
    "cstdcs_quota": ("R-CSCS-02", "Tỷ lệ CSTĐ cơ sở tối đa so với số LĐTT của đơn vị", ""),
    "csbo_years": ("R-CSBO-01", "Số năm liên tục đạt CSTĐ cơ sở để xét CSTĐ cấp bộ, ngành, tỉnh", "năm"),
    "cstq_years": ("R-CSTQ-01", "Số lần liên tiếp đạt CSTĐ cấp bộ để xét CSTĐ toàn quốc", "lần"),
    "tttt_ldtt_share": ("R-TTTT-01", "Tỷ lệ LĐTT phải vượt (lớn hơn hẳn) để xét Tập thể LĐTT", ""),
    "ttxs_ldtt_share": ("R-TTXS-01", "Tỷ lệ LĐTT tối thiểu để xét Tập thể LĐXS", ""),
    "ttxs_min_cstdcs": ("R-TTXS-01", "Số CSTĐ cơ sở tối thiểu của Tập thể LĐXS", "người"),
    "cocp_ratio": ("R-COCP-01", "Tỷ lệ đề nghị Cờ thi đua Chính phủ so với số đơn vị dẫn đầu cụm", ""),
    "bk_tld_years": ("R-BK-01", "Số năm liên tục HTXS để xét Bằng khen Tổng LĐ", "năm"),
    "bk_tld_initiatives": ("R-BK-01", "Số sáng kiến được công nhận trong thời gian đó", "sáng kiến"),
    "bkttg_years": (
        "R-BKTTG-01",
        "Số năm liên tục HTXS sau Bằng khen cấp bộ để xét Bằng khen Thủ tướng",
        "năm",
    ),
    "bkttg_prior_awards": ("R-BKTTG-01", "Mã các Bằng khen được tính là Bằng khen cấp bộ, Tổng LĐ", ""),
    "bkcd_per_federation": (
        "R-BKCD-01",
        "Số đề nghị tối đa mỗi LĐLĐ tỉnh, CĐ ngành cho một chuyên đề",
        "đề nghị",
    ),
    "bkcd_national": ("R-BKCD-01", "Số đề nghị tối đa toàn quốc mỗi chuyên đề mỗi năm", "đề nghị"),
    "ldst_college_min_vnd": ("R-LDST-01", "Giá trị làm lợi tối thiểu — trình độ cao đẳng trở xuống", "đồng"),
    "ldst_college_cumulative_min_vnd": (
        "R-LDST-01",
        "Giá trị làm lợi cộng dồn tối thiểu — trình độ cao đẳng trở xuống",
        "đồng",
    ),
    "ldst_cumulative_years": ("R-LDST-01", "Số năm liên tục được cộng dồn giá trị làm lợi", "năm"),
    "ldst_university_min_vnd": ("R-LDST-01", "Giá trị làm lợi tối thiểu — trình độ đại học trở lên", "đồng"),
    "ldst_leader_min_vnd": ("R-LDST-01", "Giá trị làm lợi tối thiểu — người giữ chức vụ lãnh đạo", "đồng"),
    "knc_years": ("R-KNC-01", "Số năm công tác công đoàn tối thiểu để xét Kỷ niệm chương", "năm"),
    "knc_part_time_weight": ("R-KNC-01", "Hệ số quy đổi năm công tác công đoàn không chuyên trách", ""),
    "knc_non_state_weight": (
        "R-KNC-01",
        "Hệ số quy đổi năm không chuyên trách tại công đoàn doanh nghiệp ngoài nhà nước",
        "",
    ),
    "knc_public_service_years": ("R-KNC-01", "Số năm công tác tại đơn vị sự nghiệp của Công đoàn", "năm"),
    "knc_outside_years": ("R-KNC-01", "Số năm giữ chức vụ đối với người ngoài tổ chức Công đoàn", "năm"),
    "knc_council_terms": ("R-KNC-01", "Số nhiệm kỳ liên tiếp Ủy viên BCH, UBKT Tổng LĐ", "nhiệm kỳ"),
    "knc_presidium_terms": ("R-KNC-01", "Số nhiệm kỳ trọn vẹn Ủy viên Đoàn Chủ tịch Tổng LĐ", "nhiệm kỳ"),
    "knc_recent_years": ("R-KNC-02", "Số năm liền trước năm đề nghị phải hoàn thành nhiệm vụ", "năm"),
    "knc_min_rating": ("R-KNC-02", "Xếp loại tối thiểu của các năm đó", ""),
    "inherit_on_consolidation": (
        "R-ORG-01",
        "Đơn vị hợp nhất được kế thừa danh hiệu của các đơn vị cũ",
        "",
    ),
    "vote_threshold": ("R-VOTE-01", "Tỷ lệ phiếu đồng ý tối thiểu trên tổng số thành viên Hội đồng", ""),
}


def param_rows(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every parameter with its rule, label and displayed value, in the order of the labels."""
    keys = [k for k in PARAM_LABELS if k in params] + sorted(k for k in params if k not in PARAM_LABELS)
    rows = []
    for key in keys:
        rule, label, unit = PARAM_LABELS.get(key, ("", key, ""))
        value = params[key]
        rows.append(
            {
                "key": key,
                "rule": rule,
                "label": label,
                "unit": unit,
                "value": value,
                "display": _fmt_param(tuple(value) if isinstance(value, list) else value),
            }
        )
    return rows


def parse_param(*, key: str, current: Any, text: str) -> Any:
    """A form value (text) in the type of the current value; ValueError with a Vietnamese message."""
    text = (text or "").strip()
    label = PARAM_LABELS.get(key, ("", key, ""))[1]
    if isinstance(current, bool):
        if text.lower() in ("1", "true", "có", "co", "on"):
            return True
        if text.lower() in ("0", "false", "không", "khong", "off", ""):
            return False
        raise ValueError(f"«{label}»: hãy chọn có hoặc không.")
    if isinstance(current, int | float):
        try:
            compact = text.replace(" ", "")
            if compact.count(".") > 1:  # 80.000.000 (Vietnamese thousands separators)
                compact = compact.replace(".", "")
            number = float(compact.replace(",", "."))
        except ValueError:
            raise ValueError(f"«{label}»: phải là một số, nhận được «{text}».") from None
        if number < 0:
            raise ValueError(f"«{label}»: không được âm.")
        return int(number) if isinstance(current, int) and number == int(number) else number
    if isinstance(current, list | tuple):
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return text
