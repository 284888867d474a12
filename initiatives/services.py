"""Writes on initiatives: validated, permission-checked, one transaction, row-locked where the state
changes, every step an AuditEvent on the initiative (its timeline)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import metrics
from core.access import Action, can, covering_paths, require
from core.audit import audit_record, diff_fields, snapshot
from core.exceptions import ServiceError
from core.text import fold
from members.models import Membership, Person
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

from .choices import CRITERIA, LEVEL_MAX_RANK, REVIEWABLE, SCORE_MAX, Field, Level, Status, Verdict
from .models import Initiative, InitiativeAuthor, InitiativeReview
from .workflow import INITIATIVE, may_edit, may_record  # noqa: F401 — the rights behind the workflow

INITIATIVE_FIELDS = ("title", "unit", "year", "field", "description", "applied_since", "benefit_vnd")
GRASSROOTS_RANK = 40  # OrgUnitType.rank of a CĐCS
HUNDRED = Decimal("100")

Authors = list[tuple[Person, Decimal | int | str]]


# ---------------------------------------------------------------- permissions (also used by the views)
def may_review(user, initiative: Initiative) -> bool:
    return initiative.status in REVIEWABLE and can(user, Action.INITIATIVE_REVIEW, initiative.unit.path)


def deciding_unit(user, initiative: Initiative) -> OrgUnit | None:
    """The highest unit on which the user holds `initiative.review` covering the initiative's unit: the
    level of council the user sits on for it (the root for a superuser)."""
    path = initiative.unit.path
    paths = covering_paths(user, Action.INITIATIVE_REVIEW, path)
    if paths is None:  # a superuser decides at the top
        paths = [path[: OrgUnit.steplen]]
    if not paths:
        return None
    return OrgUnit.objects.filter(path__in=paths).select_related("unit_type").order_by("depth").first()


def allowed_levels(unit: OrgUnit | None) -> list[str]:
    """Recognition levels a council of this unit may confer."""
    if unit is None:
        return []
    return [level for level in Level.values if unit.unit_type.rank <= LEVEL_MAX_RANK[level]]


# ---------------------------------------------------------------- validation
def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: data.get(key) for key in INITIATIVE_FIELDS}
    cleaned["title"] = " ".join((cleaned["title"] or "").split())
    cleaned["description"] = (cleaned["description"] or "").strip()
    cleaned["field"] = cleaned["field"] or Field.KHAC
    errors: dict[str, str] = {}
    if not cleaned["title"]:
        errors["title"] = "Tên sáng kiến không được để trống."
    if not isinstance(cleaned["unit"], OrgUnit):
        errors["unit"] = "Chọn đơn vị áp dụng sáng kiến."
    year = cleaned["year"]
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        errors["year"] = f"Năm không hợp lệ (từ 2000 đến {this_year + 1})."
    if cleaned["field"] not in Field.values:
        errors["field"] = "Lĩnh vực không hợp lệ."
    benefit = cleaned["benefit_vnd"]
    if benefit is not None and (not isinstance(benefit, int) or benefit < 0):
        errors["benefit_vnd"] = "Giá trị làm lợi phải là số tiền không âm (đồng)."
    applied = cleaned["applied_since"]
    if applied and applied > timezone.localdate():
        errors["applied_since"] = "Ngày áp dụng không được sau ngày hôm nay."
    if errors:
        field, message = next(iter(errors.items()))
        raise ServiceError(message, field=field)
    return cleaned


def clean_initiative_data(data: dict[str, Any]) -> dict[str, Any]:
    """The INITIATIVE_FIELDS of `data`, checked as every initiative is (the form, the import); raises
    ServiceError naming the field."""
    return _clean_data(data)


def _home_unit(unit: OrgUnit) -> OrgUnit:
    """Where the authors must take part in union life: the unit itself, or its CĐCS when the unit is a
    union group inside one."""
    if unit.unit_type.rank <= GRASSROOTS_RANK:
        return unit
    ancestors = orgunit_ancestors(units=[unit])
    for path in reversed(unit.ancestor_paths()):
        ancestor = ancestors.get(path)
        if ancestor is not None and ancestor.unit_type.is_grassroots:
            return ancestor
    return unit


def clean_shares(authors: Authors) -> list[tuple[Person, Decimal]]:
    """The authors with their shares as Decimals: each person once, each share in (0, 100], 100% in all.
    Reads nothing; raises ServiceError (field "authors")."""
    if not authors:
        raise ServiceError("Sáng kiến phải có ít nhất một tác giả.", field="authors")
    cleaned: list[tuple[Person, Decimal]] = []
    seen: set[int] = set()
    for person, share in authors:
        if person.pk in seen:
            raise ServiceError(
                f"“{person.full_name}” được nhập hai lần trong danh sách tác giả.", field="authors"
            )
        seen.add(person.pk)
        try:
            value = Decimal(str(share)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as exc:
            raise ServiceError(
                f"Tỷ lệ đóng góp của “{person.full_name}” không hợp lệ.", field="authors"
            ) from exc
        if not Decimal("0") < value <= HUNDRED:
            raise ServiceError(
                f"Tỷ lệ đóng góp của “{person.full_name}” phải lớn hơn 0% và không quá 100%.", field="authors"
            )
        cleaned.append((person, value))
    total = sum((share for _, share in cleaned), Decimal("0"))
    if total != HUNDRED:
        raise ServiceError(
            f"Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là {_percent(total)}%).",
            field="authors",
        )
    return cleaned


def _clean_authors(authors: Authors, unit: OrgUnit) -> list[tuple[Person, Decimal]]:
    cleaned = clean_shares(authors)
    home = _home_unit(unit)
    inside = set(
        Membership.objects.filter(
            person_id__in=[p.pk for p, _ in cleaned], ended_on__isnull=True, unit__path__startswith=home.path
        ).values_list("person_id", flat=True)
    )
    for person, _ in cleaned:
        if person.pk not in inside:
            raise ServiceError(
                f"“{person.full_name}” không sinh hoạt công đoàn tại “{home.name}” hoặc đơn vị trực thuộc.",
                field="authors",
            )
    return cleaned


def _percent(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _authors_label(authors: list[tuple[Person, Decimal]]) -> str:
    return "; ".join(f"{p.full_name} ({_percent(s)}%)" for p, s in authors)


def _require_create(acting_user, unit: OrgUnit, authors: Authors) -> None:
    """An officer (initiative.change on the unit) records for anyone; a member records their own
    initiative, at their CĐCS or the group they belong to."""
    if may_record(acting_user, unit):
        return
    person_id = getattr(acting_user, "person_id", None)
    if not person_id or not may_record_self(acting_user, unit):
        _denied()
    if person_id not in {person.pk for person, _ in authors}:
        _denied("Bạn chỉ được đăng ký sáng kiến mà chính mình là tác giả.")


def may_record_self(user, unit: OrgUnit) -> bool:
    """May this member register their own initiative in `unit` (their CĐCS or the group they are in)?"""
    person_id = getattr(user, "person_id", None)
    if not person_id or unit.unit_type.rank < GRASSROOTS_RANK:
        return False
    membership = Membership.objects.filter(person_id=person_id, ended_on__isnull=True).select_related("unit")
    current = membership.first()
    return current is not None and current.unit.path.startswith(unit.path)


def _denied(message: str = "Bạn không có quyền thực hiện thao tác này với sáng kiến.") -> None:
    raise PermissionDenied(message)


def _write_authors(initiative: Initiative, authors: list[tuple[Person, Decimal]]) -> None:
    initiative.authors.all().delete()
    InitiativeAuthor.objects.bulk_create(
        [
            InitiativeAuthor(initiative=initiative, person=person, share_percent=share, position=i)
            for i, (person, share) in enumerate(authors)
        ]
    )


# ---------------------------------------------------------------- services
def initiative_create(*, acting_user, data: dict[str, Any], authors: Authors) -> Initiative:
    """Register an initiative (as a draft) with its authors and their shares (summing to 100%)."""
    cleaned = _clean_data(data)
    unit: OrgUnit = cleaned["unit"]
    _require_create(acting_user, unit, authors)
    clean_authors = _clean_authors(authors, unit)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            **cleaned, created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None
        )
        _write_authors(initiative, clean_authors)
        audit_record(
            actor=acting_user,
            action="initiative.create",
            obj=initiative,
            unit=unit,
            summary=f"Đăng ký sáng kiến “{initiative.title}” tại “{unit.name}”",
            changes={
                "title": [None, initiative.title],
                "unit": [None, unit.name],
                "authors": [None, _authors_label(clean_authors)],
            },
        )
    return initiative


def initiative_update(
    *, acting_user, initiative: Initiative, data: dict[str, Any], authors: Authors | None = None
) -> Initiative:
    """Change a draft (and, when given, replace its authors)."""
    cleaned = _clean_data(data)
    with transaction.atomic():
        initiative = (
            Initiative.objects.select_for_update().select_related("unit__unit_type").get(pk=initiative.pk)
        )
        if not initiative.is_draft:
            raise ServiceError("Chỉ sửa được sáng kiến ở trạng thái bản nháp (chưa nộp).")
        if not may_edit(acting_user, initiative):
            _denied()
        unit: OrgUnit = cleaned["unit"]
        before_authors = [(a.person, a.share_percent) for a in initiative.authors.select_related("person")]
        clean_authors = (
            _clean_authors(authors, unit) if authors is not None else _clean_authors(before_authors, unit)
        )
        if unit.pk != initiative.unit_id:
            _require_create(acting_user, unit, clean_authors)
        before = snapshot(initiative, INITIATIVE_FIELDS)
        for key, value in cleaned.items():
            setattr(initiative, key, value)
        initiative.save()
        changes = diff_fields(before, snapshot(initiative, INITIATIVE_FIELDS))
        if authors is not None:
            old_label, new_label = _authors_label(before_authors), _authors_label(clean_authors)
            if old_label != new_label:
                _write_authors(initiative, clean_authors)
                changes["authors"] = [old_label, new_label]
        if changes:
            audit_record(
                actor=acting_user,
                action="initiative.update",
                obj=initiative,
                unit=initiative.unit,
                summary=f"Sửa sáng kiến “{initiative.title}”",
                changes=changes,
            )
    return initiative


def initiative_submit(*, acting_user, initiative: Initiative) -> Initiative:
    """Hand a draft to the council (DRAFT → SUBMITTED)."""
    with transaction.atomic():
        initiative = (
            Initiative.objects.select_for_update().select_related("unit__unit_type").get(pk=initiative.pk)
        )
        INITIATIVE.check(initiative, "submit", acting_user)
        if not initiative.description:
            raise ServiceError(
                "Cần mô tả nội dung, giải pháp của sáng kiến trước khi nộp.", field="description"
            )
        transition = INITIATIVE.fire(initiative, "submit", acting_user)
        initiative.submitted_at = timezone.now()
        initiative.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=initiative,
            unit=initiative.unit,
            summary=f"Nộp sáng kiến “{initiative.title}” để Hội đồng chấm",
            changes={"status": [Status.DRAFT.label, Status.SUBMITTED.label]},
        )
    return initiative


def initiative_review(
    *, acting_user, initiative: Initiative, scores: dict[str, Any], verdict: str, comment: str = ""
) -> InitiativeReview:
    """One council member's scoring (each criterion 0–10) and verdict; one review per reviewer."""
    require(acting_user, Action.INITIATIVE_REVIEW, initiative.unit.path)
    clean_scores: dict[str, int] = {}
    for key, label in CRITERIA:
        value = scores.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= SCORE_MAX:
            raise ServiceError(f"Điểm “{label}” phải là số nguyên từ 0 đến {SCORE_MAX}.", field=key)
        clean_scores[key] = value
    if verdict not in Verdict.values:
        raise ServiceError("Chọn kết luận của phiếu chấm.", field="verdict")
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
        was = initiative.status
        # reviewable, a council member of the unit, not an author, one review each
        transition = INITIATIVE.fire(initiative, "review", acting_user)
        review = InitiativeReview.objects.create(
            initiative=initiative,
            reviewer=acting_user,
            scores=clean_scores,
            total=sum(clean_scores.values()),
            comment=(comment or "").strip(),
            verdict=verdict,
        )
        changes: dict[str, list] = {"review": [None, f"{review.total}/{SCORE_MAX * len(CRITERIA)} điểm"]}
        if was == Status.SUBMITTED:
            initiative.save(update_fields=["status", "updated_at"])
            changes["status"] = [Status.SUBMITTED.label, Status.UNDER_REVIEW.label]
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=initiative,
            unit=initiative.unit,
            summary=(
                f"Chấm sáng kiến “{initiative.title}”: {review.total}/{SCORE_MAX * len(CRITERIA)} điểm, "
                f"{Verdict(verdict).label.lower()}"
            ),
            changes=changes,
        )
    return review


