"""Database ids taken from user input (URL, GET, POST): a 23-digit, negative or non-numeric id is a 404
or a form error, never an OverflowError (a 500) in the database driver.

- `parse_id(value)` → the id as an int in 1 … 2**63 − 1 (a BigAutoField), or None.
- `IdConverter`, registered as the path converter `dbid` (`path("<dbid:pk>/", …)`): at most 19 ASCII
  digits and in range, otherwise the URL does not match (404).
- `core.forms.IdModelChoiceField` / `IdModelMultipleChoiceField` refuse such values as an invalid choice.
"""

from __future__ import annotations

import re

from django.urls import register_converter

MAX_ID = 2**63 - 1  # the largest BigAutoField value on SQLite and PostgreSQL
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: "²".isdigit() is True but int("²") fails


def parse_id(value) -> int | None:
    """The id in `value` (a str or int), or None when it is not a valid database id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among `values` (a list from `QueryDict.getlist`), the others dropped."""
    return [n for n in (parse_id(v) for v in values) if n is not None]


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "dbid")
