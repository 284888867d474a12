"""Codes of the commendations app: award kinds and subjects, record status, and the award catalogue
derived from the award declarations (seeded by a data migration and re-ensurable by
`reference.ensure_catalogue`; editable in the admin)."""

from django.db import models

from .engine.declarations import DECLARATIONS


class AwardKind(models.TextChoices):
    TITLE = "TITLE", "Danh hiệu thi đua"
    FORM = "FORM", "Hình thức khen thưởng"


class AwardSubject(models.TextChoices):
    INDIVIDUAL = "INDIVIDUAL", "Cá nhân"
    COLLECTIVE = "COLLECTIVE", "Tập thể"
    BOTH = "BOTH", "Cá nhân và tập thể"


class SubjectCategory(models.TextChoices):
    """Phân loại đối tượng: who an individual nominee is. The union's stated priority is awards to direct
    workers; blank for collectives and for history entered without it."""

    LEADER = "LEADER", "Lãnh đạo, quản lý"
    DIRECT_WORKER = "DIRECT_WORKER", "Công nhân, người lao động trực tiếp"
    OFFICIAL = "OFFICIAL", "Cán bộ, công chức, viên chức"
    UNION_STAFF = "UNION_STAFF", "Cán bộ công đoàn chuyên trách"
    OTHER = "OTHER", "Khác"


class RecordStatus(models.TextChoices):
    VALID = "VALID", "Có hiệu lực"
    REVOKED = "REVOKED", "Đã thu hồi"


def catalogue_rows():
    """(code, name, short_name, kind, subject, unit type codes, by_state, posting, position) in catalogue
    order — one row per award declaration (commendations/engine/awards.py)."""
    for position, decl in enumerate(DECLARATIONS.values()):
        yield (
            decl.code,
            decl.name,
            decl.short_name,
            decl.kind,
            decl.subject_code,
            decl.conferring_unit_types,
            decl.conferred_by_state,
            decl.requires_public_posting,
            (position + 1) * 10,
        )
