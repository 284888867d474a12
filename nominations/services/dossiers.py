"""Preparing a dossier: create it, choose its issuing level, add nominees and documents, submit it to
the next level (the engine re-checks every nominee), and the documents and authority a dossier needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commendations.choices import SubjectCategory
from commendations.engine.declarations import declaration as award_declaration
from core import metrics
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from core.models import AuditEvent
from organizations.models import OrgUnit

from ..choices import DocumentKind, ItemStatus
from ..eligibility import check_items, compute_verdicts
from ..models import ApprovalStep, Dossier, DossierDocument, NominationItem
from ..workflow import DOSSIER, recipients_for
from .common import _lock_dossier, _parent
from .notify import _notify

REQUIRED_DOCUMENTS = (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH)


def required_documents(award_codes) -> list[str]:
    """The tờ trình and the danh sách, plus the documents the awards declare (higher titles and forms also
    need the achievement report and the minutes of the proposing council)."""
    required = list(REQUIRED_DOCUMENTS)
    for code in award_codes:
        decl = award_declaration(code)
        required += [k for k in (decl.documents if decl else ()) if k not in required]
    return required


def _chain(unit: OrgUnit) -> list[OrgUnit]:
    """`unit` and the units above it, nearest first."""
    return [unit] + list(
        OrgUnit.objects.filter(path__in=unit.ancestor_paths()).select_related("unit_type").order_by("-depth")
    )


def _conferring_types(award_types) -> dict[int, set[int] | None]:
    """award type pk → the unit types that may confer it (None: conferred by the State, proposed by the
    top level) — one query for all."""
    from commendations.models import AwardType

    through = AwardType.conferring_unit_types.through
    types: dict[int, set[int] | None] = {
        a.pk: None if getattr(a, "conferred_by_state", False) else set() for a in award_types
    }
    for award_id, type_id in through.objects.filter(awardtype_id__in=list(types)).values_list(
        "awardtype_id", "orgunittype_id"
    ):
        if types[award_id] is not None:
            types[award_id].add(type_id)
    return types


def _confers(unit: OrgUnit, allowed: set[int] | None) -> bool:
    return unit.depth == 1 if allowed is None else unit.unit_type_id in allowed


def authority_candidates(*, unit: OrgUnit, award_types=()) -> list[OrgUnit]:
    """The units at or above `unit` that may confer every award type given, nearest first — the issuing
    levels ("Cấp khen thưởng") the proposer may choose. With no award yet (a new dossier): those that may
    confer at least one active award type."""
    award_types = list(award_types)
    if not award_types:
        from commendations.models import AwardType

        award_types = list(AwardType.objects.filter(active=True))
        types = _conferring_types(award_types)
        return [c for c in _chain(unit) if any(_confers(c, t) for t in types.values())]
    types = _conferring_types(award_types)
    return [c for c in _chain(unit) if all(_confers(c, t) for t in types.values())]


def authority_for(*, unit: OrgUnit, award_types) -> OrgUnit:
    """The nearest unit at or above `unit` whose type may confer every award type of the dossier
    (for awards conferred by the State, the Tổng Liên đoàn proposes them)."""
    award_types = list(award_types)
    if not award_types:
        raise ServiceError("Hồ sơ chưa có người hoặc tập thể được đề nghị.")
    candidates = authority_candidates(unit=unit, award_types=award_types)
    if candidates:
        return candidates[0]
    names = ", ".join(a.name for a in award_types)
    raise ServiceError(f"Không tìm thấy cấp có thẩm quyền khen thưởng “{names}” phía trên “{unit.name}”.")


def _check_chosen(*, dossier: Dossier, chosen: OrgUnit, award_types) -> None:
    """`chosen` must be the proposing unit or above it, and may confer every award of the dossier."""
    unit = dossier.proposing_unit
    if chosen.pk != unit.pk and not unit.path.startswith(chosen.path):
        raise ServiceError(
            f"“{chosen.name}” không phải cấp trên của “{unit.name}”: chọn cấp khen thưởng trong danh sách.",
            field="authority",
        )
    award_types = list(award_types)
    if chosen.pk in {c.pk for c in authority_candidates(unit=unit, award_types=award_types)}:
        return
    types = _conferring_types(award_types)
    lacking = [a.name for a in award_types if not _confers(chosen, types[a.pk])]
    choices = [c.name for c in authority_candidates(unit=unit, award_types=award_types)]
    if lacking:
        text = f"“{chosen.name}” không có thẩm quyền tặng {', '.join(lacking)}"
    else:
        text = f"“{chosen.name}” không có thẩm quyền khen thưởng"
    raise ServiceError(
        text
        + (": chọn lại cấp khen thưởng (" + ", ".join(f"“{n}”" for n in choices) + ")." if choices else "."),
        field="authority",
    )


def chosen_authority_problem(*, dossier: Dossier, award_types) -> str | None:
    """Why the issuing level chosen for `dossier` no longer fits its awards (None: it does)."""
    if not dossier.chosen_authority_id:
        return None
    try:
        _check_chosen(dossier=dossier, chosen=dossier.chosen_authority, award_types=award_types)
    except ServiceError as error:
        return error.message
    return None


def dossier_create(
    *,
    acting_user,
    proposing_unit: OrgUnit,
    kind: str,
    year: int,
    title: str,
    authority: OrgUnit | None = None,
) -> Dossier:
    """A new dossier. `authority`: the issuing level the proposer chose (None: the nearest unit allowed
    to confer every award of the dossier, found at submit)."""
    require(acting_user, Action.NOMINATION_PREPARE, proposing_unit.path)
    if not title.strip():
        raise ServiceError("Nhập trích yếu hồ sơ.", field="title")
    with transaction.atomic():
        dossier = Dossier(
            proposing_unit=proposing_unit, kind=kind, year=year, title=title.strip(), created_by=acting_user
        )
        if authority is not None:
            _check_chosen(dossier=dossier, chosen=authority, award_types=())
            dossier.chosen_authority = authority
        dossier.save()
        audit_record(
            actor=acting_user,
            action="dossier.create",
            obj=dossier,
            unit=proposing_unit,
            summary=f"Lập hồ sơ “{dossier.title}”"
            + (f"; cấp khen thưởng: “{authority.name}”" if authority is not None else ""),
        )
    return dossier


def dossier_choose_authority(*, acting_user, dossier: Dossier, authority: OrgUnit | None) -> Dossier:
    """Choose the issuing level of a dossier being prepared (the "edit" transition): a unit at or above
    the proposing unit allowed to confer every award of the dossier; None goes back to the nearest."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        before = dossier.chosen_authority
        if authority is not None:
            award_types = {i.award_type for i in dossier.items.select_related("award_type")}
            _check_chosen(dossier=dossier, chosen=authority, award_types=award_types)
        if (before.pk if before else None) == (authority.pk if authority else None):
            return dossier
        dossier.chosen_authority = authority
        dossier.save(update_fields=["chosen_authority", "updated_at"])
        name = authority.name if authority else "cấp gần nhất có thẩm quyền"
        audit_record(
            actor=acting_user,
            action="dossier.authority_choose",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Chọn cấp khen thưởng cho hồ sơ “{dossier.title}”: {name}",
            changes={
                "chosen_authority": [before.name if before else None, authority.name if authority else None]
            },
        )
    return dossier


