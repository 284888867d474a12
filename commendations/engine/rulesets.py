"""Rule sets as data: legal basis, validity period and parameters (R-GEN-02).

The engine never reads a global rule set: every evaluation receives a ``RuleSetSpec``. Today the specs come
from ``DEFAULT_CALENDAR`` below; later the persisted RuleSet model will build the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from .types import RATING_RANK
from .vietnamese import fmt_date, fmt_number


class RuleSetError(ValueError):
    """No usable rule set, or an invalid parameter (message in Vietnamese)."""


@dataclass(frozen=True, slots=True)
class RuleSetSpec:
    code: str
    name: str
    legal_basis: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    params: Mapping[str, Any]
    overridden: tuple[str, ...] = ()  # names of parameters replaced by apply_override

    def covers(self, *, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def param(self, key: str) -> Any:
        try:
            return self.params[key]
        except KeyError:
            raise RuleSetError(f"Bộ quy tắc {self.code} thiếu tham số «{key}».") from None

    @property
    def ref(self) -> str:
        """Short reference printed with every verdict: the code, plus any overridden parameters."""
        if not self.overridden:
            return self.code
        changed = ", ".join(f"{key}={_fmt_param(self.params[key])}" for key in self.overridden)
        return f"{self.code} [ghi đè: {changed}]"

    @property
    def label(self) -> str:
        cached = _LABELS.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        label = self._build_label()
        if len(_LABELS) >= 64:
            _LABELS.clear()
        _LABELS[id(self)] = (self, label)
        return label

    def _build_label(self) -> str:
        until = fmt_date(self.valid_to) if self.valid_to else "nay"
        return (
            f"{self.ref} — {self.name}, hiệu lực {fmt_date(self.valid_from)}–{until}; "
            f"căn cứ: {'; '.join(self.legal_basis)}"
        )


# Labels are rebuilt for every verdict otherwise; the entry keeps its spec alive, so the id stays unique.
_LABELS: dict[int, tuple[RuleSetSpec, str]] = {}


def _fmt_param(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return fmt_number(value, places=4)
    if isinstance(value, tuple | list):
        return "/".join(str(v) for v in value)
    return str(value)


# Parameters of rules.md (column "Parameters"), one named key each. Several thresholds could not be checked
# against the full official texts: they are data, shown with their legal basis and editable by an
# administrator, never constants in code.
_COMMON_PARAMS: dict[str, Any] = {
    # R-LDTT-01 / R-LDTT-02
    "ldtt_min_rating": "HTT",
    "ldtt_min_months": 10,  # excluded when months worked < this
    "ldtt_max_absent_days": 40,  # excluded when absent working days (maternity not counted) >= this
    # R-CSCS-02
    "cstdcs_quota": 0.15,
    # R-CSBO-01 / R-CSTQ-01
    "csbo_years": 3,
    "cstq_years": 2,
    # R-TTTT-01 / R-TTXS-01
    "tttt_ldtt_share": 0.5,  # strictly more than
    "ttxs_ldtt_share": 0.7,  # at least
    "ttxs_min_cstdcs": 1,
    # R-COCP-01
    "cocp_ratio": 0.2,
    # R-BK-01
    "bk_tld_years": 2,
    "bk_tld_initiatives": 2,
    # R-BKTTG-01
    "bkttg_years": 5,
    "bkttg_prior_awards": ("BK_TLD",),  # "Bằng khen cấp bộ/Tổng LĐ" in the award catalogue
    # R-BKCD-01
    "bkcd_per_federation": 4,
    "bkcd_national": 300,
    # R-LDST-01 (VND)
    "ldst_college_min_vnd": 80_000_000,
    "ldst_college_cumulative_min_vnd": 120_000_000,
    "ldst_cumulative_years": 3,
    "ldst_university_min_vnd": 150_000_000,
    "ldst_leader_min_vnd": 200_000_000,
    # R-KNC-01 / R-KNC-02
    "knc_years": 20,
    "knc_part_time_weight": 1.5,
    "knc_non_state_weight": 2,
    "knc_public_service_years": 25,
    "knc_outside_years": 5,
    "knc_council_terms": 2,  # consecutive terms on BCH/UBKT Tổng LĐ
    "knc_presidium_terms": 1,  # full terms on Đoàn Chủ tịch Tổng LĐ
    "knc_recent_years": 3,
    "knc_min_rating": "HT",
    # R-ORG-01
    "inherit_on_consolidation": False,
}

_BASIS_2024 = (
    "Luật Thi đua, khen thưởng số 06/2022/QH15",
    "Nghị định 98/2023/NĐ-CP",
    "Quyết định 999/QĐ-TLĐ ngày 29/05/2024 (Quy chế khen thưởng của tổ chức Công đoàn)",
)
_BASIS_2025 = (
    "Luật Thi đua, khen thưởng số 06/2022/QH15",
    "Nghị định 152/2025/NĐ-CP (thay thế Nghị định 98/2023/NĐ-CP)",
    "Quyết định 999/QĐ-TLĐ ngày 29/05/2024 (Quy chế khen thưởng của tổ chức Công đoàn)",
)

DEFAULT_CALENDAR: tuple[RuleSetSpec, ...] = (
    RuleSetSpec(
        code="TLD-2024-ND98",
        name="Quy tắc thi đua, khen thưởng Công đoàn theo Nghị định 98/2023/NĐ-CP",
        legal_basis=_BASIS_2024,
        valid_from=date(2024, 1, 1),
        valid_to=date(2025, 6, 30),
        # R-VOTE-01: share of "yes" over ALL council members. 0.9 under the older decree — a parameter that
        # could not be checked against the official text.
        params=MappingProxyType({**_COMMON_PARAMS, "vote_threshold": 0.9}),
    ),
    RuleSetSpec(
        code="TLD-2025-ND152",
        name="Quy tắc thi đua, khen thưởng Công đoàn theo Nghị định 152/2025/NĐ-CP",
        legal_basis=_BASIS_2025,
        valid_from=date(2025, 7, 1),
        valid_to=None,
        # R-VOTE-01: 0.8 in the newer rule set — likewise a parameter not checked against the official text.
        params=MappingProxyType({**_COMMON_PARAMS, "vote_threshold": 0.8}),
    ),
)


def select_rule_set(*, received_on: date, calendar: Sequence[RuleSetSpec] = DEFAULT_CALENDAR) -> RuleSetSpec:
    """R-GEN-02: the rule set in force on the date the dossier was received."""
    matching = [spec for spec in calendar if spec.covers(on=received_on)]
    if not matching:
        known = "; ".join(
            f"{s.code} ({fmt_date(s.valid_from)}–{fmt_date(s.valid_to) if s.valid_to else 'nay'})"
            for s in calendar
        )
        raise RuleSetError(
            f"Không có bộ quy tắc nào có hiệu lực vào ngày nhận hồ sơ {fmt_date(received_on)} "
            f"(R-GEN-02). Các bộ quy tắc hiện có: {known or 'không có'}."
        )
    if len(matching) > 1:
        codes = ", ".join(s.code for s in matching)
        raise RuleSetError(
            f"Lịch bộ quy tắc chồng chéo: ngày {fmt_date(received_on)} thuộc hiệu lực của nhiều bộ ({codes})."
        )
    return matching[0]


def apply_override(*, spec: RuleSetSpec, overrides: Mapping[str, Any]) -> RuleSetSpec:
    """A copy of ``spec`` with some parameters replaced (same types as the originals)."""
    if not overrides:
        return spec
    merged = dict(spec.params)
    for key, value in overrides.items():
        if key not in spec.params:
            raise RuleSetError(f"Bộ quy tắc {spec.code} không có tham số «{key}» để ghi đè.")
        merged[key] = _coerce(key=key, current=spec.params[key], value=value)
    changed = tuple(dict.fromkeys((*spec.overridden, *overrides)))
    return replace(spec, params=MappingProxyType(merged), overridden=changed)


def _coerce(*, key: str, current: Any, value: Any) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise RuleSetError(f"Tham số «{key}» phải là true/false, nhận được {value!r}.")
        return value
    if isinstance(current, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RuleSetError(f"Tham số «{key}» phải là số không âm, nhận được {value!r}.")
        return value
    if isinstance(current, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise RuleSetError(f"Tham số «{key}» phải là danh sách mã, nhận được {value!r}.")
        return tuple(value)
    if not isinstance(value, type(current)):
        raise RuleSetError(f"Tham số «{key}» phải có kiểu {type(current).__name__}, nhận được {value!r}.")
    if key.endswith("_rating") and value not in RATING_RANK:
        raise RuleSetError(f"Tham số «{key}» phải là một mức xếp loại HTXS/HTT/HT/KHT, nhận được {value!r}.")
    return value
