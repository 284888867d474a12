"""Award names as offices write them → the catalogue's award types: the one resolver every import kind uses
(past awards, `commendations/importers.py`; nomination lists, `nominations/importers.py`).

An award is found by, in this order:
1. its code, name or short name, or a short form offices write in annex lists (`ALIASES`: "CSTĐCS",
   "BK TLĐ", "GK") — compared folded, without spaces, punctuation, the word "của" or a leading "Danh
   hiệu", "Hình thức", "Đề nghị", "Tặng";
2. the same with the abbreviations inside the words expanded ("Bằng khen Tổng LĐLĐVN", "Tập thể LĐTT"),
   "Việt Nam" left out, or the initials of the name ("TTLĐTT");
3. a name cut short or followed by the conferring unit ("Giấy khen của Công đoàn cơ sở …", "Bằng khen của
   Liên đoàn Lao động thành phố").
A text that names two awards at one step is ambiguous (the officer writes the full name); an unknown one
is an error that lists the accepted names — or says the catalogue has none in use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.text import fold

from .models import AwardType

# Short forms written in annex lists, beyond each award type's own code, name, short name and initials.
ALIASES: dict[str, tuple[str, ...]] = {
    "LDTT": ("LĐTT", "Lao động tiên tiến", "DH LĐTT"),
    "CSTDCS": ("CSTĐCS", "CSTĐ CS", "CSTĐ cơ sở", "Chiến sĩ thi đua cấp cơ sở", "CSTĐ cấp cơ sở"),
    "CSTD_BO": (
        "CSTĐ cấp bộ", "CSTĐ cấp tỉnh", "CSTĐ cấp ngành", "CSTĐ cấp bộ, ngành, tỉnh", "CSTĐ cấp Tổng Liên đoàn",
        "CSTĐ cấp TLĐ", "Chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua cấp bộ", "Chiến sĩ thi đua cấp ngành",
        "Chiến sĩ thi đua cấp bộ, ngành, tỉnh", "Chiến sĩ thi đua cấp Tổng Liên đoàn",
    ),
    "CSTD_TQ": ("CSTĐTQ", "CSTĐ toàn quốc", "Chiến sĩ thi đua toàn quốc"),
    "TTLDTT": ("TTLĐTT", "Tập thể LĐTT", "Tập thể lao động tiên tiến"),
    "TTLDXS": ("TTLĐXS", "Tập thể LĐXS", "Tập thể lao động xuất sắc"),
    "CO_TD_CP": ("Cờ thi đua Chính phủ", "Cờ thi đua của Chính phủ", "Cờ CP"),
    "CO_TD_TLD": ("Cờ thi đua TLĐ", "Cờ thi đua Tổng LĐ", "Cờ thi đua Tổng Liên đoàn", "Cờ TLĐ"),
    "GK": ("GK", "Giấy khen"),
    "BK_LDLD": (
        "BK LĐLĐ", "Bằng khen LĐLĐ", "Bằng khen LĐLĐ tỉnh", "Bằng khen LĐLĐ thành phố", "Bằng khen Liên đoàn Lao động",
        "Bằng khen Liên đoàn Lao động tỉnh", "Bằng khen Liên đoàn Lao động thành phố", "Bằng khen công đoàn ngành",
        "BK CĐ ngành",
    ),
    "BK_TLD": (
        "BK TLĐ", "BKTLĐ", "Bằng khen TLĐ", "Bằng khen Tổng LĐ", "Bằng khen Tổng Liên đoàn",
        "Bằng khen của Tổng Liên đoàn", "Bằng khen Tổng Liên đoàn Lao động Việt Nam",
    ),
    "BK_CD_TLD": ("BK chuyên đề TLĐ", "Bằng khen chuyên đề TLĐ", "Bằng khen chuyên đề Tổng Liên đoàn"),
    "BK_TTG": ("BK TTg", "BKTTg", "BK TTCP", "Bằng khen Thủ tướng", "Bằng khen Thủ tướng Chính phủ"),
    "LDST": ("Bằng LĐST", "LĐST", "Bằng Lao động sáng tạo", "Lao động sáng tạo"),
    "KNC_CD": ("KNC", "Kỷ niệm chương", "Kỷ niệm chương Vì sự nghiệp xây dựng tổ chức Công đoàn"),
}  # fmt: skip

# Abbreviations offices write inside award names (folded words), expanded before comparing.
ABBREVIATIONS = {
    "ldtt": "lao dong tien tien",
    "ldxs": "lao dong xuat sac",
    "cstd": "chien si thi dua",
    "cstdcs": "chien si thi dua co so",
    "cs": "co so",
    "ld": "lao dong",
    "ldld": "lien doan lao dong",
    "tld": "tong lien doan lao dong viet nam",
    "tldld": "tong lien doan lao dong viet nam",
    "tldldvn": "tong lien doan lao dong viet nam",
    "ldldvn": "lien doan lao dong viet nam",
    "cd": "cong doan",
    "bk": "bang khen",
    "gk": "giay khen",
    "ttg": "thu tuong chinh phu",
    "cp": "chinh phu",
    "ldst": "lao dong sang tao",
    "knc": "ky niem chuong",
}
# Words written before the award's name: "Danh hiệu Lao động tiên tiến", "Đề nghị tặng Bằng khen …".
_PREFIXES = ("danh hieu ", "hinh thuc ", "de nghi ", "tang ")


def _words(text: str | None) -> str:
    """Folded, punctuation as spaces, spaces collapsed, the leading "Danh hiệu" / "Đề nghị tặng" … dropped:
    "Danh hiệu: CB, CC" → "cb cc"."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if words.startswith(prefix):
                words, stripped = words[len(prefix) :], True
    return words


