"""Preparing a dossier: create it, add nominees and documents, submit it to the next level (the
engine re-checks every nominee), and the documents and authority a dossier needs."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commendations.engine.declarations import declaration as award_declaration
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import DocumentKind, ItemStatus
from ..eligibility import check_items
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


def authority_for(*, unit: OrgUnit, award_types) -> OrgUnit:
    """The nearest unit at or above `unit` whose type may confer every award type of the dossier
    (for awards conferred by the State, the Tổng Liên đoàn proposes them)."""
    award_types = list(award_types)
    if not award_types:
        raise ServiceError("Hồ sơ chưa có người hoặc tập thể được đề nghị.")
    chain = [unit] + list(
        OrgUnit.objects.filter(path__in=unit.ancestor_paths()).select_related("unit_type").order_by("-depth")
    )
    for candidate in chain:
        if all(_may_confer(candidate, award_type) for award_type in award_types):
            return candidate
    names = ", ".join(a.name for a in award_types)
    raise ServiceError(f"Không tìm thấy cấp có thẩm quyền khen thưởng “{names}” phía trên “{unit.name}”.")


def _may_confer(unit: OrgUnit, award_type) -> bool:
    if getattr(award_type, "conferred_by_state", False):
        return unit.depth == 1
    return award_type.conferring_unit_types.filter(pk=unit.unit_type_id).exists()


def dossier_create(*, acting_user, proposing_unit: OrgUnit, kind: str, year: int, title: str) -> Dossier:
    require(acting_user, Action.NOMINATION_PREPARE, proposing_unit.path)
    if not title.strip():
        raise ServiceError("Nhập trích yếu hồ sơ.", field="title")
    with transaction.atomic():
        dossier = Dossier.objects.create(
            proposing_unit=proposing_unit, kind=kind, year=year, title=title.strip(), created_by=acting_user
        )
        audit_record(
            actor=acting_user,
            action="dossier.create",
            obj=dossier,
            unit=proposing_unit,
            summary=f"Lập hồ sơ “{dossier.title}”",
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
) -> NominationItem:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        if (person is None) == (unit is None):
            raise ServiceError("Chọn một cá nhân hoặc một tập thể.", field="person")
        if not achievement_summary.strip():
            raise ServiceError("Nhập tóm tắt thành tích.", field="achievement_summary")
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
        )
        check_items(items=[item], received_on=dossier.received_on or timezone.localdate(), year=dossier.year)
        audit_record(
            actor=acting_user,
            action="dossier.item_add",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Đề nghị {award_type.name} cho {item.nominee}"
            + (
                ""
                if item.eligible
                else f" (chưa đủ điều kiện — lý do đề nghị: {item.override_reason or 'chưa nhập'})"
            ),
        )
    return item


def item_update(
    *,
    acting_user,
    item: NominationItem,
    achievement_summary: str,
    override_reason: str,
    award_type=None,
    achievement_id: str | None = None,
) -> NominationItem:
    """Edit a nominee of an editable dossier: the summary and override reason, and — when given — the
    award proposed and the achievement cited; the engine's verdict snapshot is recomputed as on add."""
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
        }
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
        authority = authority_for(unit=dossier.proposing_unit, award_types={i.award_type for i in items})
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
