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

from . import awards as _awards  # noqa: F401  (the catalogue's declarations, registered on import)
from .declarations import default_params
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
    # The legal basis as official documents cite it, one text per "Căn cứ …;" line (without "Căn cứ" and
    # the semicolon). Empty: the `legal_basis` lines are cited as they are.
    document_basis: tuple[str, ...] = ()

    @property
    def citations(self) -> tuple[str, ...]:
        """What a document issued under this rule set cites after "Căn cứ"."""
        return self.document_basis or self.legal_basis

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


# The parameters every rule set carries: those of the declared awards, with their declared defaults.
_COMMON_PARAMS: dict[str, Any] = default_params()

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
# As printed in the preamble of tờ trình, quyết định, kế hoạch ("Căn cứ …;").
_LAW_CITATION = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
_CITED_2024 = (
    _LAW_CITATION,
    "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
    "điều của Luật Thi đua, khen thưởng",
)
_CITED_2025 = (
    _LAW_CITATION,
    "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, "
    "khen thưởng",
)

DEFAULT_CALENDAR: tuple[RuleSetSpec, ...] = (
    RuleSetSpec(
        code="TLD-2024-ND98",
        name="Quy tắc thi đua, khen thưởng Công đoàn theo Nghị định 98/2023/NĐ-CP",
        legal_basis=_BASIS_2024,
        document_basis=_CITED_2024,
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
        document_basis=_CITED_2025,
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
