"""Writes of the commendations app: new rule set versions and hand-entered award history.

Keyword-only, `acting_user` first, one transaction, row locks, an AuditEvent each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError

from .choices import AwardKind, RecordStatus
from .engine.rulesets import RuleSetError, apply_override
from .engine.vietnamese import fmt_date
from .models import AwardRecord, AwardType, RuleSet
from .reference import params_to_json


def ruleset_new_version(
    *,
    acting_user,
    base: RuleSet,
    code: str,
    name: str,
    legal_basis: str,
    valid_from: dt.date,
    params_changes: dict[str, Any],
    document_basis: str | None = None,
) -> RuleSet:
    """A new rule set version starting on `valid_from`, with the parameters of `base` changed by
    `params_changes`. The version open on that date is closed the day before: validity periods never
    overlap, and older versions stay for the dossiers received while they were in force. `document_basis`
    (what official documents cite, one text a line) is the base version's when not given."""
    require(acting_user, Action.RULESET_MANAGE)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ServiceError("Phải có mã và tên bộ quy tắc.")
    if not legal_basis.strip():
        raise ServiceError("Phải ghi căn cứ pháp lý của bộ quy tắc.", field="legal_basis")
    with transaction.atomic():
        versions = list(RuleSet.objects.select_for_update().order_by("valid_from"))
        if any(v.code == code for v in versions):
            raise ServiceError(f"Mã bộ quy tắc «{code}» đã được dùng.", field="code")
        later = [v for v in versions if v.valid_from >= valid_from]
        if later:
            raise ServiceError(
                f"Đã có bộ quy tắc {later[0].code} hiệu lực từ {fmt_date(later[0].valid_from)}: phiên bản mới "
                f"phải bắt đầu sau ngày đó.",
                field="valid_from",
            )
        try:
            spec = apply_override(spec=base.to_spec(), overrides=params_changes)
        except RuleSetError as exc:
            raise ServiceError(str(exc)) from exc
        previous = [v for v in versions if v.valid_to is None or v.valid_to >= valid_from]
        for old in previous:
            before = old.valid_to
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
            audit_record(
                actor=acting_user,
                action="ruleset.close",
                obj=old,
                summary=f"Kết thúc hiệu lực bộ quy tắc {old.code} ngày {fmt_date(old.valid_to)}",
                changes={"valid_to": [before.isoformat() if before else None, old.valid_to.isoformat()]},
            )
        params = params_to_json(spec.params)
        created = RuleSet.objects.create(
            code=code,
            name=name,
            legal_basis=legal_basis.strip(),
            document_basis=(base.document_basis if document_basis is None else document_basis).strip(),
            valid_from=valid_from,
            valid_to=None,
            params=params,
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        changes = {
            key: [base.params.get(key), params[key]] for key in params if base.params.get(key) != params[key]
        }
        audit_record(
            actor=acting_user,
            action="ruleset.create",
            obj=created,
            summary=(
                f"Thêm bộ quy tắc {created.code} hiệu lực từ {fmt_date(valid_from)} (trên cơ sở {base.code}; "
                f"{len(changes)} tham số thay đổi)"
            ),
            changes=changes,
        )
    return created


def _person_seat(person, on: dt.date):
    """The unit where the person took part in union life on the date (else the current one)."""
    from members.models import Membership

    memberships = list(
        Membership.objects.filter(person=person).select_related("unit").order_by("-started_on")
    )
    for m in memberships:
        if m.started_on <= on and (m.ended_on is None or on <= m.ended_on):
            return m.unit
    current = next((m for m in memberships if m.ended_on is None), None)
    return current.unit if current else (memberships[0].unit if memberships else None)


def award_record_enter(
    *,
    acting_user,
    award_type: AwardType,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    issuing_unit,
    person=None,
    unit=None,
    achievement_id: str = "",
    achievement_summary: str = "",
) -> AwardRecord:
    """Enter a past award in the registry. The issuing unit must have existed and had authority for the award
    on the decision date (R-ORG-02); the same award is not entered twice, and an achievement backs one award
    (R-GEN-01)."""
    if (person is None) == (unit is None):
        raise ServiceError("Chọn đúng một đối tượng được khen: một cá nhân hoặc một tập thể.")
    if person is not None and not award_type.for_individuals:
        raise ServiceError(f"{award_type.name} chỉ tặng cho tập thể.", field="award_type")
    if unit is not None and not award_type.for_collectives:
        raise ServiceError(f"{award_type.name} chỉ tặng cho cá nhân.", field="award_type")
    decision_number = decision_number.strip()
    achievement_id = achievement_id.strip()
    if not decision_number:
        raise ServiceError("Phải ghi số quyết định.", field="decision_number")
    if decision_date > timezone.localdate():
        raise ServiceError("Ngày quyết định không được ở tương lai.", field="decision_date")
    if decision_date.year < year:
        raise ServiceError(
            f"Quyết định ngày {fmt_date(decision_date)} không thể khen thưởng cho năm {year} (sau ngày quyết định).",
            field="decision_date",
        )
    scope_unit = unit if unit is not None else _person_seat(person, decision_date)
    if scope_unit is None:
        raise ServiceError(f"{person} chưa có quá trình sinh hoạt công đoàn nào.")
    require(acting_user, Action.AWARD_RECORD, scope_unit.path)
    # R-ORG-02: the issuer existed and had authority for this award on the decision date
    if not issuing_unit.is_active_on(decision_date):
        since = fmt_date(issuing_unit.valid_from) if issuing_unit.valid_from else "không rõ"
        until = fmt_date(issuing_unit.valid_to) if issuing_unit.valid_to else "nay"
        raise ServiceError(
            f"«{issuing_unit.name}» không tồn tại vào ngày quyết định {fmt_date(decision_date)} "
            f"(hiệu lực {since}–{until}): quyết định không hợp lệ.",
            field="issuing_unit",
        )
    if not award_type.conferring_unit_types.filter(pk=issuing_unit.unit_type_id).exists():
        what = "đề nghị Nhà nước tặng" if award_type.conferred_by_state else "tặng"
        raise ServiceError(
            f"«{issuing_unit.name}» ({issuing_unit.unit_type.name}) không có thẩm quyền {what} "
            f"{award_type.name} vào ngày {fmt_date(decision_date)}.",
            field="issuing_unit",
        )
    subject_q = Q(person=person) if person is not None else Q(unit=unit)
    with transaction.atomic():
        existing = AwardRecord.objects.select_for_update().filter(subject_q, status=RecordStatus.VALID)
        name = str(person) if person is not None else unit.name
        if existing.filter(award_type=award_type, year=year, decision_number=decision_number).exists():
            raise ServiceError(
                f"Sổ khen thưởng đã có {award_type.name} năm {year} của {name} theo quyết định {decision_number}."
            )
        if award_type.kind == AwardKind.TITLE and existing.filter(award_type=award_type, year=year).exists():
            raise ServiceError(f"{name} đã có danh hiệu {award_type.name} năm {year} trong sổ khen thưởng.")
        if achievement_id and existing.filter(achievement_id=achievement_id).exists():
            raise ServiceError(
                f"Thành tích «{achievement_id}» đã được dùng cho một khen thưởng khác của {name}: mỗi thành tích chỉ làm căn cứ cho một khen thưởng.",
                field="achievement_id",
            )
        record = AwardRecord.objects.create(
            person=person,
            unit=unit,
            scope_unit=scope_unit,
            award_type=award_type,
            year=year,
            decision_number=decision_number,
            decision_date=decision_date,
            issuing_unit=issuing_unit,
            achievement_id=achievement_id,
            achievement_summary=achievement_summary.strip(),
            entered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        audit_record(
            actor=acting_user,
            action="award.record",
            obj=record,
            unit=scope_unit,
            summary=(
                f"Ghi sổ khen thưởng: {award_type.name} năm {year} cho {name} "
                f"(quyết định {decision_number} ngày {fmt_date(decision_date)} của {issuing_unit.name})"
            ),
        )
    return record


def award_records_import(*, acting_user, unit, records: list[AwardRecord], source) -> int:
    """Write the awards an import planned (commendations/importers.py: matched, checked, not yet in the
    registry), all at once, marked with the file and the import they came from; one audit event for the
    import. Runs inside the import's transaction."""
    require(acting_user, Action.AWARD_RECORD, unit.path)
    for record in records:
        if not record.scope_unit.path.startswith(unit.path):
            raise ServiceError(f"{record.subject_name} không thuộc “{unit.name}”.")
        record.source_file = (source.filename or "")[:255]
        record.source_import_id = source.import_id
        record.achievement_summary = record.achievement_summary.strip()
    with transaction.atomic():
        AwardRecord.objects.bulk_create(records, batch_size=1000)
        audit_record(
            actor=acting_user,
            action="award.import",
            obj=unit,
            unit=unit,
            summary=f"Nhập {len(records)} khen thưởng các năm trước vào sổ khen thưởng từ tệp “{source.filename}”",
            changes={"created": len(records), "file": source.filename, "import_id": source.import_id},
        )
    return len(records)
