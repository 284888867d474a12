"""How an engine verdict snapshot reads on the dossier screens: evidence as Vietnamese sentences (never the
repr of a Python tuple, also in snapshots stored before issue 11), and the badge of a verdict."""

from __future__ import annotations

import ast

from django import template

register = template.Library()


def _flatten(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _flatten(v)]
    text = str(value).strip()
    if text[:1] in "([" and text[-1:] in ")]":
        # an old snapshot kept str(tuple): "(('Xếp loại 2026: HTXS',))" — read it back as data, never eval
        try:
            return _flatten(ast.literal_eval(text))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            pass
    return [text] if text else []


def evidence_sentences(value) -> list[str]:
    """The evidence of a criterion as a list of sentences (a string with '; ', a list, a tuple repr)."""
    sentences = []
    for part in _flatten(value):
        sentences += [s.strip() for s in part.split("; ") if s.strip()]
    return sentences


@register.filter
def evidence(value) -> str:
    """{{ c.evidence|evidence }}: "Căn cứ: Xếp loại 2026: HTXS; Số ngày nghỉ năm 2025: 3." or ""."""
    sentences = evidence_sentences(value)
    if not sentences:
        return ""
    return "Căn cứ: " + "; ".join(sentences) + "."
