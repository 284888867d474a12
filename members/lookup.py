"""Finding the people and units an imported row speaks of, within what the importing user may act on.

Every import kind (past awards, registrations, evaluations, initiatives…) receives names as offices write
them — "Nguyễn Văn An, 1985, Tổ CĐ Phòng Nội vụ" — and must land them on a Person (through their open
Membership) or an OrgUnit. The rules are the same everywhere, so they live here once:

- people: citizen ID, else card number (of an open membership), else folded full name narrowed by birth
  date or birth year and by the "Đơn vị công tác" cell; only people with an open membership in `unit`'s
  subtree that `user` may act on for `action`; several → ambiguous (the candidates are listed), none →
  "Không tìm thấy …" naming only the unit searched — never anyone outside the scope;
- units: by folded name, short name or code, with the words for a union level tolerated ("Công đoàn",
  "CĐCS", "Tổ CĐ", "LĐLĐ" ↔ "Liên đoàn Lao động"); the unit nearest to `unit` wins.

Reads only. The number of queries does not grow with the number of keys: people are fetched in chunks by
the identifiers and folded names of all keys at once, and matched in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.models import Q

from core.text import fold
from organizations.models import OrgUnit

from .models import Membership, mask_citizen_id

if TYPE_CHECKING:
    from .models import Person

CHUNK = 500  # keys per query (three IN lists of at most this size: well under SQLite's variable limit)

# Abbreviations offices write for the words of a unit's name (folded, word by word): both the file's text
# and the unit's names are expanded, so "LĐLĐ huyện Mỹ Đức" finds "Liên đoàn Lao động huyện Mỹ Đức".
_ABBREVIATIONS = {
    "ldld": "lien doan lao dong",
    "tld": "tong lien doan lao dong viet nam",
    "tldld": "tong lien doan lao dong viet nam",
    "tldldvn": "tong lien doan lao dong viet nam",
    "cdcs": "cong doan co so",
    "cdbp": "cong doan bo phan",
    "cd": "cong doan",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tp.": "thanh pho",
    "q.": "quan",
    "h.": "huyen",
}
# Words for a union level that a cell may put before the unit's own name: "Tổ CĐ Phòng Kinh tế" finds the
# group "Phòng Kinh tế", "Công đoàn cơ sở Trường THCS Hợp Thanh" finds "Trường THCS Hợp Thanh".
_PREFIXES = (
    "to cong doan ",
    "cong doan bo phan ",
    "cong doan co so ",
    "cong doan co quan ",
    "cong doan ",
)
_PUNCT = re.compile(r"[,;:()\"“”'‘’]+")


@lru_cache(maxsize=65536)
def unit_keys(text: str | None) -> frozenset[str]:
    """The folded forms under which a unit's name (or a cell naming a unit) is compared (memoised: a file
    repeats the same few unit names on every row)."""
    folded = _PUNCT.sub(" ", fold(text))
    if not folded.strip():
        return frozenset()
    words = " ".join(_ABBREVIATIONS.get(word, word) for word in folded.split())
    keys = {words, folded.replace(" ", "")}
    for prefix in _PREFIXES:
        if words.startswith(prefix) and len(words) > len(prefix):
            keys.add(words[len(prefix) :])
            break
    keys.discard("")
    return frozenset(keys)


def _unit_name_keys(unit: OrgUnit) -> set[str]:
    keys: set[str] = set()
    for text in (unit.name, unit.short_name, unit.code):
        keys |= unit_keys(text)
    return keys


# --------------------------------------------------------------------------------------------- people
@dataclass(frozen=True)
class PersonKey:
    full_name: str
    birth_date: dt.date | None = None
    birth_year: int | None = None
    card_number: str = ""
    citizen_id: str = ""
    unit_text: str = ""  # the "Đơn vị (công tác)" cell: narrows to people whose open membership's unit (or
    # an ancestor of it below `unit`, or `unit` itself) has this name / short name / code


@dataclass
class PersonMatch:
    person: Person | None
    membership: Membership | None  # the open membership through which the person is in scope
    candidates: list[str]  # labels "Nguyễn Văn An (1985) — Tổ …" when several match (ambiguous)
    error: str  # Vietnamese, "" when matched; never names anyone outside the scope

    @property
    def ok(self) -> bool:
        return self.person is not None


def person_label(membership: Membership) -> str:
    person = membership.person
    year = f" ({person.birth_date.year})" if person.birth_date else ""
    return f"{person.full_name}{year} — {membership.unit.name}"


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _scoped_memberships(*, user, action: str, unit: OrgUnit):
    """Open memberships in `unit`'s subtree on units where `user` holds `action`. Scoped through the units
    (not Membership's own visibility, which also shows a member their own record whatever their roles)."""
    units = OrgUnit.objects.all().restrict(user, action).filter(path__startswith=unit.path).values("pk")
    return (
        Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=unit.path, unit__in=units)
        .select_related("person", "unit")
        .only(
            "id",
            "card_number",
            "unit__id",
            "unit__path",
            "unit__name",
            "person__id",
            "person__full_name",
            "person__birth_date",
            "person__citizen_id",
            "person__search_text",
            "person__sort_key",
        )
    )


