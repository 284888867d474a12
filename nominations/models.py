"""Commendation dossiers moving up the hierarchy, public posting, council ballots and decisions.

Secrecy of the ballot: `BallotReceipt` records *who* has voted on a nominee; `BallotTally` holds *how
many* voted yes, no and abstained — ONE row per session × nominee with the three counters, incremented
in the receipt's transaction. There is no per-vote row at all, so no row order (rowid, ctid), key or
timestamp can tie a choice to a receipt; which tally row a vote touched tells only the nominee, which
the receipt says anyway.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commendations.choices import SubjectCategory
from core.access import ScopedManager, Via
from core.models import TimeStampedModel

from .choices import (
    CommentStatus,
    CouncilRole,
    DocumentKind,
    DossierKind,
    DossierState,
    ItemStatus,
    SessionState,
    StepVerdict,
)
from .visibility import CouncilSessionVisibility, DossierVisibility


class Dossier(TimeStampedModel):
    proposing_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị đề nghị",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    authority = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Cấp có thẩm quyền khen thưởng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the issuing level the proposer chose while preparing (None: the nearest unit allowed to confer
    # every award); checked at submit, when it becomes `authority`
    chosen_authority = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Cấp khen thưởng được chọn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_level = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đang ở cấp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("Loại khen thưởng", max_length=16, choices=DossierKind.choices)
    year = models.PositiveSmallIntegerField("Năm thành tích")
    title = models.CharField("Trích yếu", max_length=255)
    state = models.CharField(
        "Trạng thái", max_length=16, choices=DossierState.choices, default=DossierState.DRAFT
    )
    received_on = models.DateField("Ngày cấp có thẩm quyền tiếp nhận", null=True, blank=True)
    submitted_at = models.DateTimeField("Gửi lúc", null=True, blank=True)
    # decided nominee by nominee at the authority without a council vote (awards declared
    # `council_vote=False`: nominations.services.approval)
    approved_at = models.DateTimeField("Xét duyệt trực tiếp lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = DossierVisibility()
    objects = ScopedManager()

    class Meta:
        verbose_name = "Hồ sơ đề nghị khen thưởng"
        verbose_name_plural = "Hồ sơ đề nghị khen thưởng"
        ordering = ["-created_at"]
        indexes = [  # the inbox's lists (nominations.selectors.inbox_*), paged without a sort
            models.Index(fields=["-updated_at", "-id"], name="dossier_recent"),
            models.Index(fields=["state", "-updated_at", "-id"], name="dossier_state_recent"),
            models.Index(fields=["-created_at", "-id"], name="dossier_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("nominations:detail", args=[self.pk])


class NominationItem(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("Thứ tự ưu tiên", default=0)
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        "organizations.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    award_type = models.ForeignKey(
        "commendations.AwardType", verbose_name="Hình thức, danh hiệu", on_delete=models.PROTECT
    )
    achievement_summary = models.TextField("Tóm tắt thành tích")
    achievement_id = models.CharField("Mã thành tích", max_length=100, blank=True)
    verdict = models.JSONField("Kết quả kiểm tra điều kiện", default=dict, blank=True)
    override_reason = models.TextField("Lý do đề nghị dù chưa đủ điều kiện", blank=True)
    # commendations.choices.SubjectCategory; only for a person (blank for a collective)
    subject_category = models.CharField(
        "Phân loại đối tượng", max_length=16, choices=SubjectCategory.choices, blank=True
    )
    # the list this nominee was imported from ("danh-sach-de-nghi.xlsx"), "" when added by hand
    source_file = models.CharField("Nhập từ tệp", max_length=255, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    returned_reason = models.TextField("Lý do trả lại", blank=True)

    class Meta:
        verbose_name = "Người/tập thể được đề nghị"
        verbose_name_plural = "Người/tập thể được đề nghị"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="nomination_person_xor_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} — {self.award_type}"

    @property
    def nominee(self):
        return self.person or self.unit

    @property
    def eligible(self) -> bool | None:
        return self.verdict.get("eligible") if self.verdict else None

    @property
    def has_automatic_criteria(self) -> bool:
        """The award declares criteria the engine checks; without them only R-GEN-01 ran, and a passed
        verdict says nothing about the merits ("Chưa có tiêu chí tự động — cán bộ kiểm tra hồ sơ")."""
        from commendations.engine.declarations import declaration

        decl = declaration(self.award_type.code)
        return decl is not None and decl.build is not None


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("Loại tài liệu", max_length=16, choices=DocumentKind.choices)
    file = models.FileField("Tệp", upload_to="dossiers/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Tài liệu hồ sơ"
        verbose_name_plural = "Tài liệu hồ sơ"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.dossier}"

    def get_absolute_url(self) -> str:
        return reverse("nominations:document", args=[self.dossier_id, self.pk])

    @property
    def filename(self) -> str:
        """The file's name as uploaded (storage may have added a suffix to keep names apart)."""
        return (self.file.name or "").rsplit("/", 1)[-1]