def initiative_decide(
    *,
    acting_user,
    initiative: Initiative,
    recognize: bool,
    level: str = "",
    recognized_on: dt.date | None = None,
    decision_ref: str = "",
    reason: str = "",
) -> Initiative:
    """Recognise (level, date, decision number) or reject (with a reason). The level may not exceed what
    the deciding council's unit may confer (cơ sở: CĐCS or above; tỉnh/bộ: LĐLĐ tỉnh, CĐ ngành or above;
    toàn quốc: Tổng Liên đoàn)."""
    require(acting_user, Action.INITIATIVE_REVIEW, initiative.unit.path)
    decision_ref = (decision_ref or "").strip()
    reason = (reason or "").strip()
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
        INITIATIVE.check(initiative, "decide", acting_user)
        council = deciding_unit(acting_user, initiative)
        old_status = initiative.get_status_display()
        if recognize:
            if level not in Level.values:
                raise ServiceError("Chọn cấp công nhận.", field="level")
            if council is None or level not in allowed_levels(council):
                where = f"“{council.name}” ({council.unit_type.short_name})" if council else "Đơn vị của bạn"
                raise ServiceError(
                    f"{where} không được công nhận sáng kiến {Level(level).label.lower()}.", field="level"
                )
            if recognized_on is None:
                raise ServiceError("Nhập ngày công nhận.", field="recognized_on")
            if recognized_on > timezone.localdate():
                raise ServiceError("Ngày công nhận không được sau ngày hôm nay.", field="recognized_on")
            if not decision_ref:
                raise ServiceError("Nhập số quyết định công nhận.", field="decision_ref")
            if not initiative.reviews.exists():
                raise ServiceError("Sáng kiến chưa có phiếu chấm nào: Hội đồng cần chấm trước khi công nhận.")
            transition = INITIATIVE.fire(initiative, "decide", acting_user, to=Status.RECOGNIZED)
            initiative.recognition_level = level
            initiative.recognized_on = recognized_on
            initiative.decision_ref = decision_ref
            initiative.decision_note = reason
            summary = (
                f"Công nhận sáng kiến “{initiative.title}” {Level(level).label.lower()} "
                f"(quyết định {decision_ref} ngày {recognized_on:%d/%m/%Y})"
            )
        else:
            if not reason:
                raise ServiceError("Nhập lý do không công nhận.", field="reason")
            transition = INITIATIVE.fire(initiative, "decide", acting_user, to=Status.REJECTED)
            initiative.decision_ref = decision_ref
            initiative.decision_note = reason
            summary = f"Không công nhận sáng kiến “{initiative.title}”: {reason}"
        initiative.decision_unit = council
        initiative.save()
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=initiative,
            unit=initiative.unit,
            summary=summary,
            changes={
                "status": [old_status, initiative.get_status_display()],
                "recognition_level": [None, initiative.get_recognition_level_display() or None],
                "decision_ref": [None, decision_ref or None],
            },
        )
    return initiative