def _digits(value) -> str:
    return re.sub(r"\D", "", str(value or ""))


def _card(value) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def match_people(keys: list[PersonKey], *, user, action: str, unit: OrgUnit) -> list[PersonMatch]:
    """One PersonMatch per key, in the same order (see the module docstring for the rules)."""
    if not keys:
        return []
    citizen_ids = sorted({_digits(k.citizen_id) for k in keys if _digits(k.citizen_id)})
    cards = sorted({_card(k.card_number) for k in keys if _card(k.card_number)})
    folded = {k.full_name: fold(k.full_name) for k in keys}
    names = sorted({name for name in folded.values() if name})

    by_citizen: dict[str, Membership] = {}
    by_card: dict[str, Membership] = {}
    by_name: dict[str, list[Membership]] = defaultdict(list)
    seen: set[int] = set()
    base = _scoped_memberships(user=user, action=action, unit=unit)
    longest = max(len(citizen_ids), len(cards), len(names))
    for start in range(0, longest, CHUNK):
        q = Q()
        if part := citizen_ids[start : start + CHUNK]:
            q |= Q(person__citizen_id__in=part)
        if part := cards[start : start + CHUNK]:
            q |= Q(card_number__in=part)
        if part := names[start : start + CHUNK]:
            q |= Q(person__search_text__in=part)
        for membership in base.filter(q):
            if membership.pk in seen:
                continue
            seen.add(membership.pk)
            person = membership.person
            if person.citizen_id:
                by_citizen[person.citizen_id] = membership
            if membership.card_number:
                by_card[_card(membership.card_number)] = membership
            by_name[person.search_text].append(membership)
    for found in by_name.values():
        found.sort(key=lambda m: (m.person.sort_key, m.person.pk))

    unit_text_keys = {k.unit_text: unit_keys(k.unit_text) for k in keys if k.unit_text}
    lineage = _lineage_keys(by_name, unit) if unit_text_keys else {}

    return [
        _match_one(k, folded[k.full_name], by_citizen, by_card, by_name, unit_text_keys, lineage, unit)
        for k in keys
    ]


def _lineage_keys(by_name: dict[str, list[Membership]], unit: OrgUnit) -> dict[int, set[str]]:
    """For every fetched membership: the name keys of its unit and of that unit's ancestors down from `unit`
    (one query per chunk of distinct ancestor paths)."""
    paths: set[str] = set()
    memberships = [m for found in by_name.values() for m in found]
    for membership in memberships:
        path = membership.unit.path
        paths.update(path[:i] for i in range(len(unit.path), len(path) + 1, OrgUnit.steplen))
    keys_by_path: dict[str, set[str]] = {}
    for part in _chunks(sorted(paths)):
        for ancestor in OrgUnit.objects.filter(path__in=part).only("path", "name", "short_name", "code"):
            keys_by_path[ancestor.path] = _unit_name_keys(ancestor)
    lineage: dict[int, set[str]] = {}
    for membership in memberships:
        path = membership.unit.path
        keys: set[str] = set()
        for i in range(len(unit.path), len(path) + 1, OrgUnit.steplen):
            keys |= keys_by_path.get(path[:i], frozenset())
        lineage[membership.pk] = keys
    return lineage


def _describe(key: PersonKey) -> str:
    extra = []
    if key.birth_date:
        extra.append(f"sinh ngày {key.birth_date:%d/%m/%Y}")
    elif key.birth_year:
        extra.append(f"sinh năm {key.birth_year}")
    if key.unit_text:
        extra.append(f"đơn vị “{key.unit_text}”")
    return f"“{key.full_name}”" + (f" ({', '.join(extra)})" if extra else "")