class ApprovalStep(models.Model):
    """One level's handling of the dossier in one round (a returned dossier starts a new round)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    level = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Cấp xét", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("Lượt", default=1)
    is_authority = models.BooleanField("Là cấp có thẩm quyền", default=False)
    opened_at = models.DateTimeField("Mở hồ sơ lúc", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict = models.CharField(
        "Kết quả", max_length=16, choices=StepVerdict.choices, default=StepVerdict.PENDING
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acted_at = models.DateTimeField("Xử lý lúc", null=True, blank=True)
    reason = models.TextField("Ý kiến, lý do", blank=True)

    class Meta:
        verbose_name = "Bước xét duyệt"
        verbose_name_plural = "Các bước xét duyệt"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(verdict="PENDING"), name="one_pending_step_per_dossier"
            )
        ]
        # the inbox's "waiting for me" list: pending steps in id order, paged without a scan of the rest
        indexes = [models.Index(fields=["id"], condition=Q(verdict="PENDING"), name="approvalstep_pending")]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.level} ({self.get_verdict_display()})"


def posting_token() -> str:
    """The unguessable key of a public posting page (its URL never carries the sequential id)."""
    return secrets.token_urlsafe(16)


class PublicPosting(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="posting")
    token = models.CharField(
        "Mã trang công khai", max_length=32, unique=True, default=posting_token, editable=False
    )
    starts_on = models.DateField("Công khai từ ngày")
    ends_on = models.DateField("Đến ngày")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Công khai lấy ý kiến"
        verbose_name_plural = "Công khai lấy ý kiến"

    def __str__(self) -> str:
        return f"Công khai {self.dossier} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("nominations:public", args=[self.token])

    def is_open(self, today: dt.date | None = None) -> bool:
        """Comments are taken from `starts_on` to `ends_on` inclusive, until the posting is closed."""
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on and not self.closed_at

    def is_over(self, today: dt.date | None = None) -> bool:
        """The period has ended (or the posting was closed): the public page shows no form any more."""
        today = today or timezone.localdate()
        return today > self.ends_on or bool(self.closed_at)


class PublicComment(models.Model):
    posting = models.ForeignKey(PublicPosting, on_delete=models.CASCADE, related_name="comments")
    author_name = models.CharField("Họ tên", max_length=150)
    contact = models.CharField("Điện thoại hoặc thư điện tử", max_length=150, blank=True)
    text = models.TextField("Ý kiến")
    status = models.CharField(max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Ý kiến góp ý"
        verbose_name_plural = "Ý kiến góp ý"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class CouncilMember(models.Model):
    """A member of the emulation and commendation council (Hội đồng TĐKT) of a unit."""

    unit = models.ForeignKey(
        "organizations.OrgUnit", on_delete=models.PROTECT, related_name="council_members"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(
        "Chức danh", max_length=8, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    valid_from = models.DateField("Từ ngày")
    valid_to = models.DateField("Đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "Thành viên Hội đồng TĐKT"
        verbose_name_plural = "Thành viên Hội đồng TĐKT"
        constraints = [
            models.UniqueConstraint(fields=["unit", "user", "valid_from"], name="one_council_seat")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class CouncilSession(models.Model):
    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Hội đồng của", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("Nội dung phiên họp", max_length=255)
    held_on = models.DateField("Ngày họp")
    starts_at = models.TimeField("Giờ họp", null=True, blank=True)
    place = models.CharField("Địa điểm", max_length=255, blank=True)
    secretary = models.CharField("Thư ký phiên họp", max_length=150, blank=True)
    council_size = models.PositiveSmallIntegerField("Tổng số thành viên Hội đồng")
    dossiers = models.ManyToManyField(Dossier, related_name="council_sessions")
    state = models.CharField(max_length=8, choices=SessionState.choices, default=SessionState.OPEN)
    minutes = models.TextField("Biên bản", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    VISIBILITY = CouncilSessionVisibility()
    objects = ScopedManager()

    class Meta:
        verbose_name = "Phiên họp Hội đồng TĐKT"
        verbose_name_plural = "Phiên họp Hội đồng TĐKT"

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class BallotReceipt(models.Model):
    """Who has voted on a nominee in a session — never what."""

    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="receipts")
    item = models.ForeignKey(NominationItem, on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "item", "voter"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.voter} đã bỏ phiếu"


class BallotTally(models.Model):
    """The counted votes on one nominee in one session: the three counters live in one row, so the
    row (and its last writer) shows that somebody voted on this nominee, never what."""

    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="tallies")
    item = models.ForeignKey(NominationItem, on_delete=models.PROTECT, related_name="+")
    yes = models.PositiveIntegerField("Đồng ý", default=0)
    no = models.PositiveIntegerField("Không đồng ý", default=0)
    abstain = models.PositiveIntegerField("Không biểu quyết", default=0)

    class Meta:
        verbose_name = "Kết quả kiểm phiếu"
        verbose_name_plural = "Kết quả kiểm phiếu"
        constraints = [models.UniqueConstraint(fields=["session", "item"], name="one_tally_per_nominee")]

    def __str__(self) -> str:
        return f"{self.yes} đồng ý, {self.no} không đồng ý, {self.abstain} không biểu quyết"


class Decision(models.Model):
    issuing_unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    sequence = models.PositiveIntegerField("Số")
    symbol = models.CharField("Ký hiệu", max_length=50)
    issued_on = models.DateField("Ngày ký")
    signer_name = models.CharField("Người ký", max_length=150)
    signer_title = models.CharField("Chức vụ người ký", max_length=150)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="decisions")
    award_records = models.ManyToManyField("commendations.AwardRecord", related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    VISIBILITY = Via("dossier")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Quyết định khen thưởng"
        verbose_name_plural = "Quyết định khen thưởng"
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "sequence"], name="decision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"

    @property
    def number(self) -> str:
        """ "05/QĐ-LĐLĐ": Nghị định 30/2020 writes numbers below 10 with a leading zero."""
        return f"{self.sequence:02d}/{self.symbol}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class NominationDeadline(models.Model):
    """An organiser's annual calendar: dossiers of a kind for a year are due by this date (the inbox flags
    what is still in preparation or waiting after it)."""

    organiser = models.ForeignKey(
        "organizations.OrgUnit", on_delete=models.PROTECT, related_name="nomination_deadlines"
    )
    year = models.PositiveSmallIntegerField("Năm thành tích")
    kind = models.CharField("Loại khen thưởng", max_length=16, choices=DossierKind.choices)
    due_on = models.DateField("Hạn nộp hồ sơ")
    note = models.CharField("Ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "Hạn nộp hồ sơ khen thưởng"
        verbose_name_plural = "Lịch nộp hồ sơ khen thưởng"
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year", "kind"], name="one_deadline_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organiser}: {self.get_kind_display()} {self.year} — {self.due_on:%d/%m/%Y}"