# ---------------------------------------------------------------- recognised initiatives from a file
def clean_recognition(*, level: str, recognized_on: dt.date | None) -> None:
    """The recognition of an initiative recorded after the fact (an import): a level, a date not after
    today. Raises ServiceError with the field."""
    if level not in Level.values:
        raise ServiceError("Chọn cấp công nhận.", field="level")
    if recognized_on is None:
        raise ServiceError("Nhập ngày công nhận.", field="recognized_on")
    if recognized_on > timezone.localdate():
        raise ServiceError("Ngày công nhận không được sau ngày hôm nay.", field="recognized_on")


def initiatives_record_recognized(
    *, acting_user, items: list[dict[str, Any]], source_file: str, import_id: int | None = None
) -> list[Initiative]:
    """Record initiatives recognised in the past (a list an office keeps), each with its authors and the
    recognition (level, date, decision number, deciding unit): created directly as RECOGNIZED — the
    council's review happened outside the system, so no transition of the workflow is fired — and
    marked with the file they came from. All or nothing.

    `items`: dicts with `data` (the INITIATIVE_FIELDS), `authors` [(Person, share)], `level`,
    `recognized_on`, `decision_ref`, `decision_unit` (OrgUnit or None), `decision_note`.
    Needs `initiative.change` on every item's unit."""
    cleaned_items = []
    homes: dict[int, OrgUnit] = {}
    for item in items:
        data = _clean_data(item["data"])
        unit: OrgUnit = data["unit"]
        if not may_record(acting_user, unit):
            _denied(f"Bạn không được ghi sáng kiến của “{unit.name}”.")
        try:
            authors = clean_shares(item["authors"])
            clean_recognition(level=item.get("level", ""), recognized_on=item.get("recognized_on"))
        except ServiceError as exc:
            raise ServiceError(f"Sáng kiến “{data['title']}”: {exc.message}", field=exc.field) from exc
        if unit.pk not in homes:
            homes[unit.pk] = _home_unit(unit)
        cleaned_items.append((item, data, authors))
    person_ids = {p.pk for _, _, authors in cleaned_items for p, _ in authors}
    paths: dict[int, str] = dict(
        Membership.objects.filter(person_id__in=person_ids, ended_on__isnull=True).values_list(
            "person_id", "unit__path"
        )
    )
    for _, data, authors in cleaned_items:
        home = homes[data["unit"].pk]
        for person, _ in authors:
            if not paths.get(person.pk, "").startswith(home.path):
                raise ServiceError(
                    f"Sáng kiến “{data['title']}”: “{person.full_name}” không sinh hoạt công đoàn tại "
                    f"“{home.name}” hoặc đơn vị trực thuộc.",
                    field="authors",
                )
    creator = acting_user if getattr(acting_user, "is_authenticated", False) else None
    source_file = (source_file or "")[:255]
    with transaction.atomic():
        initiatives = []
        for item, data, _ in cleaned_items:
            initiative = Initiative(
                **data,
                status=Status.RECOGNIZED,
                recognition_level=item["level"],
                recognized_on=item["recognized_on"],
                decision_ref=(item.get("decision_ref") or "").strip()[:100],
                decision_unit=item.get("decision_unit"),
                decision_note=(item.get("decision_note") or "").strip(),
                created_by=creator,
                source_file=source_file,
            )
            initiative.search_text = fold(f"{initiative.title}\n{initiative.description}")  # no save()
            initiatives.append(initiative)
        initiatives = Initiative.objects.bulk_create(initiatives)
        InitiativeAuthor.objects.bulk_create(
            [
                InitiativeAuthor(initiative=initiative, person=person, share_percent=share, position=i)
                for initiative, (_, _, authors) in zip(initiatives, cleaned_items, strict=True)
                for i, (person, share) in enumerate(authors)
            ]
        )
        where = f"tệp {source_file}" + (f" (lần nhập số {import_id})" if import_id else "")
        for initiative, (_, _, authors) in zip(initiatives, cleaned_items, strict=True):
            when = f" ngày {initiative.recognized_on:%d/%m/%Y}"
            ref = f", quyết định {initiative.decision_ref}" if initiative.decision_ref else ""
            audit_record(
                actor=acting_user,
                action="initiative.import",
                obj=initiative,
                unit=initiative.unit,
                summary=f"Nhập sáng kiến đã được công nhận “{initiative.title}” "
                f"({Level(initiative.recognition_level).label.lower()}{when}{ref}) từ {where}",
                changes={
                    "title": [None, initiative.title],
                    "unit": [None, initiative.unit.name],
                    "authors": [None, _authors_label(authors)],
                    "status": [None, Status.RECOGNIZED.label],
                },
            )
        for year in {i.year for i in initiatives}:  # bulk_create sends no signals: mark the counters
            metrics.mark_changed_many({i.unit_id for i in initiatives if i.year == year}, year)
    return initiatives
