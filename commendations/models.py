"""Award catalogue, rule sets as data, and the award registry.

- AwardType: the titles and forms of commendation (codes shared with the engine), who may confer them.
- RuleSet: a versioned set of engine parameters with its legal basis and validity period (R-GEN-02).
  Versions never overlap; old versions stay for the dossiers received while they were in force.
- AwardRecord: an award received (entered by hand for history; later created from decisions). Scoped by
  `scope_unit` — the person's union unit when the record was entered, or the awarded collective itself.
"""

from __future__ import annotations

from types import MappingProxyType

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.access import InSubtree, ScopedManager

from .choices import AwardKind, AwardSubject, RecordStatus, SubjectCategory
from .engine.rulesets import RuleSetSpec


class AwardType(models.Model):
    code = models.CharField("Mã", max_length=32, unique=True)
    name = models.CharField("Tên", max_length=255)
    short_name = models.CharField("Tên ngắn", max_length=120, blank=True)
    kind = models.CharField("Loại", max_length=8, choices=AwardKind.choices)
    subject = models.CharField("Đối tượng", max_length=12, choices=AwardSubject.choices)
    conferring_unit_types = models.ManyToManyField(
        "organizations.OrgUnitType",
        verbose_name="Loại đơn vị có thẩm quyền tặng (hoặc đề nghị, nếu do Nhà nước tặng)",
        related_name="+",
        blank=True,
    )
    conferred_by_state = models.BooleanField(
        "Do Nhà nước tặng (Tổng Liên đoàn đề nghị)",
        default=False,
        help_text="Chủ tịch nước, Chính phủ hoặc Thủ tướng quyết định; loại đơn vị ở trên là cấp đề nghị.",
    )
    requires_public_posting = models.BooleanField("Phải công khai trước khi xét", default=False)
    active = models.BooleanField("Đang sử dụng", default=True)
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        verbose_name = "Danh hiệu, hình thức khen thưởng"
        verbose_name_plural = "Danh hiệu, hình thức khen thưởng"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def for_individuals(self) -> bool:
        return self.subject in (AwardSubject.INDIVIDUAL, AwardSubject.BOTH)

    @property
    def for_collectives(self) -> bool:
        return self.subject in (AwardSubject.COLLECTIVE, AwardSubject.BOTH)

    @property
    def label(self) -> str:
        return self.short_name or self.name


class RuleSet(models.Model):
    code = models.CharField("Mã", max_length=50, unique=True)
    name = models.CharField("Tên", max_length=255)
    legal_basis = models.TextField("Căn cứ pháp lý", help_text="Mỗi văn bản một dòng.")
    document_basis = models.TextField(
        "Căn cứ in trên văn bản",
        blank=True,
        help_text=(
            "Các văn bản được trích dẫn ở phần «Căn cứ …;» của tờ trình, quyết định, kế hoạch: mỗi văn bản "
            "một dòng, không ghi chữ «Căn cứ». Để trống: dùng các dòng căn cứ pháp lý."
        ),
    )
    valid_from = models.DateField("Hiệu lực từ ngày")
    valid_to = models.DateField("Hiệu lực đến ngày", null=True, blank=True)
    params = models.JSONField("Tham số", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "Bộ quy tắc"
        verbose_name_plural = "Bộ quy tắc"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_valid_to_after_from",
            ),
            # at most one open version and no overlap are kept by ruleset_new_version (under row locks)
            models.UniqueConstraint(fields=["valid_from"], name="ruleset_unique_valid_from"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def document_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.document_basis.splitlines() if line.strip()]

    @property
    def citations(self) -> list[str]:
        """What an official document issued under this rule set cites after "Căn cứ"."""
        return self.document_basis_lines or self.legal_basis_lines

    def to_spec(self) -> RuleSetSpec:
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in self.params.items()}
        return RuleSetSpec(
            code=self.code,
            name=self.name,
            legal_basis=tuple(self.legal_basis_lines),
            document_basis=tuple(self.document_basis_lines),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            params=MappingProxyType(params),
        )


class AwardRecord(models.Model):
    """One award received by a person or a collective (exactly one of them)."""

    person = models.ForeignKey(
        "members.Person",
        verbose_name="Cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Tập thể",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    scope_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị quản lý",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Nơi sinh hoạt của cá nhân khi ghi sổ, hoặc chính tập thể được khen.",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name="Danh hiệu, hình thức", on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField("Năm (chu kỳ xét)")
    decision_number = models.CharField("Số quyết định", max_length=60)
    decision_date = models.DateField("Ngày quyết định")
    issuing_unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị ban hành", on_delete=models.PROTECT, related_name="+"
    )
    achievement_id = models.CharField("Mã thành tích", max_length=100, blank=True)
    achievement_summary = models.TextField("Tóm tắt thành tích", blank=True)
    subject_category = models.CharField(
        "Phân loại đối tượng",
        max_length=16,
        choices=SubjectCategory.choices,
        blank=True,
        help_text="Chỉ cho cá nhân; để trống với tập thể và khen thưởng các năm trước chưa phân loại.",
    )
    used_for = models.ForeignKey(
        "self",
        verbose_name="Đã dùng làm căn cứ cho",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prerequisites",
    )
    status = models.CharField(
        "Trạng thái", max_length=8, choices=RecordStatus.choices, default=RecordStatus.VALID
    )
    revoked_reason = models.TextField("Lý do thu hồi", blank=True)
    revoked_on = models.DateField("Ngày thu hồi", null=True, blank=True)
    revocation_ref = models.CharField("Quyết định thu hồi", max_length=100, blank=True)
    needs_review = models.BooleanField(
        "Cần xem xét lại",
        default=False,
        help_text="Một khen thưởng làm căn cứ cho khen thưởng này đã bị thu hồi.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi sổ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("Ghi sổ lúc", auto_now_add=True)
    # entered by an import of past awards (commendations/importers.py): the file and the import it came from
    source_file = models.CharField("Nhập từ tệp", max_length=255, blank=True)
    source_import_id = models.PositiveIntegerField("Mã lần nhập", null=True, blank=True)

    VISIBILITY = InSubtree("scope_unit__path", self_lookup="person_id")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Sổ khen thưởng"
        verbose_name_plural = "Sổ khen thưởng"
        ordering = ["-year", "-decision_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="awardrecord_person_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "award_type", "year", "decision_number"],
                condition=Q(person__isnull=False),
                name="awardrecord_unique_person_decision",
            ),
            models.UniqueConstraint(
                fields=["unit", "award_type", "year", "decision_number"],
                condition=Q(unit__isnull=False),
                name="awardrecord_unique_unit_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "award_type"], name="awardrecord_year_type"),
            # the registry's order (commendations.selectors.award_records): a page reads one page
            models.Index(fields=["-year", "-decision_date", "-id"], name="awardrecord_registry_order"),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.label} {self.year} — {self.subject_name}"

    @property
    def subject_name(self) -> str:
        return str(self.person) if self.person_id else str(self.unit)

    @property
    def is_valid(self) -> bool:
        return self.status == RecordStatus.VALID
