"""Official documents: their numbers (Số: 12/KH-LĐLĐ), allocated once and never reused.

Nghị định 30/2020/NĐ-CP: a document's number is its sequence among the documents the issuing body
issues in the calendar year. `DocumentNumber` rows are never deleted; a unique constraint on
(issuer, year, sequence) backs the locked allocation in `documents.services.number_allocate`. The
subject (a movement's plan today; a decision or a nomination later) is a generic relation, one number
per subject and kind.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from core.access import InSubtree, ScopedManager


class DocumentKind(models.TextChoices):
    KE_HOACH = "KH", "Kế hoạch"
    BAO_CAO = "BC", "Báo cáo"
    QUYET_DINH = "QĐ", "Quyết định"
    TO_TRINH = "TTr", "Tờ trình"
    BIEN_BAN = "BB", "Biên bản"
    CONG_VAN = "CV", "Công văn"


class DocumentNumber(models.Model):
    issuer = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị ban hành", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    sequence = models.PositiveIntegerField("Số thứ tự")
    kind = models.CharField("Loại văn bản", max_length=8, choices=DocumentKind.choices)
    issuer_code = models.CharField("Chữ viết tắt đơn vị ban hành", max_length=30)
    title = models.CharField("Trích yếu", max_length=500)
    issued_on = models.DateField("Ngày ban hành")
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    VISIBILITY = InSubtree("issuer__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Số văn bản"
        verbose_name_plural = "Sổ đăng ký văn bản đi"
        ordering = ["issuer_id", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "sequence"], name="docnumber_unique_sequence"),
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(subject_id__isnull=False),
                name="docnumber_one_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.notation

    @property
    def notation(self) -> str:
        """ "05/KH-LĐLĐ" (ND30: the number, then kind and issuer abbreviations)."""
        return f"{self.sequence:02d}/{self.kind}-{self.issuer_code}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Số văn bản đã cấp không được xóa (không dùng lại số).")


class PaperSize(models.TextChoices):
    A4_LANDSCAPE = "A4L", "A4 ngang (297 × 210 mm)"
    A4_PORTRAIT = "A4P", "A4 dọc (210 × 297 mm)"
    A3_LANDSCAPE = "A3L", "A3 ngang (420 × 297 mm)"


# (width, height) of each paper size in millimetres
PAPER_MM: dict[str, tuple[float, float]] = {
    PaperSize.A4_LANDSCAPE: (297.0, 210.0),
    PaperSize.A4_PORTRAIT: (210.0, 297.0),
    PaperSize.A3_LANDSCAPE: (420.0, 297.0),
}


class CertificateLayout(models.Model):
    """Where the variable fields of a Giấy khen / Bằng khen go on a unit's pre-printed blank.

    `fields` maps each field key of `documents.certificates.FIELDS` to its position
    {"x", "y", "w" (mm), "size" (pt), "bold", "italic", "align" ("L"/"C"/"R"), "show"}; it is validated by
    `documents.services.certificate_layout_update`. A layout without award type is the unit's default.
    """

    issuer = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị ban hành",
        on_delete=models.PROTECT,
        related_name="certificate_layouts",
    )
    award_type = models.ForeignKey(
        "commendations.AwardType",
        verbose_name="Danh hiệu, hình thức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Để trống: mẫu chung cho mọi khen thưởng của đơn vị.",
    )
    name = models.CharField("Tên mẫu in", max_length=150)
    paper = models.CharField(
        "Khổ giấy", max_length=4, choices=PaperSize.choices, default=PaperSize.A4_LANDSCAPE
    )
    fields = models.JSONField("Vị trí các trường", default=dict, blank=True)
    issuer_text = models.CharField(
        "Dòng cơ quan tặng",
        max_length=255,
        blank=True,
        help_text="Để trống: “CHỦ TỊCH” và tên đơn vị ban hành, chữ in hoa.",
    )
    signer_title = models.CharField("Chức vụ người ký", max_length=150, blank=True)
    signer_name = models.CharField("Họ tên người ký", max_length=150, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    VISIBILITY = InSubtree("issuer__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Mẫu in giấy khen, bằng khen"
        verbose_name_plural = "Mẫu in giấy khen, bằng khen"
        ordering = ["issuer_id", "award_type_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "award_type"],
                condition=Q(award_type__isnull=False),
                name="certlayout_one_per_award_type",
            ),
            models.UniqueConstraint(
                fields=["issuer"], condition=Q(award_type__isnull=True), name="certlayout_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def page_mm(self) -> tuple[float, float]:
        return PAPER_MM.get(self.paper, PAPER_MM[PaperSize.A4_LANDSCAPE])
