"""Writes for movements: launch, registration, evaluations and progress reports.

Every service checks the acting user's right on the unit concerned, runs in one transaction (a bulk
write is all-or-nothing) and records AuditEvents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import metrics
from core.access import Action, can, require
from core.audit import audit_record
from core.exceptions import ServiceError
from members.choices import Gender
from members.models import Membership, Person
from organizations.models import OrgUnit

from .choices import (
    Audience,
    Discipline,
    MovementKind,
    MovementStatus,
    Rating,
    collective_titles,
    individual_titles,
    title_names,
)
from .models import (
    CollectiveEvaluation,
    Evaluation,
    Milestone,
    Movement,
    ProgressFigure,
    ProgressReport,
    Registration,
    Target,
)
from .workflow import MOVEMENT


class RowErrors(ServiceError):
    """Several rows of a bulk write are invalid; nothing was written. `errors` = [(row label, message)]."""

    def __init__(self, errors: list[tuple[str, str]], keys: list | None = None):
        super().__init__(f"Có {len(errors)} dòng chưa hợp lệ, chưa lưu gì. Hãy sửa các dòng được đánh dấu.")
        self.errors = errors
        # what each error is about (e.g. the person's id), in the order of `errors`, when labels are names
        # that several rows may share
        self.keys = keys if keys is not None else [label for label, _ in errors]


# --- applicability -------------------------------------------------------------------------------


def movement_applies_to_unit(movement: Movement, unit: OrgUnit) -> bool:
    """Is `unit` inside the movement's scope (organiser's subtree, unit types and sectors if set)?"""
    if not unit.path.startswith(movement.organiser.path):
        return False
    type_ids = {t.pk for t in movement.unit_types.all()}
    sector_ids = {s.pk for s in movement.sectors.all()}
    if type_ids and unit.unit_type_id not in type_ids:
        return False
    return not (sector_ids and unit.sector_id not in sector_ids)


def _scope_unit_for(unit: OrgUnit) -> OrgUnit:
    """Scope filters (unit type, sector) are judged on the grassroots union of a union group."""
    if unit.unit_type.is_grassroots or unit.depth == 1:
        return unit
    for path in reversed(unit.ancestor_paths()):
        ancestor = OrgUnit.objects.select_related("unit_type").get(path=path)
        if ancestor.unit_type.is_grassroots:
            return ancestor
    return unit


def movement_applies_to_person(movement: Movement, person: Person, unit: OrgUnit) -> bool:
    if not movement.for_individuals:
        return False
    if movement.audience == Audience.WOMEN and person.gender != Gender.FEMALE:
        return False
    return unit.path.startswith(movement.organiser.path) and movement_applies_to_unit(
        movement, _scope_unit_for(unit)
    )


# --- movements -----------------------------------------------------------------------------------


def _validate_movement(data: dict[str, Any]) -> None:
    if not (data.get("name") or "").strip():
        raise ServiceError("Nhập tên phong trào.", field="name")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise ServiceError("Ngày kết thúc không được trước ngày bắt đầu.", field="end_date")
    year = data.get("year")
    if start and year and not (start.year <= year <= end.year):
        raise ServiceError(f"Năm thi đua {year} phải nằm trong thời gian phong trào.", field="year")


def movement_create(
    *,
    acting_user,
    organiser: OrgUnit,
    name: str,
    kind: str,
    year: int,
    start_date: dt.date,
    end_date: dt.date,
    description: str = "",
    audience: str = Audience.ALL,
    unit_types=(),
    sectors=(),
    targets: list[dict[str, Any]] | None = None,
    milestones: dict[str, dt.date | None] | None = None,
    plan_document=None,
) -> Movement:
    require(acting_user, Action.MOVEMENT_MANAGE, organiser.path)
    _validate_movement({"name": name, "start_date": start_date, "end_date": end_date, "year": year})
    with transaction.atomic():
        movement = Movement.objects.create(
            organiser=organiser,
            name=name.strip(),
            kind=kind,
            year=year,
            start_date=start_date,
            end_date=end_date,
            description=description.strip(),
            audience=audience,
            created_by=acting_user,
            **({"plan_document": plan_document} if plan_document else {}),
        )
        movement.unit_types.set(unit_types)
        movement.sectors.set(sectors)
        _set_targets(movement, targets or [])
        for kind_code, due_on in (milestones or {}).items():
            if due_on:
                if not (start_date <= due_on <= end_date):
                    raise ServiceError(
                        f"Mốc {kind_code_label(kind_code)} ngày {due_on:%d/%m/%Y} "
                        "nằm ngoài thời gian phong trào.",
                        field="milestones",
                    )
                Milestone.objects.create(movement=movement, kind=kind_code, due_on=due_on)
        audit_record(
            actor=acting_user,
            action="movement.create",
            obj=movement,
            unit=organiser,
            summary=f"Soạn phong trào “{movement.name}” năm {year} ({movement.get_kind_display().lower()})",
        )
    return movement


def kind_code_label(code: str) -> str:
    from .choices import MilestoneKind

    return dict(MilestoneKind.choices).get(code, code).lower()


def _set_targets(movement: Movement, targets: list[dict[str, Any]]) -> None:
    for position, target in enumerate(targets):
        name = (target.get("name") or "").strip()
        if not name:
            continue
        if not (target.get("unit_of_measure") or "").strip():
            raise ServiceError(f"Chỉ tiêu “{name}”: nhập đơn vị tính.", field="targets")
        Target.objects.create(
            movement=movement,
            name=name,
            unit_of_measure=target["unit_of_measure"].strip(),
            target_value=target.get("target_value"),
            position=position,
        )


def _locked_movement(movement: Movement) -> Movement:
    return Movement.objects.select_for_update().select_related("organiser").get(pk=movement.pk)


def movement_launch(*, acting_user, movement: Movement, launched_on: dt.date | None = None) -> Movement:
    with transaction.atomic():
        movement = _locked_movement(movement)
        require(acting_user, Action.MOVEMENT_MANAGE, movement.organiser.path)
        MOVEMENT.check(movement, "launch", acting_user)
        if movement.kind == MovementKind.YEARLY and not movement.targets.exists():
            raise ServiceError("Phong trào thi đua hằng năm cần ít nhất một chỉ tiêu trước khi phát động.")
        transition = MOVEMENT.fire(movement, "launch", acting_user)
        movement.launched_on = launched_on or timezone.localdate()
        movement.save(update_fields=["status", "launched_on", "updated_at"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=movement,
            unit=movement.organiser,
            summary=f"Phát động “{movement.name}” ngày {movement.launched_on:%d/%m/%Y}",
            changes={"status": [MovementStatus.DRAFT, MovementStatus.LAUNCHED]},
        )
    return movement


def movement_close(*, acting_user, movement: Movement, closed_on: dt.date | None = None) -> Movement:
    with transaction.atomic():
        movement = _locked_movement(movement)
        require(acting_user, Action.MOVEMENT_MANAGE, movement.organiser.path)
        transition = MOVEMENT.fire(movement, "close", acting_user)
        movement.closed_on = closed_on or timezone.localdate()
        movement.save(update_fields=["status", "closed_on", "updated_at"])
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=movement,
            unit=movement.organiser,
            summary=f"Tổng kết “{movement.name}” ngày {movement.closed_on:%d/%m/%Y}",
            changes={"status": [MovementStatus.LAUNCHED, MovementStatus.CLOSED]},
        )
    return movement


# --- registrations -------------------------------------------------------------------------------


def _check_open(movement: Movement) -> None:
    if movement.status != MovementStatus.LAUNCHED:
        raise ServiceError("Phong trào chưa phát động hoặc đã tổng kết: không nhận đăng ký.")


def _clean_titles(titles: list[str], allowed: list[tuple[str, str]]) -> list[str]:
    codes = {code for code, _ in allowed}
    cleaned = [t for t in dict.fromkeys(titles) if t]
    wrong = [t for t in cleaned if t not in codes]
    if wrong:
        raise ServiceError(f"Danh hiệu không hợp lệ: {', '.join(wrong)}.", field="titles")
    if not cleaned:
        raise ServiceError("Chọn ít nhất một danh hiệu đăng ký.", field="titles")
    return cleaned


def _titles_text(codes: list[str]) -> str:
    names = title_names()
    return ", ".join(names[code] for code in codes)


def _upsert_person_registration(
    *, acting_user, movement, person, unit, titles, commitments
) -> tuple[Registration, bool]:
    registration = Registration.objects.select_for_update().filter(movement=movement, person=person).first()
    created = registration is None
    if created:
        registration = Registration(movement=movement, person=person)
    registration.unit = unit
    registration.titles = titles
    registration.commitments = commitments.strip()
    registration.registered_by = acting_user
    registration.save()
    return registration, created


def registration_register_self(
    *, acting_user, movement: Movement, titles: list[str], commitments: str = ""
) -> Registration:
    """A member registers themselves for titles in a movement that applies to them."""
    person = getattr(acting_user, "person", None)
    if person is None:
        raise ServiceError("Tài khoản của bạn chưa gắn với hồ sơ đoàn viên, chưa thể tự đăng ký.")
    titles = _clean_titles(titles, individual_titles())
    with transaction.atomic():
        movement = _locked_movement(movement)
        _check_open(movement)
        membership = (
            Membership.objects.select_related("unit__unit_type")
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if membership is None or not movement_applies_to_person(movement, person, membership.unit):
            raise ServiceError("Phong trào này không áp dụng cho đơn vị hoặc đối tượng của bạn.")
        registration, created = _upsert_person_registration(
            acting_user=acting_user,
            movement=movement,
            person=person,
            unit=membership.unit,
            titles=titles,
            commitments=commitments,
        )
        audit_record(
            actor=acting_user,
            action="registration.self",
            obj=registration,
            unit=membership.unit,
            summary=f"{person.full_name} {'đăng ký' if created else 'sửa đăng ký'} "
            f"thi đua “{movement.name}”: " + _titles_text(titles),
        )
    return registration


def registration_register_bulk(
    *, acting_user, movement: Movement, persons: list[Person], titles: list[str], commitments: str = ""
) -> dict[str, int]:
    """An officer registers many members at once (all-or-nothing). Existing registrations are updated."""
    titles = _clean_titles(titles, individual_titles())
    if not persons:
        raise ServiceError("Chọn ít nhất một đoàn viên.", field="persons")
    with transaction.atomic():
        movement = _locked_movement(movement)
        _check_open(movement)
        memberships = {
            m.person_id: m
            for m in Membership.objects.select_related("unit__unit_type").filter(
                person__in=persons, ended_on__isnull=True
            )
        }
        errors: list[tuple[str, str]] = []
        for person in persons:
            membership = memberships.get(person.pk)
            if membership is None:
                errors.append((person.full_name, "không còn sinh hoạt công đoàn"))
            elif not can(acting_user, Action.REGISTRATION_CHANGE, membership.unit.path):
                errors.append((person.full_name, "ngoài phạm vi bạn được đăng ký hộ"))
            elif not movement_applies_to_person(movement, person, membership.unit):
                errors.append((person.full_name, "không thuộc đối tượng của phong trào"))
        if errors:
            raise RowErrors(errors)
        existing = set(
            Registration.objects.filter(movement=movement, person__in=persons).values_list(
                "person_id", flat=True
            )
        )
        for person in persons:
            _upsert_person_registration(
                acting_user=acting_user,
                movement=movement,
                person=person,
                unit=memberships[person.pk].unit,
                titles=titles,
                commitments=commitments,
            )
        created = len(persons) - len(existing & {p.pk for p in persons})
        common_unit = _common_unit([memberships[p.pk].unit for p in persons])
        audit_record(
            actor=acting_user,
            action="registration.bulk",
            obj=movement,
            unit=common_unit,
            summary=f"Đăng ký hộ {len(persons)} đoàn viên ({created} mới) vào “{movement.name}”: "
            + _titles_text(titles),
            changes={"persons": [None, [p.pk for p in persons]]},
        )
    return {"created": created, "updated": len(persons) - created}


def _common_unit(units: list[OrgUnit]) -> OrgUnit:
    from core.rollup import common_prefix

    prefix = common_prefix(u.path for u in units)
    steplen = units[0].steplen
    prefix = prefix[: len(prefix) - len(prefix) % steplen]
    return OrgUnit.objects.get(path=prefix) if prefix else units[0]


def registration_register_unit(
    *, acting_user, movement: Movement, unit: OrgUnit, titles: list[str], commitments: str = ""
) -> Registration:
    """A collective (unit) registers for collective titles."""
    titles = _clean_titles(titles, collective_titles())
    with transaction.atomic():
        movement = _locked_movement(movement)
        require(acting_user, Action.REGISTRATION_CHANGE, unit.path)
        _check_open(movement)
        if not movement.for_collectives or not movement_applies_to_unit(movement, unit):
            raise ServiceError(f"Phong trào “{movement.name}” không áp dụng cho tập thể “{unit.name}”.")
        registration = Registration.objects.select_for_update().filter(
            movement=movement, unit=unit, person__isnull=True
        ).first() or Registration(movement=movement, unit=unit)
        created = registration.pk is None
        registration.titles = titles
        registration.commitments = commitments.strip()
        registration.registered_by = acting_user
        registration.save()
        audit_record(
            actor=acting_user,
            action="registration.unit",
            obj=registration,
            unit=unit,
            summary=f"Tập thể “{unit.name}” {'đăng ký' if created else 'sửa đăng ký'} "
            f"thi đua “{movement.name}”: " + _titles_text(titles),
        )
    return registration


# --- evaluations ---------------------------------------------------------------------------------

EVALUATION_FIELDS = (
    "rating",
    "months_worked",
    "absent_days",
    "maternity_days",
    "discipline",
    "discipline_on",
    "note",
)


NOTE_MAX = 255  # Evaluation.note


def evaluation_row_check(row: dict[str, Any], year: int) -> tuple[str, str] | None:
    """The rules every year-end evaluation obeys (the grid, the import): None, or (field, what is wrong)
    with the field among EVALUATION_FIELDS."""
    if row.get("rating") not in Rating.values:
        return "rating", "chọn xếp loại (HTXS, HTT, HT hoặc KHT)"
    months = row.get("months_worked")
    if months is None or not (0 <= months <= 12):
        return "months_worked", "số tháng công tác phải từ 0 đến 12"
    for key, label in (("absent_days", "số ngày nghỉ"), ("maternity_days", "số ngày nghỉ thai sản")):
        value = row.get(key) or 0
        if not (0 <= value <= 366):
            return key, f"{label} phải từ 0 đến 366"
    discipline = row.get("discipline") or ""
    if discipline and discipline not in Discipline.values:
        return "discipline", "hình thức kỷ luật không hợp lệ"
    on = row.get("discipline_on")
    if discipline and on is None:
        return "discipline_on", "nhập ngày quyết định kỷ luật"
    if on and on.year != year:
        return "discipline_on", f"ngày kỷ luật phải thuộc năm {year}"
    if on and not discipline:
        return "discipline", "có ngày kỷ luật nhưng chưa chọn hình thức kỷ luật"
    if len((row.get("note") or "").strip()) > NOTE_MAX:
        return "note", f"ghi chú dài quá {NOTE_MAX} ký tự"
    return None


def _validate_evaluation_row(row: dict[str, Any], year: int) -> str | None:
    problem = evaluation_row_check(row, year)
    return problem[1] if problem else None


def evaluation_save_grid(
    *, acting_user, unit: OrgUnit, year: int, rows: list[dict[str, Any]], source: str = ""
) -> dict[str, int]:
    """Save the year-end evaluations of many members at once (all-or-nothing).

    `rows`: dicts with `person_id` and the EVALUATION_FIELDS. A row with no rating is left untouched.
    `source`: where the rows come from, for the audit summary ("tệp danh-gia-2024.xlsx").
    """
    require(acting_user, Action.EVALUATION_CHANGE, unit.path)
    rows = [r for r in rows if r.get("rating")]
    with transaction.atomic():
        memberships = {
            m.person_id: m
            for m in Membership.objects.select_related("unit", "person").filter(
                person_id__in=[r["person_id"] for r in rows],
                ended_on__isnull=True,
                unit__path__startswith=unit.path,
            )
        }
        errors: list[tuple[str, str]] = []
        keys: list[int] = []
        for row in rows:
            membership = memberships.get(row["person_id"])
            if membership is None:
                errors.append((str(row["person_id"]), "không sinh hoạt tại đơn vị này"))
                keys.append(row["person_id"])
                continue
            problem = _validate_evaluation_row(row, year)
            if problem:
                errors.append((membership.person.full_name, problem))
                keys.append(row["person_id"])
        if errors:
            raise RowErrors(errors, keys=keys)
        existing = {
            e.person_id: e
            for e in Evaluation.objects.select_for_update().filter(
                person_id__in=memberships.keys(), year=year
            )
        }
        to_create, to_update, changed = [], [], 0
        metrics.mark_changed_many({e.unit_id for e in existing.values()}, year)  # bulk: no signals
        for row in rows:
            membership = memberships[row["person_id"]]
            values = {
                "rating": row["rating"],
                "months_worked": row["months_worked"],
                "absent_days": row.get("absent_days") or 0,
                "maternity_days": row.get("maternity_days") or 0,
                "discipline": row.get("discipline") or "",
                "discipline_on": row.get("discipline_on"),
                "note": (row.get("note") or "").strip(),
            }
            evaluation = existing.get(row["person_id"])
            if evaluation is None:
                to_create.append(
                    Evaluation(
                        person_id=row["person_id"],
                        year=year,
                        unit=membership.unit,
                        evaluated_by=acting_user,
                        **values,
                    )
                )
            elif any(getattr(evaluation, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(evaluation, key, value)
                evaluation.unit = membership.unit
                evaluation.evaluated_by = acting_user
                to_update.append(evaluation)
        Evaluation.objects.bulk_create(to_create)
        metrics.mark_changed_many({e.unit_id for e in [*to_create, *to_update]}, year)
        if to_update:
            Evaluation.objects.bulk_update(
                to_update, [*EVALUATION_FIELDS, "unit", "evaluated_by", "updated_at"]
            )
        changed = len(to_create) + len(to_update)
        if changed:
            counts = {r: sum(1 for row in rows if row["rating"] == r) for r in Rating.values}
            audit_record(
                actor=acting_user,
                action="evaluation.grid",
                obj=unit,
                unit=unit,
                summary=f"Đánh giá, xếp loại năm {year} tại “{unit.name}”: {len(to_create)} mới, "
                f"{len(to_update)} sửa (HTXS {counts['HTXS']}, HTT {counts['HTT']}, HT {counts['HT']}, "
                f"KHT {counts['KHT']})" + (f" — nhập từ {source}" if source else ""),
                changes={"persons": [None, sorted(e.person_id for e in to_create + to_update)]},
            )
    return {"created": len(to_create), "updated": len(to_update)}


def collective_evaluation_save(
    *, acting_user, unit: OrgUnit, year: int, rating: str, score: Decimal | None = None, note: str = ""
) -> CollectiveEvaluation:
    if rating not in Rating.values:
        raise ServiceError("Chọn xếp loại tập thể.", field="rating")
    if score is not None and not (0 <= score <= 100):
        raise ServiceError("Điểm phải từ 0 đến 100.", field="score")
    # a collective is rated by the level above it (or by an officer holding the unit's parent)
    parent_path = unit.path[: -unit.steplen] or unit.path
    require(acting_user, Action.EVALUATION_CHANGE, parent_path)
    with transaction.atomic():
        evaluation, created = CollectiveEvaluation.objects.select_for_update().update_or_create(
            unit=unit,
            year=year,
            defaults={"rating": rating, "score": score, "note": note.strip(), "evaluated_by": acting_user},
        )
        audit_record(
            actor=acting_user,
            action="evaluation.collective",
            obj=evaluation,
            unit=unit,
            summary=f"Xếp loại tập thể “{unit.name}” năm {year}: {evaluation.get_rating_display()}"
            + (f", {score} điểm" if score is not None else ""),
        )
    return evaluation


# --- progress reports ----------------------------------------------------------------------------


def progress_report_submit(
    *,
    acting_user,
    movement: Movement,
    unit: OrgUnit,
    stage: str,
    narrative: str,
    figures: dict[int, Decimal | None],
) -> ProgressReport:
    require(acting_user, Action.PROGRESS_REPORT, unit.path)
    with transaction.atomic():
        movement = _locked_movement(movement)
        if movement.status == MovementStatus.DRAFT:
            raise ServiceError("Phong trào chưa phát động: chưa thể báo cáo.")
        if not movement_applies_to_unit(movement, unit):
            raise ServiceError(f"Phong trào “{movement.name}” không áp dụng cho “{unit.name}”.")
        targets = {t.pk: t for t in movement.targets.all()}
        unknown = set(figures) - set(targets)
        if unknown:
            raise ServiceError("Có chỉ tiêu không thuộc phong trào này.", field="figures")
        for target_id, value in figures.items():
            if value is not None and value < 0:
                raise ServiceError(
                    f"Chỉ tiêu “{targets[target_id].name}”: kết quả không được âm.", field="figures"
                )
        report, created = ProgressReport.objects.select_for_update().update_or_create(
            movement=movement,
            unit=unit,
            stage=stage,
            defaults={"narrative": narrative.strip(), "submitted_by": acting_user},
        )
        report.figures.all().delete()
        ProgressFigure.objects.bulk_create(
            [ProgressFigure(report=report, target_id=t, value=v) for t, v in figures.items() if v is not None]
        )
        audit_record(
            actor=acting_user,
            action="progress.submit",
            obj=report,
            unit=unit,
            summary=f"{'Gửi' if created else 'Cập nhật'} báo cáo {report.get_stage_display().lower()} "
            f"“{movement.name}” của “{unit.name}”",
        )
    return report
