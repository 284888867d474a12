"""Vietnamese labels of the rule-set parameters, with the rule each one belongs to (for the rule set screens).
The labels are declared with the parameters, in the award declarations (commendations/engine/awards.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .engine.catalogue import AWARD_NAMES, award_name
from .engine.declarations import param_decls
from .engine.rulesets import _fmt_param


class _LabelsView(Mapping[str, tuple[str, str, str]]):
    """key -> (rule id, Vietnamese label, unit shown after the value), read live from the declarations."""

    def _table(self) -> dict[str, tuple[str, str, str]]:
        return {p.key: (p.rule, p.label, p.unit) for p in param_decls()}

    def __getitem__(self, key: str) -> tuple[str, str, str]:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


PARAM_LABELS: Mapping[str, tuple[str, str, str]] = _LabelsView()


def _display(value: Any) -> str:
    """A parameter's value for the screen: a list of award codes reads as the awards' names."""
    if isinstance(value, list | tuple) and value and all(v in AWARD_NAMES for v in value):
        return "; ".join(award_name(v) for v in value)
    return _fmt_param(tuple(value) if isinstance(value, list) else value)


def param_rows(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every parameter with its rule, label and displayed value, in the order of the labels."""
    labels = dict(PARAM_LABELS)
    keys = [k for k in labels if k in params] + sorted(k for k in params if k not in labels)
    rows = []
    for key in keys:
        rule, label, unit = labels.get(key, ("", key, ""))
        value = params[key]
        rows.append(
            {
                "key": key,
                "rule": rule,
                "label": label,
                "unit": unit,
                "value": value,
                "display": _display(value),
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
