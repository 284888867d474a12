"""Vietnamese text helpers: accent folding for search and a collation key for sorting names.

Both produce plain ASCII that compares the same way byte by byte (SQLite) and under any PostgreSQL
collation, so search and sort behave identically on both databases.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")

# Look-alikes that Vietnamese text picks up from other keyboards and fonts: the Icelandic eth (Ð ð,
# U+00D0/U+00F0) typed or pasted for the Vietnamese đ (Đ đ, U+0110/U+0111).
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def normalize(text: str) -> str:
    """The one form every text takes inside thidua: Unicode NFC (a name typed on a Mac or copied from a
    PDF arrives decomposed — NFD — and prints with misplaced accents) with Ð/ð mapped to Đ/đ. Applied
    to every request parameter (core.middleware.TextNormalizationMiddleware), every imported cell
    (core.uploads) and, by a data migration, to the names already stored."""
    if not text:
        return text
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_LOOKALIKES))


def is_normal(text: str) -> bool:
    return not text or text.isascii() or (text == normalize(text))


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d), collapse spaces: "Mỹ Đức" → "my duc"."""
    if not text:
        return ""
    text = normalize(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _WS.sub(" ", stripped.lower()).strip()


# Vietnamese alphabet order (with f, j, w, z for foreign names). Base letters carry the vowel
# quality marks (ă, â, ê, ô, ơ, ư, đ); tone marks are compared only when base letters tie.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_CODE_CHARS = "123456789abcdefghijklmnopqrstuvwxyz"  # "0" is kept as the separator (sorts lowest)
_LETTER_CODE = {letter: _CODE_CHARS[i] for i, letter in enumerate(_ALPHABET)}
_DIGIT_CODE = {str(d): "0" + str(d) for d in range(10)}

# Combining marks: quality marks belong to the base letter, tone marks are secondary.
_QUALITY = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0301": "5", "\u0323": "6"}  # huyền hỏi ngã sắc nặng
_WITH_QUALITY = {
    ("a", "breve"): "ă", ("a", "circumflex"): "â", ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô", ("o", "horn"): "ơ", ("u", "horn"): "ư",
}  # fmt: skip


def _letters(word: str) -> tuple[str, str]:
    """Return (primary, tones) codes for one word."""
    primary: list[str] = []
    tones: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", normalize(word).lower())):
        base, marks = cluster[0], cluster[1:]
        tone = "1"
        for mark in marks:
            if mark in _QUALITY:
                base = _WITH_QUALITY.get((base, _QUALITY[mark]), base)
            elif mark in _TONES:
                tone = _TONES[mark]
        if base == "đ" or base in _LETTER_CODE:
            primary.append(_LETTER_CODE["đ" if base == "đ" else base])
            tones.append(tone)
        elif base in _DIGIT_CODE:
            primary.append(_DIGIT_CODE[base])
    return "".join(primary), "".join(tones)


def _clusters(decomposed: str) -> list[str]:
    out: list[str] = []
    for ch in decomposed:
        if out and unicodedata.category(ch) == "Mn":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def collation_key(*parts: str | None) -> str:
    """Sort key for a sequence of name parts, compared in order (Vietnamese dictionary order).

    Within a part, base letters decide first (a < ă < â, d < đ; a shorter word first: "An" < "Anh"),
    then tone marks (ngang < huyền < hỏi < ngã < sắc < nặng). Only when a part ties completely does the
    next part count. "0" separates (it sorts below every letter code).
    """
    keys: list[str] = []
    for part in parts:
        codes = [_letters(w) for w in (part or "").split()]
        keys.append("0".join(c[0] for c in codes) + "0" + "".join(c[1] for c in codes))
    return "00".join(keys)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Thị Thu Hà" into (family, middle, given) = ("Nguyễn", "Thị Thu", "Hà")."""
    words = _WS.sub(" ", (full_name or "").strip()).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def person_sort_key(*, family_name: str, middle_name: str, given_name: str) -> str:
    """Vietnamese name order: given name, then middle name, then family name."""
    return collation_key(given_name, middle_name, family_name)
