"""Emulation movements and what happens inside them: targets, registrations, evaluations, reports.

A movement is launched by an organiser unit for its subtree (optionally narrowed to unit types, sectors
or an audience such as women); every unit below sees the movements of all its ancestors. Registrations,
evaluations and reports carry the unit they concern, so permission scoping is one path filter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.access import AlongPath, InSubtree, ScopedManager
from core.models import TimeStampedModel

from .choices import Audience, Discipline, MilestoneKind, MovementKind, MovementStatus, Rating, ReportStage


class Movement(TimeStampedModel):
    organiser = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị phát động",
        on_delete=models.PROTECT,
        related_name="movements",
    )
    name = models.CharField("Tên phong trào", max_length=255)
    kind = models.CharField("Loại", max_length=16, choices=MovementKind.choices)
    year = models.PositiveSmallIntegerField("Năm")
    description = models.TextField("Nội dung, mục đích", blank=True)
    start_date = models.DateField("Từ ngày")
    end_date = models.DateField("Đến ngày")
    audience = models.CharField("Đối tượng", max_length=16, choices=Audience.choices, default=Audience.ALL)
    unit_types = models.ManyToManyField(
        "organizations.OrgUnitType", verbose_name="Chỉ áp dụng cho loại đơn vị", blank=True, related_name="+"
    )
    sectors = models.ManyToManyField(
        "organizations.Sector", verbose_name="Chỉ áp dụng cho khối", blank=True, related_name="+"
    )
    plan_document = models.FileField("Kế hoạch (tệp)", upload_to="movements/%Y/", blank=True)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=MovementStatus.choices, default=MovementStatus.DRAFT
    )
    launched_on = models.DateField("Ngày phát động", null=True, blank=True)
    closed_on = models.DateField("Ngày tổng kết", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = AlongPath("organiser__path", steplen=4)
    objects = ScopedManager()

    class Meta:
        verbose_name = "Phong trào thi đua"
        verbose_name_plural = "Phong trào thi đua"
        ordering = ["-year", "name"]
        # the movement list's order (movements.selectors.movement_list): a page reads one page
        indexes = [models.Index(fields=["-year", "name", "id"], name="movement_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="movement_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def for_individuals(self) -> bool:
        return self.audience in (Audience.ALL, Audience.WOMEN, Audience.INDIVIDUALS)

    @property
    def for_collectives(self) -> bool:
        return self.audience in (Audience.ALL, Audience.COLLECTIVES)


class Milestone(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("Mốc", max_length=16, choices=MilestoneKind.choices)
    due_on = models.DateField("Ngày")
    note = models.CharField("Ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "Mốc thời gian"
        verbose_name_plural = "Mốc thời gian"
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["movement", "kind"], name="one_milestone_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d/%m/%Y}"


class Target(models.Model):
    """A chỉ tiêu of the movement: what every unit reports against at sơ kết and tổng kết."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField("Chỉ tiêu", max_length=255)
    unit_of_measure = models.CharField("Đơn vị tính", max_length=50)
    target_value = models.DecimalField("Mức phấn đấu", max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        verbose_name = "Chỉ tiêu"
        verbose_name_plural = "Chỉ tiêu"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_share(self) -> bool:
        """A percentage (đơn vị tính "%", "phần trăm", "tỷ lệ"): the units' figures are not added up."""
        unit = self.unit_of_measure.strip().lower()
        return unit.startswith("%") or unit in ("phần trăm", "tỷ lệ", "tỉ lệ", "tỷ lệ %", "tỉ lệ %")


class Registration(TimeStampedModel):
    """A person or a collective registers for titles in a movement, with commitments."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text="Tập thể đăng ký, hoặc nơi sinh hoạt của cá nhân khi đăng ký.",
    )
    titles = models.JSONField("Danh hiệu đăng ký", default=list)
    commitments = models.TextField("Nội dung cam kết", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = InSubtree("unit__path", self_lookup="person_id")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Đăng ký thi đua"
        verbose_name_plural = "Đăng ký thi đua"
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "person"],
                condition=Q(person__isnull=False),
                name="one_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=Q(person__isnull=True),
                name="one_registration_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"Đăng ký “{self.movement}” — {self.person or self.unit}"

    @property
    def is_collective(self) -> bool:
        return self.person_id is None


class Evaluation(TimeStampedModel):
    """A member's year-end evaluation: the history the eligibility engine reads."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField("Năm")
    unit = models.ForeignKey(
        "organizations.OrgUnit", verbose_name="Đơn vị đánh giá", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField("Xếp loại", max_length=4, choices=Rating.choices)
    months_worked = models.PositiveSmallIntegerField("Số tháng công tác", default=12)
    absent_days = models.PositiveSmallIntegerField("Số ngày nghỉ (không kể thai sản)", default=0)
    maternity_days = models.PositiveSmallIntegerField("Số ngày nghỉ thai sản", default=0)
    discipline = models.CharField("Kỷ luật", max_length=16, choices=Discipline.choices, blank=True)
    discipline_on = models.DateField("Ngày kỷ luật", null=True, blank=True)
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = InSubtree("unit__path", self_lookup="person_id")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Đánh giá, xếp loại cá nhân"
        verbose_name_plural = "Đánh giá, xếp loại cá nhân"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_evaluation_per_person_year"),
            models.CheckConstraint(condition=Q(months_worked__lte=12), name="months_worked_max_12"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}: {self.rating}"


class CollectiveEvaluation(TimeStampedModel):
    """A collective's (or the grassroots union's own) year-end rating and score."""

    unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField("Năm")
    rating = models.CharField("Xếp loại", max_length=4, choices=Rating.choices)
    score = models.DecimalField("Điểm", max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Đánh giá, xếp loại tập thể"
        verbose_name_plural = "Đánh giá, xếp loại tập thể"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_collective_evaluation_per_year")
        ]


class ProgressReport(TimeStampedModel):
    """A unit's report against the movement's targets at sơ kết or tổng kết."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "organizations.OrgUnit", on_delete=models.PROTECT, related_name="progress_reports"
    )
    stage = models.CharField("Kỳ báo cáo", max_length=16, choices=ReportStage.choices)
    narrative = models.TextField("Đánh giá chung", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VISIBILITY = InSubtree("unit__path")
    objects = ScopedManager()

    class Meta:
        verbose_name = "Báo cáo kết quả thi đua"
        verbose_name_plural = "Báo cáo kết quả thi đua"
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "stage"], name="one_report_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} “{self.movement}” — {self.unit}"


class ProgressFigure(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="figures")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="figures")
    value = models.DecimalField("Kết quả", max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="one_figure_per_target")]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"