def _without_cua(words: str) -> str:
    return " ".join(w for w in words.split() if w != "cua")


def _expanded(words: str) -> str:
    return " ".join(ABBREVIATIONS.get(w, w) for w in words.split())


def exact_key(text: str | None) -> str:
    """The text as step 1 compares it: "Bằng khen của TLĐ" → "bangkhentld"."""
    return _without_cua(_words(text)).replace(" ", "")


def text_keys(text: str | None) -> set[str]:
    """Every form step 2 compares: as written, abbreviations expanded, without "của", without "Việt Nam",
    each also without spaces."""
    words = _words(text)
    if not words:
        return set()
    keys = {words, _expanded(words)}
    keys |= {_without_cua(k) for k in keys}  # "Bằng khen Tổng LĐLĐVN" = "Bằng khen của Tổng Liên đoàn …"
    keys |= {k.replace(" viet nam", "") for k in keys}  # "Tổng LĐLĐ" without "Việt Nam"
    return (keys | {k.replace(" ", "") for k in keys}) - {""}


def _cut_short(text: str, name: str) -> bool:
    """A name followed by the conferring unit ("Giấy khen của Công đoàn cơ sở …"), or cut short ("Bằng
    khen của Liên đoàn Lao động tỉnh" for "… tỉnh, thành phố, công đoàn ngành"): three words at least."""
    return text.startswith(name + " cua ") or (
        len(text.split()) >= 3 and any(n.startswith(text + " ") for n in (name, name.replace(" cua ", " ")))
    )


def _words_left_out(text: str, name: str) -> bool:
    """Words of the full name left out ("Bằng khen của Liên đoàn Lao động thành phố"): the text's words in
    the name's order, the first two the same, three words at least."""
    words, within = text.split(), name.split()
    rest = iter(within)
    return len(words) >= 3 and words[:2] == within[:2] and all(word in rest for word in words)


@dataclass(frozen=True)
class AwardMatch:
    award: AwardType | None
    error: str = ""  # Vietnamese, for the row's award column; "" when found


class AwardNames:
    """The active award types and every way offices write them; built once per plan (`load`)."""

    def __init__(self, awards: Iterable[AwardType]):
        self.awards = list(awards)
        self._by_pk = {a.pk: a for a in self.awards}
        self._exact: dict[str, set[int]] = {}
        self._keys: dict[str, set[int]] = {}
        self._names: dict[int, str] = {}  # pk → the full name, abbreviations expanded, "của" kept
        self._cache: dict[str, AwardMatch] = {}
        for award in self.awards:
            texts = (award.code, award.name, award.short_name, *ALIASES.get(award.code, ()))
            for text in texts:
                key = exact_key(text)
                if key:
                    self._exact.setdefault(key, set()).add(award.pk)
            initials = "".join(w[0] for w in _words(award.name).split())
            for text in (*texts, initials):
                for key in text_keys(text):
                    self._keys.setdefault(key, set()).add(award.pk)
            self._names[award.pk] = _expanded(_words(award.name))

    @classmethod
    def load(cls) -> AwardNames:
        return cls(AwardType.objects.filter(active=True).order_by("position", "code"))

    def find(self, text: str | None) -> list[AwardType]:
        """The award types the text may name: one, several (ambiguous) or none."""
        found = self._exact.get(exact_key(text), set())
        keys = text_keys(text)
        if not found:
            found = set().union(*(self._keys.get(k, set()) for k in keys))
        spaced = [k for k in keys if " " in k]
        for fits in (_cut_short, _words_left_out):
            if not found:
                found = {pk for pk, name in self._names.items() for k in spaced if fits(k, name)}
        return sorted((self._by_pk[pk] for pk in found), key=lambda a: (a.position, a.code))

    def match(self, text: str | None) -> AwardMatch:
        """The one award type the text names, or the message telling the officer what to write."""
        text = " ".join(str(text or "").split())
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text: str) -> AwardMatch:
        found = self.find(text)
        if len(found) == 1:
            return AwardMatch(found[0])
        if found:
            names = " hoặc ".join(f"“{a.name}”" for a in found)
            return AwardMatch(None, f"Danh hiệu, hình thức “{text}” có thể là {names}: hãy ghi đầy đủ tên.")
        if not self.awards:
            return AwardMatch(
                None,
                f"Danh hiệu, hình thức “{text}” không có trong danh mục: danh mục danh hiệu, hình thức khen "
                "thưởng chưa có mục nào đang dùng — hãy nhờ người quản trị khai báo danh mục rồi nhập lại.",
            )
        return AwardMatch(
            None,
            f"Danh hiệu, hình thức “{text}” không có trong danh mục. Hãy ghi một trong các tên: {self.accepted()}.",
        )

    def accepted(self) -> str:
        """ "“Lao động tiên tiến” (LĐTT); “Giấy khen”; …" — the names listed when a text is unknown."""
        return "; ".join(
            f"“{a.name}”" + (f" ({a.short_name})" if a.short_name and a.short_name != a.name else "")
            for a in self.awards
        )
