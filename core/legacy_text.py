"""Vietnamese text typed in the legacy font encodings, converted to Unicode (pure, no Django).

Offices still keep rosters typed years ago with the .Vn fonts (TCVN3, "ABC": .VnTime, .VnArial) or the
VNI fonts (VNI-Times). The bytes of such a cell are read by Excel, and so by us, as Windows-1252 /
Latin-1 characters: "Nguyễn Văn" typed in .VnTime arrives as "NguyÔn V¨n", typed in VNI-Times as
"Nguyeãn Vaên".

- TCVN3 is a single-byte encoding: each precomposed lower-case letter (and Ă Â Ê Ô Ơ Ư Đ) has one code
  in 0xA1–0xFE. Capitals with a tone have no code of their own: they are typed with the capital fonts
  (.VnTimeH), which draw the lower-case codes as capitals, so "NGUYÔN" is "NGUYỄN".
- VNI writes a base letter followed by one or two mark characters ("e" + "ã" is "ễ"; "o" + "ø" is
  "ò"), and a few letters as one character ("ñ" is "đ", "ô" is "ơ", "ö" is "ư", "í" is "í").

`detect(text)` says which encoding a text is in (None: Unicode already, or neither); `to_unicode(text,
encoding)` converts; `is_vietnamese(text)` checks that a text holds only Vietnamese letters (at most one
tone a word), `plausible(text)` that every word with a non-ASCII letter is a Vietnamese syllable (to
tell the encodings apart); `column_encoding(texts)` decides for a whole column (a roster column is
typed in one font) and `convert_in_column` converts its cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_NAMES = {TCVN3: "TCVN3 (ABC)", VNI: "VNI"}

# TCVN3: code → the Unicode letter (the code written as the Latin-1 character it is read as)
_TCVN3_CODES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
_TCVN3 = {chr(code): letter for code, letter in _TCVN3_CODES.items()}
# thidua's text normalisation (core.text.normalize) turns the Icelandic eth "Ð" (0xD0, TCVN3 "é") into
# "Đ" before a cell reaches us: in TCVN3 text that "Đ" can only be an "é" (TCVN3 writes Đ as "§")
_TCVN3["\u0110"] = "é"

# VNI: the marks typed after a vowel (lower case; the capital fonts use the upper-case characters)
_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}  # sắc huyền hỏi ngã nặng
# after a, e, o: the circumflex (â), with a tone; after a only, the breve (ă), with a tone
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# letters VNI writes as one character: đ, ơ, ư, ỵ and the toned i
_VNI_LETTERS = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "î": "ỵ", "Î": "Ỵ",
    "ì": "ì", "Ì": "Ì", "í": "í", "Í": "Í", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """Vowel + mark(s) → the letter. The capital fonts pair a capital with the upper-case mark
    ("AÙ" is "Á"); a mark of the other case is accepted too ("Aùnh"), the letter's case decides."""
    table: dict[str, str] = {}

    def add(base: str, mark: str, letter: str) -> None:
        for b in (base, base.upper()):
            for m in (mark, mark.upper()):
                table[b + m] = unicodedata.normalize("NFC", letter.upper() if b.isupper() else letter)

    for vowel in "aeouy":  # i with a tone is one character (_VNI_LETTERS)
        for mark, tone in _TONE.items():
            add(vowel, mark, vowel + tone)
    for vowel in "aeo":
        for mark, tone in _CIRCUMFLEX.items():
            add(vowel, mark, vowel + "\u0302" + tone)
    for mark, tone in _BREVE.items():
        add("a", mark, "a\u0306" + tone)
    for code, horn in (("ô", "ơ"), ("ö", "ư")):  # ơ and ư with a tone
        for mark, tone in _TONE.items():
            add(code, mark, horn + tone)
    return table


_VNI_PAIRS = _vni_table()
# a two-character sequence first (a vowel and its mark), else one character (letters, lone marks)
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_PAIRS), key=len, reverse=True)) + "|.", re.S)

