"""The abbreviation of an issuing unit in a document's notation (Nghị định 30/2020: "05/KH-LĐLĐ",
"01/QĐ-CĐCS"): one table by unit type, used by the documents and by the decision form."""

from __future__ import annotations

import re

# Abbreviation of the issuing body in a document's notation ("05/KH-LĐLĐ"), by unit type.
TYPE_ABBREVIATIONS = {
    "TLD": "TLĐ",
    "LDLD_TINH": "LĐLĐ",
    "LDLD_HUYEN": "LĐLĐ",
    "CD_NGANH": "CĐN",
    "CD_VIEN_CHUC": "CĐVC",
    "CD_CTTCS": "CĐCTCS",
    "CDCS": "CĐCS",
    "CD_BO_PHAN": "CĐBP",
    "TO_CD": "TCĐ",
}


def issuer_abbreviation(unit) -> str:
    code = TYPE_ABBREVIATIONS.get(unit.unit_type.code)
    if code:
        return code
    words = re.findall(r"\w+", unit.short_name or unit.name)
    return "".join(w[0].upper() for w in words)[:10] or "CĐ"
