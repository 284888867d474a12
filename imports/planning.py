"""What the kinds' `plan` and `commit` share (`imports.kinds`): cell text, errors by column, the message of
a person or unit not matched, the values a preview shows, the refusal of a commit with error rows and the
link to where the written records are listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from .kinds import CellError, Column, ImportInvalid, Outcome, RowPlan


def cell_text(value: Any) -> str:
    """The cell as one line of text: spaces collapsed, "" for an empty cell."""
    return " ".join(str(value).split()) if value is not None else ""


class Labels(dict):
    """{column key: label} of a kind's columns; `error(key, message)` is the CellError of that column."""

    def __init__(self, columns: Iterable[Column]):
        super().__init__((c.key, c.label) for c in columns)

    def error(self, key: str, message: str) -> CellError:
        return CellError(self.get(key, key), message)


def match_message(match) -> str:
    """The error of a person or unit not matched (`members.lookup.PersonMatch` / `UnitMatch`), with the
    candidates when several fit: "… Có thể là: Nguyễn Văn An (1985) — Tổ …; …"."""
    if match.candidates:
        return f"{match.error} Có thể là: {'; '.join(match.candidates)}."
    return match.error


def shown_values(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values for the preview and --json: the empty ones left out, dates as dd/mm/yyyy."""
    return {
        key: f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value
        for key, value in values.items()
        if cell_text(value)
    }


def refuse_errors(plans: list[RowPlan]) -> None:
    """The commit writes nothing while a row is an error."""
    if any(p.outcome == Outcome.ERROR for p in plans):
        raise ImportInvalid(plans)


def count(plans: list[RowPlan], outcome: Outcome) -> int:
    return sum(1 for p in plans if p.outcome == outcome)


def unit_list_link(label: str, url_name: str) -> Callable[[Any], tuple[str, str]]:
    """A kind's `result_link`: the list `url_name` of the batch's unit ("Xem sổ khen thưởng")."""

    def link(batch) -> tuple[str, str]:
        from django.urls import reverse

        return label, f"{reverse(url_name)}?don_vi={batch.unit_id}"

    return link