def _match_one(
    key: PersonKey,
    name: str,
    by_citizen: dict[str, Membership],
    by_card: dict[str, Membership],
    by_name: dict[str, list[Membership]],
    unit_text_keys: dict[str, set[str]],
    lineage: dict[int, set[str]],
    unit: OrgUnit,
) -> PersonMatch:
    citizen_id, card = _digits(key.citizen_id), _card(key.card_number)
    if citizen_id and (found := by_citizen.get(citizen_id)):
        return PersonMatch(found.person, found, [], "")
    found = by_card.get(card) if card else None
    if found and not (citizen_id and found.person.citizen_id and found.person.citizen_id != citizen_id):
        return PersonMatch(found.person, found, [], "")
    if not name:
        if citizen_id or card:
            what = f"số CCCD {mask_citizen_id(citizen_id)}" if citizen_id else f"số thẻ {card}"
            return PersonMatch(None, None, [], f"Không tìm thấy đoàn viên có {what} trong “{unit.name}”.")
        return PersonMatch(None, None, [], "Thiếu họ và tên.")
    # by name: people whose own identifiers contradict the row's are someone else
    candidates = [
        m
        for m in by_name.get(name, [])
        if not (citizen_id and m.person.citizen_id and m.person.citizen_id != citizen_id)
        and not (card and m.card_number and _card(m.card_number) != card)
    ]
    if key.birth_date:
        candidates = [m for m in candidates if m.person.birth_date in (key.birth_date, None)]
        exact = [m for m in candidates if m.person.birth_date == key.birth_date]
        candidates = exact or candidates
    elif key.birth_year:
        candidates = [
            m for m in candidates if m.person.birth_date is None or m.person.birth_date.year == key.birth_year
        ]
        exact = [m for m in candidates if m.person.birth_date is not None]
        candidates = exact or candidates
    if key.unit_text and len(candidates) > 1:
        wanted = unit_text_keys.get(key.unit_text, set())
        narrowed = [m for m in candidates if wanted & lineage.get(m.pk, set())]
        candidates = narrowed or candidates
    if len(candidates) == 1:
        return PersonMatch(candidates[0].person, candidates[0], [], "")
    if not candidates:
        return PersonMatch(None, None, [], f"Không tìm thấy đoàn viên {_describe(key)} trong “{unit.name}”.")
    labels = [person_label(m) for m in candidates]
    return PersonMatch(
        None,
        None,
        labels,
        f"Có {len(candidates)} đoàn viên {_describe(key)} trong “{unit.name}”: "
        "hãy ghi thêm ngày sinh, số thẻ đoàn viên hoặc đơn vị công tác để phân biệt.",
    )


# ---------------------------------------------------------------------------------------------- units
@dataclass
class UnitMatch:
    unit: OrgUnit | None
    candidates: list[str]
    error: str

    @property
    def ok(self) -> bool:
        return self.unit is not None


class UnitIndex:
    """Name keys → units, the nearest (shallowest, then active) first; built once per plan."""

    def __init__(self, units, *, origin: OrgUnit | None = None):
        self.origin = origin
        self.units = list(units)
        self.by_key: dict[str, list[OrgUnit]] = defaultdict(list)
        for candidate in self.units:
            for key in _unit_name_keys(candidate):
                self.by_key[key].append(candidate)
        for found in self.by_key.values():
            found.sort(key=self._distance)

    def _distance(self, candidate: OrgUnit):
        ended = candidate.valid_to is not None
        if self.origin is None:
            return (ended, candidate.depth, candidate.path)
        return (ended, abs(candidate.depth - self.origin.depth), candidate.path)

    def find(self, text: str) -> list[OrgUnit]:
        """The units the text may mean, nearest first; [] when none (several only when they tie)."""
        found: dict[int, OrgUnit] = {}
        for key in unit_keys(text):
            for candidate in self.by_key.get(key, []):
                found.setdefault(candidate.pk, candidate)
        if not found:
            return []
        ordered = sorted(found.values(), key=self._distance)
        best = self._distance(ordered[0])[:2]
        return [u for u in ordered if self._distance(u)[:2] == best]


def unit_index(*, user, action: str, unit: OrgUnit) -> UnitIndex:
    """The units of `unit`'s subtree (itself included) that `user` may act on for `action`."""
    units = OrgUnit.objects.all().restrict(user, action).filter(path__startswith=unit.path)
    return UnitIndex(units.only("id", "path", "depth", "name", "short_name", "code", "valid_to"), origin=unit)


def match_units(texts: list[str], *, user, action: str, unit: OrgUnit) -> list[UnitMatch]:
    """One UnitMatch per text, in the same order: a unit of `unit`'s subtree visible to `user` for `action`."""
    if not texts:
        return []
    index = unit_index(user=user, action=action, unit=unit)
    return [match_unit_text(text, index, within=unit) for text in texts]


def match_unit_text(text: str, index: UnitIndex, *, within: OrgUnit) -> UnitMatch:
    if not (text or "").strip():
        return UnitMatch(None, [], "Thiếu tên đơn vị.")
    found = index.find(text)
    if len(found) == 1:
        return UnitMatch(found[0], [], "")
    if not found:
        return UnitMatch(None, [], f"Không tìm thấy đơn vị “{text}” trong “{within.name}”.")
    return UnitMatch(
        None,
        [f"{u.name} ({u.code})" for u in found],
        f"Có {len(found)} đơn vị tên “{text}” trong “{within.name}”: hãy ghi mã đơn vị để phân biệt.",
    )
