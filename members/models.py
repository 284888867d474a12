"""People and their union memberships over time.

A Membership places a person in the unit where they take part in union life: a union group (Tổ công
đoàn / Công đoàn bộ phận) or the grassroots union (CĐCS) itself. The grassroots union is the nearest
ancestor of type CĐCS, derived from the tree, so moving a group keeps its members with it.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.access import InSubtree, ScopedManager
from core.models import TimeStampedModel
from core.text import fold, normalize, person_sort_key

from .choices import Gender, UnionRole, WorkMode

citizen_id_validator = RegexValidator(r"^\d{12}$", "Số CCCD phải gồm đúng 12 chữ số.")


def mask_citizen_id(value: str | None) -> str:
    """ "001085012345" → "••••••••2345": only the last four digits are ever shown on screens."""
    if not value:
        return ""
    return "•" * (len(value) - 4) + value[-4:]


class Person(TimeStampedModel):
    family_name = models.CharField("Họ", max_length=50, blank=True)
    middle_name = models.CharField("Tên đệm", max_length=80, blank=True)
    given_name = models.CharField("Tên", max_length=50)
    full_name = models.CharField("Họ và tên", max_length=190, editable=False)
    gender = models.CharField("Giới tính", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("Ngày sinh", null=True, blank=True)
    citizen_id = models.CharField(
        "Số CCCD", max_length=12, null=True, blank=True, unique=True, validators=[citizen_id_validator]
    )
    phone = models.CharField("Điện thoại", max_length=20, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    union_joined_on = models.DateField("Ngày vào công đoàn", null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "sort_key", "updated_at"])

    VISIBILITY = InSubtree("memberships__unit__path", multi=True, self_lookup="pk")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Đoàn viên"
        verbose_name_plural = "Đoàn viên"
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def refresh_derived(self) -> None:
        # the one form of text (core.text.normalize) whatever path wrote the name: screens, imports, shell
        self.family_name = normalize(self.family_name)
        self.middle_name = normalize(self.middle_name)
        self.given_name = normalize(self.given_name)
        self.full_name = " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)
        self.search_text = fold(self.full_name)
        self.sort_key = person_sort_key(
            family_name=self.family_name, middle_name=self.middle_name, given_name=self.given_name
        )

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    @property
    def citizen_id_masked(self) -> str:
        return mask_citizen_id(self.citizen_id)


class Membership(TimeStampedModel):
    person = models.ForeignKey(
        Person, verbose_name="Đoàn viên", on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Nơi sinh hoạt",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    union_role = models.CharField(
        "Chức vụ công đoàn", max_length=16, choices=UnionRole.choices, default=UnionRole.DOAN_VIEN
    )
    job_title = models.CharField("Chức vụ chuyên môn", max_length=150, blank=True)
    work_mode = models.CharField(
        "Hình thức làm công tác công đoàn", max_length=16, choices=WorkMode.choices, default=WorkMode.NONE
    )
    card_number = models.CharField("Số thẻ đoàn viên", max_length=30, blank=True)
    started_on = models.DateField("Sinh hoạt từ ngày")
    ended_on = models.DateField("Đến ngày", null=True, blank=True)
    end_reason = models.CharField("Lý do kết thúc", max_length=255, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    VISIBILITY = InSubtree("unit__path", self_lookup="person_id")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Quá trình sinh hoạt công đoàn"
        verbose_name_plural = "Quá trình sinh hoạt công đoàn"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_end_after_start",
            ),
            # one card, one open membership (the roster import matches people by it; two imports at
            # once must not hand the same card to two people)
            models.UniqueConstraint(
                fields=["card_number"],
                condition=Q(ended_on__isnull=True) & ~Q(card_number=""),
                name="one_open_membership_per_card_number",
            ),
        ]
        indexes = [models.Index(fields=["card_number"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.unit}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