def _editable(dossier: Dossier, user) -> None:
    DOSSIER.check(dossier, "edit", user)


def _check_document_file(file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith((".pdf", ".doc", ".docx", ".odt", ".xlsx", ".xls", ".jpg", ".png")):
        raise ServiceError("Tài liệu phải là PDF, Word, Excel hoặc ảnh chụp.", field="file")


def document_add(*, acting_user, dossier: Dossier, kind: str, file) -> None:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        if kind not in DocumentKind.values:
            raise ServiceError("Loại tài liệu không hợp lệ.", field="kind")
        _check_document_file(file)
        DossierDocument.objects.create(dossier=dossier, kind=kind, file=file, uploaded_by=acting_user)
        audit_record(
            actor=acting_user,
            action="dossier.document",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Đính kèm {DocumentKind(kind).label.lower()} vào hồ sơ “{dossier.title}”",
        )


def item_add(
    *,
    acting_user,
    dossier: Dossier,
    award_type,
    person=None,
    unit=None,
    achievement_summary: str,
    achievement_id: str = "",
    override_reason: str = "",
    subject_category: str = "",
) -> NominationItem:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        if (person is None) == (unit is None):
            raise ServiceError("Chọn một cá nhân hoặc một tập thể.", field="person")
        if not achievement_summary.strip():
            raise ServiceError("Nhập tóm tắt thành tích.", field="achievement_summary")
        subject_category = _subject_category(subject_category, person=person)
        position = (dossier.items.aggregate(m=Max("position"))["m"] or 0) + 1
        item = NominationItem.objects.create(
            dossier=dossier,
            person=person,
            unit=unit,
            award_type=award_type,
            position=position,
            achievement_summary=achievement_summary.strip(),
            achievement_id=achievement_id.strip(),
            override_reason=override_reason.strip(),
            subject_category=subject_category,
        )
        check_items(items=[item], received_on=dossier.received_on or timezone.localdate(), year=dossier.year)
        audit_record(
            actor=acting_user,
            action="dossier.item_add",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=_item_add_summary(item),
        )
    return item


@dataclass(frozen=True)
class NewItem:
    """One nominee to add in bulk (`items_add_bulk`): the arguments of `item_add` for one row."""

    award_type: Any
    person: Any = None
    unit: Any = None
    achievement_summary: str = ""
    achievement_id: str = ""
    override_reason: str = ""
    subject_category: str = ""


def items_add_bulk(
    *, acting_user, dossier: Dossier, entries: list[NewItem], source_file: str = ""
) -> list[NominationItem]:
    """`item_add` for many nominees at once (an imported list): the same checks, positions after the
    dossier's last nominee, the engine's verdicts computed together (histories read once), the items
    written with one bulk insert and one `dossier.item_add` audit event per nominee, as `item_add` writes.
    All or nothing: a wrong entry raises `ServiceError` naming its place in the list before any write."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        if not entries:
            return []
        position = dossier.items.aggregate(m=Max("position"))["m"] or 0
        items = []
        for number, entry in enumerate(entries, start=1):
            where = f"Đề nghị thứ {number}: "
            if (entry.person is None) == (entry.unit is None):
                raise ServiceError(where + "chọn một cá nhân hoặc một tập thể.", field="person")
            if not entry.achievement_summary.strip():
                raise ServiceError(where + "nhập tóm tắt thành tích.", field="achievement_summary")
            try:
                category = _subject_category(entry.subject_category, person=entry.person)
            except ServiceError as error:
                raise ServiceError(where + error.message, field=error.field) from error
            position += 1
            items.append(
                NominationItem(
                    dossier=dossier,
                    person=entry.person,
                    unit=entry.unit,
                    award_type=entry.award_type,
                    position=position,
                    achievement_summary=entry.achievement_summary.strip(),
                    achievement_id=entry.achievement_id.strip(),
                    override_reason=entry.override_reason.strip(),
                    subject_category=category,
                    source_file=source_file[:255],
                )
            )
        compute_verdicts(
            items=items, received_on=dossier.received_on or timezone.localdate(), year=dossier.year
        )
        NominationItem.objects.bulk_create(items, batch_size=500)
        metrics.mark_changed(dossier.proposing_unit_id, dossier.year)  # bulk_create sends no post_save
        from_file = f" (nhập từ tệp “{source_file}”)" if source_file else ""
        # the event `item_add` writes, once per nominee, in one insert (AuditEvent is append-only)
        first = audit_record(
            actor=acting_user,
            action="dossier.item_add",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=_item_add_summary(items[0], from_file),
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=first.actor,
                    actor_name=first.actor_name,
                    action=first.action,
                    object_type=first.object_type,
                    object_id=first.object_id,
                    object_repr=first.object_repr,
                    unit=dossier.proposing_unit,
                    summary=_item_add_summary(item, from_file),
                    changes={},
                )
                for item in items[1:]
            ],
            batch_size=500,
        )
    return items


def _item_add_summary(item: NominationItem, suffix: str = "") -> str:
    return f"Đề nghị {item.award_type.name} cho {item.nominee}{suffix}" + (
        ""
        if item.eligible
        else f" (chưa đủ điều kiện — lý do đề nghị: {item.override_reason or 'chưa nhập'})"
    )


def _subject_category(value: str | None, *, person) -> str:
    """The "Phân loại đối tượng" of a nominee: one of `SubjectCategory`, for a person only."""
    value = (value or "").strip()
    if not value:
        return ""
    if person is None:
        raise ServiceError(
            "Phân loại đối tượng chỉ dành cho cá nhân: để trống khi đề nghị tập thể.",
            field="subject_category",
        )
    if value not in SubjectCategory.values:
        raise ServiceError(
            "Phân loại đối tượng không hợp lệ: chọn một trong "
            + ", ".join(f"“{label}”" for label in SubjectCategory.labels)
            + ".",
            field="subject_category",
        )
    return value


def item_update(
    *,
    acting_user,
    item: NominationItem,
    achievement_summary: str,
    override_reason: str,
    award_type=None,
    achievement_id: str | None = None,
    subject_category: str | None = None,
) -> NominationItem:
    """Edit a nominee of an editable dossier: the summary and override reason, and — when given — the
    award proposed, the achievement cited and the subject category (None keeps them); the engine's
    verdict snapshot is recomputed as on add."""
    with transaction.atomic():
        dossier = _lock_dossier(item.dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        item = (
            NominationItem.objects.select_for_update(of=("self",))
            .select_related("award_type", "person", "unit")
            .get(pk=item.pk, dossier=dossier)
        )
        if not achievement_summary.strip():
            raise ServiceError("Nhập tóm tắt thành tích.", field="achievement_summary")
        before = {
            "award_type": item.award_type.name,
            "achievement_summary": item.achievement_summary,
            "achievement_id": item.achievement_id,
            "override_reason": item.override_reason,
            "subject_category": item.get_subject_category_display(),
        }
        if subject_category is not None:
            item.subject_category = _subject_category(subject_category, person=item.person)
        if award_type is not None:
            if not award_type.active:
                raise ServiceError("Hình thức khen thưởng này không còn áp dụng.", field="award_type")
            item.award_type = award_type
        if achievement_id is not None:
            item.achievement_id = achievement_id.strip()
        item.achievement_summary = achievement_summary.strip()
        item.override_reason = override_reason.strip()
        if item.status == ItemStatus.RETURNED:
            item.status = ItemStatus.PENDING
        item.save()
        rechecked = award_type is not None or achievement_id is not None
        if rechecked:
            check_items(
                items=[item], received_on=dossier.received_on or timezone.localdate(), year=dossier.year
            )
        after = {
            "award_type": item.award_type.name,
            "achievement_summary": item.achievement_summary,
            "achievement_id": item.achievement_id,
            "override_reason": item.override_reason,
            "subject_category": item.get_subject_category_display(),
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        summary = f"Sửa đề nghị cho {item.nominee}"
        if "award_type" in changes:
            summary += f": đổi hình thức từ {before['award_type']} sang {after['award_type']}"
        if rechecked and not item.eligible:
            summary += f" (chưa đủ điều kiện — lý do đề nghị: {item.override_reason or 'chưa nhập'})"
        audit_record(
            actor=acting_user,
            action="dossier.item_update",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=summary,
            changes=changes or None,
        )
    return item


def item_remove(*, acting_user, item: NominationItem) -> None:
    """Take a nominee out of a dossier being prepared (DRAFT, RETURNED, RECALLED: the "edit" transition)."""
    with transaction.atomic():
        dossier = _lock_dossier(item.dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        item = (
            NominationItem.objects.select_for_update(of=("self",))
            .select_related("award_type", "person", "unit")
            .filter(pk=item.pk, dossier=dossier)
            .first()
        )
        if item is None:
            raise ServiceError("Đề nghị này đã được bỏ khỏi hồ sơ.")
        nominee, award = str(item.nominee), item.award_type.name
        item.delete()
        audit_record(
            actor=acting_user,
            action="dossier.item_remove",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Bỏ đề nghị {award} cho {nominee} khỏi hồ sơ “{dossier.title}”",
            changes={"nominee": [nominee, None], "award_type": [award, None]},
        )


def document_replace(*, acting_user, document: DossierDocument, file) -> DossierDocument:
    """Upload a new file for a document of an editable dossier (same kind). The document is replaced, not
    versioned: the old file is removed from storage after the commit, and the audit event names both."""
    with transaction.atomic():
        dossier = _lock_dossier(document.dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        document = DossierDocument.objects.select_for_update().filter(pk=document.pk, dossier=dossier).first()
        if document is None:
            raise ServiceError("Tài liệu này không còn trong hồ sơ.", field="file")
        _check_document_file(file)
        old_name, old_file = document.file.name, document.file
        storage = old_file.storage
        document.file = file
        document.uploaded_by = acting_user
        document.uploaded_at = timezone.now()
        document.save()
        transaction.on_commit(lambda: storage.delete(old_name) if old_name else None)
        audit_record(
            actor=acting_user,
            action="dossier.document_replace",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Thay tệp {document.get_kind_display().lower()} của hồ sơ “{dossier.title}”: "
            f"{document_filename(old_name)} → {document.filename}",
            changes={"file": [document_filename(old_name), document.filename]},
        )
    return document


def document_filename(name: str) -> str:
    return (name or "").rsplit("/", 1)[-1]


def dossier_submit(*, acting_user, dossier: Dossier) -> Dossier:
    """Send the dossier to the next level. Every nominee is re-checked by the engine; an ineligible one
    needs a written override reason, kept and shown to every later reviewer."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        DOSSIER.check(dossier, "submit", acting_user)
        items = list(dossier.items.select_related("award_type", "person", "unit"))
        if not items:
            raise ServiceError("Hồ sơ chưa có người hoặc tập thể được đề nghị.")
        check_items(items=items, received_on=timezone.localdate(), year=dossier.year)
        missing = [str(i.nominee) for i in items if not i.eligible and not i.override_reason]
        if missing:
            raise ServiceError(
                "Chưa đủ điều kiện và chưa có lý do đề nghị: "
                + ", ".join(missing)
                + ". Nhập lý do hoặc bỏ khỏi hồ sơ.",
                field="override_reason",
            )
        kinds = set(dossier.documents.values_list("kind", flat=True))
        lacking = [
            DocumentKind(k).label
            for k in required_documents({i.award_type.code for i in items})
            if k not in kinds
        ]
        if lacking:
            raise ServiceError("Hồ sơ còn thiếu: " + ", ".join(lacking) + ".", field="documents")
        award_types = {i.award_type for i in items}
        if dossier.chosen_authority_id:
            authority = OrgUnit.objects.select_related("unit_type").get(pk=dossier.chosen_authority_id)
            # still allowed for every nominee's award (an award may have been added or changed since)
            _check_chosen(dossier=dossier, chosen=authority, award_types=award_types)
        else:
            authority = authority_for(unit=dossier.proposing_unit, award_types=award_types)
        previous_round = dossier.steps.aggregate(r=Max("round"))["r"] or 0
        first_level = (
            dossier.proposing_unit
            if authority.pk == dossier.proposing_unit.pk
            else _parent(dossier.proposing_unit)
        )
        ApprovalStep.objects.create(
            dossier=dossier,
            level=first_level,
            round=previous_round + 1,
            is_authority=first_level.pk == authority.pk,
        )
        NominationItem.objects.filter(dossier=dossier, status=ItemStatus.RETURNED).update(
            status=ItemStatus.PENDING
        )
        transition = DOSSIER.fire(dossier, "submit", acting_user)
        dossier.authority = authority
        dossier.current_level = first_level
        dossier.submitted_at = timezone.now()
        dossier.save()
        overrides = [f"{i.nominee}: {i.override_reason}" for i in items if not i.eligible]
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Gửi hồ sơ “{dossier.title}” ({len(items)} đề nghị) lên “{first_level.name}”; "
            f"cấp có thẩm quyền: “{authority.name}”"
            + (". Đề nghị vượt điều kiện — " + "; ".join(overrides) if overrides else ""),
            changes={"overrides": [None, overrides]} if overrides else None,
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ mới chờ xét: {dossier.title}",
            dossier.get_absolute_url(),
            actor=acting_user,
        )
    return dossier
