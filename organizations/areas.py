"""Official administrative units (issue 15): the 34 provinces and their communes / wards since 01/07/2025,
the 63 provinces, their districts and communes before, and the old-to-new mapping.

A thin, cached layer over the dataset of the `vietnamadminunits` package (pinned in pyproject.toml): its
SQLite file `data/dataset.db` (tables `admin_units` — today's units — and `admin_units_legacy`) and its
mapping `data/converter_2025.json`. Both ship inside the package; nothing is fetched at run time. The files
are read directly: importing the package itself would load its geocoding helpers (shapely, geopy), which
thidua does not use.

Codes (what `OrgUnit.area_code` stores) carry the level, because the GSO reused old commune codes for
the new communes: "T01" (today's province 01), "X00004" (today's commune 00004), and for the units before
2025 "cu:T01", "cu:H282" (district), "cu:X10105". An old code keeps its meaning and resolves to its
successor(s) (`successors`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.text import fold

PACKAGE = "vietnamadminunits"
OLD = "cu:"

PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"


@dataclass(frozen=True)
class Area:
    code: str
    name: str  # "Xã Mỹ Đức", "Huyện Mỹ Đức", "Thành phố Hà Nội"
    full_name: str  # "Xã Mỹ Đức, Thành phố Hà Nội" (before 2025: with the district)
    province: str  # the province's name
    level: str  # PROVINCE, DISTRICT (before 2025 only) or COMMUNE
    current: bool  # a unit of today's list (False: before 01/07/2025)
    successor_codes: tuple[str, ...] = ()  # old units: today's units they became part of
    search_text: str = field(default="", repr=False, compare=False)  # folded name and province
    former_text: str = field(default="", repr=False, compare=False)  # folded names of its predecessors

    @property
    def label(self) -> str:
        return self.full_name if self.current else f"{self.full_name} (trước 01/07/2025)"


def _data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Thiếu gói dữ liệu đơn vị hành chính “{PACKAGE}”.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@functools.cache
def _catalogue() -> dict[str, Area]:
    """Every unit by code, built once per process (about 14,000 units, a fraction of a second)."""
    data = _data_dir()
    db = data / "dataset.db"
    mapping = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    new_rows = _rows(db, "SELECT * FROM admin_units")
    old_rows = _rows(db, "SELECT * FROM admin_units_legacy")

    new_province_by_key = {r["provinceKey"]: "T" + r["provinceCode"] for r in new_rows}
    new_ward_by_key = {(r["provinceKey"], r["wardKey"]): "X" + r["wardCode"] for r in new_rows}

    # old province key -> new province code; old "province_district_ward" key -> new commune codes
    province_successor = {
        old: new_province_by_key[new] for new, olds in mapping["DICT_PROVINCE"].items() for old in olds
    }
    ward_successors: dict[str, list[str]] = {}
    for new_province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            code = new_ward_by_key.get((new_province, new_ward))
            for old in olds:
                if code and code not in ward_successors.setdefault(old, []):
                    ward_successors[old].append(code)
    for new_province, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
            for part in ordered:
                code = new_ward_by_key.get((new_province, part["newWardKey"]))
                if code and code not in ward_successors.setdefault(old, []):
                    ward_successors[old].append(code)

    areas: dict[str, Area] = {}
    formers: dict[str, set[str]] = {}
    for r in new_rows:
        province = r["province"]
        pcode = "T" + r["provinceCode"]
        if pcode not in areas:
            areas[pcode] = Area(pcode, province, province, province, PROVINCE, True, (), fold(province))
        wcode = "X" + r["wardCode"]
        full = f"{r['ward']}, {province}"
        areas[wcode] = Area(wcode, r["ward"], full, province, COMMUNE, True, (), fold(full))

    district_successors: dict[str, list[str]] = {}
    for r in old_rows:
        province, pkey = r["province"], r["provinceKey"]
        pcode = OLD + "T" + r["provinceCode"]
        if pcode not in areas:
            succ = province_successor.get(pkey)
            areas[pcode] = Area(
                pcode, province, province, province, PROVINCE, False, (succ,) if succ else (), fold(province)
            )
        dcode = OLD + "H" + r["districtCode"]
        district_successors.setdefault(dcode, [])
        if dcode not in areas:
            full = f"{r['district']}, {province}"
            areas[dcode] = Area(dcode, r["district"], full, province, DISTRICT, False, (), fold(full))
        ward_key = f"{pkey}_{r['districtKey']}_{r['wardKey'] or ''}"
        succ = tuple(ward_successors.get(ward_key, ()))
        for code in succ:
            if code not in district_successors[dcode]:
                district_successors[dcode].append(code)
            formers.setdefault(code, set()).update({fold(r["district"]), fold(r["ward"] or "")})
        if r["wardCode"]:
            wcode = OLD + "X" + r["wardCode"]
            full = f"{r['ward']}, {r['district']}, {province}"
            areas[wcode] = Area(wcode, r["ward"], full, province, COMMUNE, False, succ, fold(full))
    for dcode, succ in district_successors.items():
        area = areas[dcode]
        areas[dcode] = Area(**{**area.__dict__, "successor_codes": tuple(succ)})
    for code, names in formers.items():
        area = areas[code]
        areas[code] = Area(**{**area.__dict__, "former_text": " | ".join(sorted(n for n in names if n))})
    return areas


def get(code: str | None) -> Area | None:
    """The unit of that code (today's or before 2025), None for an unknown or empty code."""
    if not code:
        return None
    return _catalogue().get(code.strip())


def successors(old_code: str) -> list[Area]:
    """Today's units an old unit became part of (a commune split in several: the main one first; a
    district: every commune formed from its communes). A current code is its own successor."""
    area = get(old_code)
    if area is None:
        return []
    if area.current:
        return [area]
    found = (get(code) for code in area.successor_codes)
    return sorted((a for a in found if a is not None), key=lambda a: fold(a.name))


def search(text: str, limit: int = 20) -> list[Area]:
    """Units whose name (with its province) holds every word typed, accents ignored: "ha noi",
    "my duc ha noi". Today's units come first, then today's communes formed from an old unit of that name
    ("my duc" also finds the communes of the former district Mỹ Đức), then the units before 2025."""
    words = fold((text or "")[:100]).split()
    if not words or len("".join(words)) < 2:
        return []
    phrase = " ".join(words)
    ranked = []
    for area in _catalogue().values():
        if all(w in area.search_text for w in words):
            closeness = 0 if phrase in fold(area.name) else 1  # the name itself before its province's units
            tier = closeness if area.current else 3 + closeness
        elif area.current and area.former_text and phrase in area.former_text:
            tier = 2
        else:
            continue
        level = {PROVINCE: 0, DISTRICT: 1, COMMUNE: 2}[area.level]
        ranked.append((tier, level, area.search_text, area))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]


def search_more(text: str, limit: int = 20) -> tuple[list[Area], bool]:
    found = search(text, limit + 1)
    return found[:limit], len(found) > limit


def resolve(text: str) -> Area | None:
    """Without JavaScript: a typed code, or an exact name (with or without the province, or as the
    picker shows it) naming one unit — today's preferred over an old one of the same name."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = get(text)
    if by_code is not None:
        return by_code
    folded = fold(text)
    exact = [a for a in _catalogue().values() if folded in (fold(a.name), a.search_text, fold(a.label))]
    current = [a for a in exact if a.current]
    if len(current) == 1:
        return current[0]
    if not current and len(exact) == 1:
        return exact[0]
    if exact:
        raise LookupError(f"Có {len(exact)} đơn vị hành chính tên “{text}”")
    return None