# ----------------------------------------------------------------------------- Vietnamese syllables
_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
    "f", "j", "w", "z", "",
)  # fmt: skip
_NUCLEI = frozenset(  # tone marks removed
    {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"}
    | {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo"}
    | {"ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê"}
    | {"iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu"}
)
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
# nuclei that end in a glide (or the open ia, ua, ưa) take no final consonant; these need one
_OPEN_ONLY = frozenset(
    {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi"}
    | {"ưu", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu", "yêu"}
)
_CLOSED_ONLY = frozenset({"ă", "â", "oă", "uâ", "iê", "uô", "ươ", "yê", "uyê", "oo"})
_SYLLABLE = re.compile(
    "(?:" + "|".join(_INITIALS) + ")"
    "(" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
    "(" + "|".join(_FINALS) + ")"
)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # after c, ch, p, t only sắc or nặng
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđăâêôơư")
_WORD_SPLIT = re.compile(r"[\s\-'’.,()]+")


def _bare(word: str) -> tuple[str, list[str]] | None:
    """A word lower-cased without its tone marks, and the tone marks; None when it holds a character
    that is no Vietnamese letter."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "\0"))
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    bare = bare.replace("\0", "đ")
    if any(ch not in _LETTERS for ch in bare):
        return None
    return bare, tones


@lru_cache(maxsize=65536)  # a roster repeats the same few hundred words
def _letters_word(word: str) -> bool:
    """Vietnamese letters with at most one tone mark (names of ethnic minorities included)."""
    found = _bare(word)
    return found is not None and len(found[1]) <= 1


@lru_cache(maxsize=65536)
def _syllable(word: str) -> bool:
    """A Vietnamese syllable: initial, vowels, final, one tone that fits the final."""
    found = _bare(word)
    if found is None or len(found[1]) > 1:
        return False
    bare, tones = found
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    nucleus, final = match.groups()
    if (final and nucleus in _OPEN_ONLY) or (not final and nucleus in _CLOSED_ONLY):
        return False
    return not (final in ("c", "ch", "p", "t") and tones and tones[0] not in _STOP_TONES)


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(unicodedata.normalize("NFC", text or "")) if w]


def is_vietnamese(text: str) -> bool:
    """Every word of `text` is plain ASCII or Vietnamese letters in Unicode with at most one tone mark
    (what a name may hold; "Jürgen" or "Ŧ" do not pass)."""
    return all(word.isascii() or _letters_word(word) for word in _words(text))


def plausible(text: str) -> bool:
    """Stricter: every word with a non-ASCII letter is a Vietnamese syllable ("Nguyeãn", VNI read as
    Unicode, is not). Used to tell which encoding a text is in."""
    return all(word.isascii() or _syllable(word) for word in _words(text))


# ----------------------------------------------------------------------------- conversion
def _tcvn3(text: str) -> str | None:
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif ch in _TCVN3:
            out.append(_TCVN3[ch])
        else:
            return None  # a character TCVN3 text read as Latin-1 cannot hold
    converted = "".join(out)
    # .VnTimeH capitals: the toned letters come as lower-case codes among ASCII capitals ("NGUYÔN",
    # "§¹I HäC"). A text is in capitals when a word has two ASCII capitals and no word a small letter.
    words = text.split(" ")
    in_capitals = any(sum(1 for ch in w if ch.isascii() and ch.isupper()) >= 2 for w in words) and not any(
        ch.isascii() and ch.islower() for ch in text
    )
    return converted.upper() if in_capitals else converted


def _vni(text: str) -> str | None:
    out: list[str] = []
    for piece in _VNI_RE.findall(text):
        if piece in _VNI_PAIRS:
            out.append(_VNI_PAIRS[piece])
        elif piece in _VNI_LETTERS:
            out.append(_VNI_LETTERS[piece])
        elif piece.isascii():
            out.append(piece)
        else:
            return None  # a lone mark or a character VNI does not write
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str | None:
    """`text` (read as Latin-1 characters) converted from `encoding` to Unicode NFC; None when it holds
    a character that encoding cannot have produced."""
    if encoding == TCVN3:
        result = _tcvn3(text)
    elif encoding == VNI:
        result = _vni(text)
    else:
        raise ValueError(encoding)
    return None if result is None else unicodedata.normalize("NFC", result)


def _legacy_candidates(text: str) -> dict[str, str]:
    """The encodings under which `text` converts into valid Vietnamese (encoding → converted text)."""
    if not text or text.isascii():
        return {}
    found: dict[str, str] = {}
    for encoding in (TCVN3, VNI):
        converted = to_unicode(text, encoding)
        if converted is not None and converted != text and plausible(converted):
            found[encoding] = converted
    return found


def detect(text: str) -> str | None:
    """ "tcvn3" or "vni" when `text` is not Vietnamese Unicode but converts into it from that encoding;
    None when it is Unicode already (or ASCII), or converts from neither (or, ambiguous, from both)."""
    if not text or text.isascii() or plausible(text):
        return None
    found = _legacy_candidates(text)
    return next(iter(found)) if len(found) == 1 else None


def column_encoding(texts: Iterable[str]) -> str | None:
    """The legacy encoding of a column (a roster column is typed in one font): the encoding under which
    the most of its non-ASCII texts that are not Vietnamese as they are become Vietnamese, when those
    are more than half of its non-ASCII texts and more than the other encoding's; else None."""
    counts = {TCVN3: 0, VNI: 0}
    total = 0
    for text in texts:
        if not text or text.isascii():
            continue
        total += 1
        if plausible(text):
            continue
        for encoding in _legacy_candidates(text):
            counts[encoding] += 1
    if not total:
        return None
    best, other = sorted(counts, key=lambda e: counts[e], reverse=True)
    return best if counts[best] * 2 > total and counts[best] > counts[other] else None


def convert_in_column(text: str, encoding: str) -> tuple[str, bool]:
    """One cell of a column found to be in `encoding`: (the text to keep, whether it is converted).
    A cell that is Unicode already (it holds a letter the legacy encoding has no code for, e.g. "ễ")
    is kept as it is."""
    if not text or text.isascii():
        return text, False
    converted = to_unicode(text, encoding)
    if converted is None or not plausible(converted):
        return text, False
    return converted, converted != text
