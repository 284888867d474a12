"""Codes of the commendations app: award kinds and subjects, record status, and the award catalogue
(seeded by a data migration and re-ensurable by `reference.ensure_catalogue`; editable in the admin)."""

from django.db import models

from .engine.catalogue import AWARD_NAMES


class AwardKind(models.TextChoices):
    TITLE = "TITLE", "Danh hiệu thi đua"
    FORM = "FORM", "Hình thức khen thưởng"


class AwardSubject(models.TextChoices):
    INDIVIDUAL = "INDIVIDUAL", "Cá nhân"
    COLLECTIVE = "COLLECTIVE", "Tập thể"
    BOTH = "BOTH", "Cá nhân và tập thể"


class RecordStatus(models.TextChoices):
    VALID = "VALID", "Có hiệu lực"
    REVOKED = "REVOKED", "Đã thu hồi"


# Unit types by level (organizations.choices.UNIT_TYPES).
_TOP = ("TLD",)
_PROVINCE = ("LDLD_TINH", "CD_NGANH")
_PROVINCE_ALL = (*_PROVINCE, "CD_VIEN_CHUC")
_ABOVE_GRASSROOTS = ("LDLD_HUYEN", "CD_CTTCS")
_GRASSROOTS = ("CDCS",)
FROM_GRASSROOTS = (*_GRASSROOTS, *_ABOVE_GRASSROOTS, *_PROVINCE_ALL, *_TOP)
FROM_ABOVE_GRASSROOTS = (*_ABOVE_GRASSROOTS, *_PROVINCE_ALL, *_TOP)

# code: (kind, subject, conferring unit types, conferred_by_state, requires_public_posting)
# For awards conferred by the State the listed unit type is the proposing authority (the Tổng Liên đoàn).
CATALOGUE: dict[str, tuple[str, str, tuple[str, ...], bool, bool]] = {
    "LDTT": (AwardKind.TITLE, AwardSubject.INDIVIDUAL, FROM_GRASSROOTS, False, False),
    "CSTDCS": (AwardKind.TITLE, AwardSubject.INDIVIDUAL, FROM_ABOVE_GRASSROOTS, False, False),
    "CSTD_BO": (AwardKind.TITLE, AwardSubject.INDIVIDUAL, (*_PROVINCE, *_TOP), False, True),
    "CSTD_TQ": (AwardKind.TITLE, AwardSubject.INDIVIDUAL, _TOP, True, True),
    "TTLDTT": (AwardKind.TITLE, AwardSubject.COLLECTIVE, FROM_ABOVE_GRASSROOTS, False, False),
    "TTLDXS": (AwardKind.TITLE, AwardSubject.COLLECTIVE, (*_PROVINCE_ALL, *_TOP), False, False),
    "CO_TD_CP": (AwardKind.TITLE, AwardSubject.COLLECTIVE, _TOP, True, True),
    "CO_TD_TLD": (AwardKind.TITLE, AwardSubject.COLLECTIVE, _TOP, False, True),
    "GK": (AwardKind.FORM, AwardSubject.BOTH, FROM_GRASSROOTS, False, False),
    "BK_LDLD": (AwardKind.FORM, AwardSubject.BOTH, _PROVINCE, False, False),
    "BK_TLD": (AwardKind.FORM, AwardSubject.BOTH, _TOP, False, False),
    "BK_CD_TLD": (AwardKind.FORM, AwardSubject.BOTH, _TOP, False, False),
    "BK_TTG": (AwardKind.FORM, AwardSubject.BOTH, _TOP, True, True),
    "LDST": (AwardKind.FORM, AwardSubject.INDIVIDUAL, _TOP, False, False),
    "KNC_CD": (AwardKind.FORM, AwardSubject.INDIVIDUAL, _TOP, False, False),
}


def catalogue_rows():
    """(code, name, short_name, kind, subject, unit type codes, by_state, posting, position) in catalogue order."""
    for position, (code, (kind, subject, types, by_state, posting)) in enumerate(CATALOGUE.items()):
        name, short = AWARD_NAMES[code]
        yield code, name, short, str(kind), str(subject), types, by_state, posting, (position + 1) * 10
