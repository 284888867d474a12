"""The nomination workflow. Every transition locks the rows it changes and checks the state it expects,
so two reviewers acting on the same step cannot both succeed; every step writes an AuditEvent.

Transitions are declared once in `nominations.workflow.DOSSIER` (who may fire them at which level,
guards, audit action, notification recipients); the services below fire them and never set a state
by hand:
  DRAFT/RETURNED/RECALLED --submit--> IN_REVIEW (a pending ApprovalStep at the next level up)
  IN_REVIEW --open/forward--> IN_REVIEW (next level) | --return--> RETURNED | --recall (unopened)--> RECALLED
  IN_REVIEW at the authority --accept--> POSTED (award needs public posting) | IN_COUNCIL
  POSTED --post/moderate--> POSTED --close_posting--> IN_COUNCIL --session closed (tally)-->
  --decide--> DECIDED | --reject--> REJECTED
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from commendations.engine.declarations import declaration as award_declaration
from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from .choices import Choice, CommentStatus, DocumentKind, DossierState, ItemStatus, SessionState, StepVerdict
from .eligibility import check_items, vote_threshold
from .models import (
    ApprovalStep,
    Ballot,
    BallotReceipt,
    CouncilSession,
    Decision,
    Dossier,
    NominationItem,
    Notification,
    PublicComment,
    PublicPosting,
)
from .numbering import decision_number_allocate
from .selectors import council_members
from .workflow import AWARD, DOSSIER, recipients_for

REQUIRED_DOCUMENTS = (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH)


def required_documents(award_codes) -> list[str]:
    """The tờ trình and the danh sách, plus the documents the awards declare (higher titles and forms also
    need the achievement report and the minutes of the proposing council)."""
    required = list(REQUIRED_DOCUMENTS)
    for code in award_codes:
        decl = award_declaration(code)
        required += [k for k in (decl.documents if decl else ()) if k not in required]
    return required


# --- helpers ---------------------------------------------------------------------------------------


def _lock_dossier(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("proposing_unit", "authority")
        .get(pk=dossier.pk)
    )


def _parent(unit: OrgUnit) -> OrgUnit | None:
    if unit.depth <= 1:
        return None
    return OrgUnit.objects.get(path=unit.path[: -unit.steplen])


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


def _notify(users, text: str, url: str = "", *, actor=None) -> None:
    """In-app notifications; also e-mail when THIDUA_NOTIFY_BY_EMAIL is on (sent after the commit).
    The user who acted is not told about their own act."""
    from django.conf import settings

    users = {u for u in users if actor is None or u.pk != actor.pk}
    Notification.objects.bulk_create([Notification(user=u, text=text, url=url) for u in users])
    if getattr(settings, "THIDUA_NOTIFY_BY_EMAIL", False):
        from django.core.mail import send_mail

        recipients = sorted({u.email for u in users if u.email})
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    "[thidua] " + text[:120], f"{text}\n{url}", None, recipients, fail_silently=True
                )
            )


def _pending_step(dossier: Dossier) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.select_for_update().filter(dossier=dossier, verdict=StepVerdict.PENDING).first()
    )


# --- preparing a dossier ---------------------------------------------------------------------------


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


def document_add(*, acting_user, dossier: Dossier, kind: str, file) -> None:
    from .models import DossierDocument

    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        if kind not in DocumentKind.values:
            raise ServiceError("Loại tài liệu không hợp lệ.", field="kind")
        name = (getattr(file, "name", "") or "").lower()
        if not name.endswith((".pdf", ".doc", ".docx", ".odt", ".xlsx", ".xls", ".jpg", ".png")):
            raise ServiceError("Tài liệu phải là PDF, Word, Excel hoặc ảnh chụp.", field="file")
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
    *, acting_user, item: NominationItem, achievement_summary: str, override_reason: str
) -> NominationItem:
    with transaction.atomic():
        dossier = _lock_dossier(item.dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        item = NominationItem.objects.select_for_update().get(pk=item.pk)
        before = (item.achievement_summary, item.override_reason)
        item.achievement_summary = achievement_summary.strip()
        item.override_reason = override_reason.strip()
        if item.status == ItemStatus.RETURNED:
            item.status = ItemStatus.PENDING
        item.save()
        audit_record(
            actor=acting_user,
            action="dossier.item_update",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Sửa đề nghị cho {item.nominee}",
            changes={
                "achievement_summary": [before[0], item.achievement_summary],
                "override_reason": [before[1], item.override_reason],
            },
        )
    return item


def item_remove(*, acting_user, item: NominationItem) -> None:
    with transaction.atomic():
        dossier = _lock_dossier(item.dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        _editable(dossier, acting_user)
        nominee = str(item.nominee)
        item.delete()
        audit_record(
            actor=acting_user,
            action="dossier.item_remove",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Bỏ đề nghị cho {nominee}",
        )


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
            action="dossier.submit",
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
            f"/de-nghi/{dossier.pk}/",
            actor=acting_user,
        )
    return dossier


# --- review up the hierarchy -----------------------------------------------------------------------


def _act_on_step(acting_user, dossier: Dossier, step_id: int | None = None) -> tuple[Dossier, ApprovalStep]:
    """Lock the dossier, then the step to act on. `step_id` is the step the reviewer saw: if another
    reviewer acted first, the pending step is a different one and the second gets a clear message."""
    dossier = _lock_dossier(dossier)
    step = _pending_step(dossier)
    if (
        step is None
        or dossier.state != DossierState.IN_REVIEW
        or (step_id is not None and step.pk != step_id)
    ):
        raise ServiceError("Hồ sơ đã được xử lý ở bước này (có thể bởi người khác). Hãy tải lại trang.")
    require(acting_user, Action.NOMINATION_REVIEW, step.level.path)
    return dossier, step


def _settle(step: ApprovalStep, *, verdict: str, user, reason: str, opened: bool = True) -> None:
    """Close a pending step with its verdict; acting on a step also counts as having opened it."""
    step.verdict, step.acted_by, step.acted_at, step.reason = verdict, user, timezone.now(), reason
    if opened:
        step.opened_at = step.opened_at or step.acted_at
    step.save()


def step_open(*, acting_user, dossier: Dossier, step_id: int | None = None) -> ApprovalStep:
    """The level opens the dossier: from now on the proposer can no longer recall it."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        DOSSIER.fire(dossier, "open", acting_user)  # once per step
        step.opened_at = timezone.now()
        step.opened_by = acting_user
        step.save(update_fields=["opened_at", "opened_by"])
        audit_record(
            actor=acting_user,
            action="dossier.open",
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” mở hồ sơ “{dossier.title}”",
        )
    return step


def dossier_recall(*, acting_user, dossier: Dossier, reason: str = "") -> Dossier:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
        step = _pending_step(dossier)
        DOSSIER.fire(dossier, "recall", acting_user)  # unopened and still at its first level
        _settle(step, verdict=StepVerdict.RECALLED, user=acting_user, reason=reason.strip(), opened=False)
        dossier.current_level = None
        dossier.save()
        audit_record(
            actor=acting_user,
            action="dossier.recall",
            obj=dossier,
            unit=dossier.proposing_unit,
            summary=f"Rút lại hồ sơ “{dossier.title}”" + (f": {reason}" if reason else ""),
        )
    return dossier


def step_forward(*, acting_user, dossier: Dossier, note: str = "", step_id: int | None = None) -> Dossier:
    """An intermediate level agrees and sends the dossier to the next level up."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        transition = DOSSIER.fire(dossier, "forward", acting_user)  # an intermediate level only
        next_level = _parent(step.level)
        _settle(step, verdict=StepVerdict.FORWARDED, user=acting_user, reason=note)
        ApprovalStep.objects.create(
            dossier=dossier,
            level=next_level,
            round=step.round,
            is_authority=next_level.pk == dossier.authority_id,
        )
        dossier.current_level = next_level
        dossier.save(update_fields=["current_level", "updated_at"])
        audit_record(
            actor=acting_user,
            action="dossier.forward",
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” chuyển hồ sơ “{dossier.title}” lên “{next_level.name}”"
            + (f": {note}" if note else ""),
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ chờ xét: {dossier.title}",
            f"/de-nghi/{dossier.pk}/",
            actor=acting_user,
        )
    return dossier


def step_return(
    *,
    acting_user,
    dossier: Dossier,
    reason: str,
    items: list[NominationItem] | None = None,
    step_id: int | None = None,
) -> Dossier:
    """Return the dossier (or some nominees in it) to the proposing unit with a reason."""
    if not reason.strip():
        raise ServiceError("Nhập lý do trả lại để đơn vị đề nghị biết cần sửa gì.", field="reason")
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        transition = DOSSIER.fire(dossier, "return", acting_user)
        _settle(step, verdict=StepVerdict.RETURNED, user=acting_user, reason=reason.strip())
        targets = items if items else list(dossier.items.all())
        NominationItem.objects.filter(pk__in=[i.pk for i in targets]).update(
            status=ItemStatus.RETURNED, returned_reason=reason.strip()
        )
        dossier.current_level = dossier.proposing_unit
        dossier.save()
        names = ", ".join(str(i.nominee) for i in targets)
        audit_record(
            actor=acting_user,
            action="dossier.return",
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” trả lại hồ sơ “{dossier.title}” ({names}): {reason.strip()}",
        )
        _notify(
            recipients_for(dossier, transition),
            f"Hồ sơ bị trả lại: {dossier.title} — {reason.strip()}",
            f"/de-nghi/{dossier.pk}/",
            actor=acting_user,
        )
    return dossier


def step_accept(*, acting_user, dossier: Dossier, note: str = "", step_id: int | None = None) -> Dossier:
    """The authority receives the dossier: its date selects the rule set in force (R-GEN-02)."""
    with transaction.atomic():
        dossier, step = _act_on_step(acting_user, dossier, step_id)
        items = list(dossier.items.select_related("award_type", "person", "unit"))
        needs_posting = any(getattr(i.award_type, "requires_public_posting", False) for i in items)
        # at the authority only
        DOSSIER.fire(
            dossier,
            "accept",
            acting_user,
            to=DossierState.POSTED if needs_posting else DossierState.IN_COUNCIL,
        )
        _settle(step, verdict=StepVerdict.ACCEPTED, user=acting_user, reason=note)
        dossier.received_on = timezone.localdate()
        check_items(items=items, received_on=dossier.received_on, year=dossier.year)
        dossier.save()
        audit_record(
            actor=acting_user,
            action="dossier.accept",
            obj=dossier,
            unit=step.level,
            summary=f"“{step.level.name}” tiếp nhận hồ sơ “{dossier.title}” ngày {dossier.received_on:%d/%m/%Y}"
            + ("; cần công khai lấy ý kiến" if needs_posting else ""),
        )
    return dossier


# --- public posting --------------------------------------------------------------------------------


def posting_open(*, acting_user, dossier: Dossier, starts_on: dt.date, ends_on: dt.date) -> PublicPosting:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        DOSSIER.fire(dossier, "post", acting_user)  # once, while POSTED, by a reviewer of the authority
        if ends_on < starts_on:
            raise ServiceError("Ngày kết thúc công khai không được trước ngày bắt đầu.", field="ends_on")
        posting = PublicPosting.objects.create(
            dossier=dossier, starts_on=starts_on, ends_on=ends_on, created_by=acting_user
        )
        audit_record(
            actor=acting_user,
            action="dossier.post",
            obj=dossier,
            unit=dossier.authority,
            summary=f"Công khai hồ sơ “{dossier.title}” từ {starts_on:%d/%m/%Y} đến {ends_on:%d/%m/%Y}",
        )
    return posting


def comment_add(
    *, posting: PublicPosting, author_name: str, contact: str, text: str, today: dt.date | None = None
) -> PublicComment:
    today = today or timezone.localdate()
    if not (posting.starts_on <= today <= posting.ends_on) or posting.closed_at:
        raise ServiceError("Thời gian lấy ý kiến đã kết thúc hoặc chưa bắt đầu.")
    if not author_name.strip() or not text.strip():
        raise ServiceError("Nhập họ tên và nội dung ý kiến.", field="text")
    return PublicComment.objects.create(
        posting=posting,
        author_name=author_name.strip()[:150],
        contact=contact.strip()[:150],
        text=text.strip()[:5000],
    )


def comment_moderate(*, acting_user, comment: PublicComment, publish: bool) -> PublicComment:
    with transaction.atomic():
        comment = (
            PublicComment.objects.select_for_update(of=("self",))
            .select_related("posting__dossier__authority")
            .get(pk=comment.pk)
        )
        dossier = comment.posting.dossier
        DOSSIER.fire(dossier, "moderate", acting_user)  # while posted, by a reviewer of the authority
        comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.HIDDEN
        comment.moderated_by = acting_user
        comment.save()
        audit_record(
            actor=acting_user,
            action="dossier.comment_moderate",
            obj=dossier,
            unit=dossier.authority,
            summary=f"{'Đăng' if publish else 'Không đăng'} ý kiến của {comment.author_name}",
        )
    return comment


def posting_close(*, acting_user, dossier: Dossier) -> Dossier:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        DOSSIER.fire(dossier, "close_posting", acting_user)  # by a reviewer of the authority
        posting = dossier.posting
        posting.closed_at = timezone.now()
        posting.save(update_fields=["closed_at"])
        dossier.save(update_fields=["state", "updated_at"])
        pending = posting.comments.filter(status=CommentStatus.PENDING).count()
        audit_record(
            actor=acting_user,
            action="dossier.post_close",
            obj=dossier,
            unit=dossier.authority,
            summary=f"Kết thúc công khai hồ sơ “{dossier.title}”; chuyển Hội đồng xét"
            + (f" ({pending} ý kiến chưa duyệt)" if pending else ""),
        )
    return dossier


# --- council and secret ballot ---------------------------------------------------------------------


def council_session_open(
    *,
    acting_user,
    unit: OrgUnit,
    title: str,
    held_on: dt.date,
    dossiers: list[Dossier],
    starts_at: dt.time | None = None,
    place: str = "",
    secretary: str = "",
) -> CouncilSession:
    require(acting_user, Action.NOMINATION_REVIEW, unit.path)
    with transaction.atomic():
        locked = [_lock_dossier(d) for d in dossiers]
        wrong = [d.title for d in locked if d.state != DossierState.IN_COUNCIL or d.authority_id != unit.pk]
        if wrong:
            raise ServiceError("Hồ sơ chưa sẵn sàng trình Hội đồng của đơn vị này: " + ", ".join(wrong))
        size = council_members(unit=unit, on=held_on).count()
        if size == 0:
            raise ServiceError(f"“{unit.name}” chưa có danh sách thành viên Hội đồng TĐKT.")
        session = CouncilSession.objects.create(
            unit=unit,
            title=title.strip(),
            held_on=held_on,
            starts_at=starts_at,
            place=place.strip(),
            secretary=secretary.strip(),
            council_size=size,
            created_by=acting_user,
        )
        session.dossiers.set(locked)
        audit_record(
            actor=acting_user,
            action="council.open",
            obj=session,
            unit=unit,
            summary=f"Mở phiên họp Hội đồng “{session.title}” ({size} thành viên, {len(locked)} hồ sơ)",
        )
    return session


def ballot_cast(*, acting_user, session: CouncilSession, item: NominationItem, choice: str) -> None:
    """Record that the member voted (receipt) and, separately, the anonymous ballot."""
    if choice not in Choice.values:
        raise ServiceError("Phiếu không hợp lệ.", field="choice")
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.OPEN:
            raise ServiceError("Phiên họp đã kết thúc bỏ phiếu.")
        if not council_members(unit=session.unit, on=session.held_on).filter(user=acting_user).exists():
            raise ServiceError("Chỉ thành viên Hội đồng TĐKT của cấp có thẩm quyền mới được bỏ phiếu.")
        if not session.dossiers.filter(pk=item.dossier_id).exists():
            raise ServiceError("Người được đề nghị không thuộc phiên họp này.")
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(session=session, item=item, voter=acting_user)
        except IntegrityError as exc:
            raise ServiceError("Bạn đã bỏ phiếu cho người/tập thể này.") from exc
        Ballot.objects.create(session=session, item=item, choice=choice)


def tally(*, session: CouncilSession, item: NominationItem) -> dict:
    counts = dict.fromkeys(Choice.values, 0)
    rows = (
        Ballot.objects.filter(session=session, item=item).values("choice").annotate(n=Count("pk")).order_by()
    )
    for row in rows:
        counts[row["choice"]] = row["n"]
    voted = BallotReceipt.objects.filter(session=session, item=item).count()
    share = counts[Choice.YES] / session.council_size if session.council_size else 0
    return {
        "yes": counts[Choice.YES],
        "no": counts[Choice.NO],
        "abstain": counts[Choice.ABSTAIN],
        "voted": voted,
        "size": session.council_size,
        "share": share,
    }


def council_session_close(*, acting_user, session: CouncilSession) -> CouncilSession:
    """Count the ballots of every nominee against the rule set's threshold over ALL council members
    (absent members count as not yes — R-VOTE-01) and write the minutes."""
    require(acting_user, Action.NOMINATION_REVIEW, session.unit.path)
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if session.state != SessionState.OPEN:
            raise ServiceError("Phiên họp đã kết thúc.")
        lines = [
            f"Phiên họp “{session.title}” ngày {session.held_on:%d/%m/%Y}; Hội đồng có {session.council_size} thành viên."
        ]
        for dossier in session.dossiers.select_for_update().order_by("pk"):
            threshold, rule_set = vote_threshold(received_on=dossier.received_on)
            for item in dossier.items.select_related("award_type", "person", "unit").order_by("position"):
                result = tally(session=session, item=item)
                passed = result["share"] >= threshold
                item.status = ItemStatus.ACCEPTED if passed else ItemStatus.REJECTED
                item.save(update_fields=["status"])
                lines.append(
                    f"- {item.nominee} — {item.award_type.name}: {result['yes']}/{result['size']} đồng ý "
                    f"({result['share'] * 100:.2f} %".replace(".", ",")
                    + f"), ngưỡng {threshold * 100:.0f} % "
                    f"theo {rule_set}: {'ĐẠT' if passed else 'KHÔNG ĐẠT'} (R-VOTE-01)"
                )
        session.state, session.closed_at = SessionState.CLOSED, timezone.now()
        session.minutes = "\n".join(lines)
        session.save()
        audit_record(
            actor=acting_user,
            action="council.close",
            obj=session,
            unit=session.unit,
            summary=f"Kết thúc bỏ phiếu phiên “{session.title}”",
            changes={"minutes": [None, session.minutes]},
        )
    return session


# --- decision --------------------------------------------------------------------------------------


def decision_issue(
    *, acting_user, dossier: Dossier, issued_on: dt.date, signer_name: str, signer_title: str, symbol: str
) -> Decision | None:
    """Issue the numbered decision: award records for accepted nominees, prerequisites marked used,
    proposing units notified. The issuer must be valid on the decision date (R-ORG-02)."""
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        DOSSIER.check(dossier, "decide", acting_user)  # the council has voted; a signer of the authority
        authority = (
            OrgUnit.objects.select_for_update(of=("self",))
            .select_related("unit_type")
            .get(pk=dossier.authority_id)
        )
        if not authority.is_active_on(issued_on):
            raise ServiceError(
                f"“{authority.name}” không còn hiệu lực vào ngày {issued_on:%d/%m/%Y}: không thể ban hành (R-ORG-02)."
            )
        accepted = list(
            dossier.items.filter(status=ItemStatus.ACCEPTED).select_related("award_type", "person", "unit")
        )
        if not accepted:
            transition = DOSSIER.fire(dossier, "reject", acting_user)
            dossier.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=acting_user,
                action="dossier.reject",
                obj=dossier,
                unit=authority,
                summary=f"Không khen thưởng hồ sơ “{dossier.title}”: không đề nghị nào đạt số phiếu",
            )
            _notify(
                recipients_for(dossier, transition),
                f"Hồ sơ không được khen thưởng: {dossier.title}",
                f"/de-nghi/{dossier.pk}/",
                actor=acting_user,
            )
            return None
        decision = Decision.objects.create(
            issuing_unit=authority,
            year=issued_on.year,
            sequence=0,  # numbered just below, under the lock on the authority's row
            symbol=symbol.strip(),
            issued_on=issued_on,
            signer_name=signer_name.strip(),
            signer_title=signer_title.strip(),
            dossier=dossier,
            created_by=acting_user,
        )
        # one register of outgoing documents per issuer and year (ND30): the decision's number is the
        # next one of the authority's register, shared with its plans and other documents
        # (registered by `documents`: nominations.numbering)
        decision.sequence = decision_number_allocate(
            acting_user=acting_user,
            issuer=authority,
            title=f"Quyết định khen thưởng hồ sơ “{dossier.title}”",
            issued_on=issued_on,
            subject=decision,
        )
        decision.save(update_fields=["sequence"])
        records = [_award_record(acting_user=acting_user, item=item, decision=decision) for item in accepted]
        decision.award_records.set(records)
        transition = DOSSIER.fire(dossier, "decide", acting_user)
        dossier.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=acting_user,
            action="decision.issue",
            obj=decision,
            unit=authority,
            summary=f"Ban hành Quyết định số {decision.number} ngày {issued_on:%d/%m/%Y}: khen thưởng "
            f"{len(records)} đề nghị của “{dossier.proposing_unit.name}”",
        )
        _notify(
            recipients_for(dossier, transition),
            f"Đã có Quyết định số {decision.number} khen thưởng hồ sơ “{dossier.title}”",
            f"/de-nghi/{dossier.pk}/",
            actor=acting_user,
        )
    return decision


def _award_record(*, acting_user, item: NominationItem, decision: Decision):
    from commendations.models import AwardRecord
    from members.models import Membership

    if item.person_id:
        membership = Membership.objects.filter(person_id=item.person_id, ended_on__isnull=True).first()
        scope_unit = membership.unit if membership else decision.dossier.proposing_unit
    else:
        scope_unit = item.unit
    record = AwardRecord.objects.create(
        person=item.person,
        unit=item.unit,
        scope_unit=scope_unit,
        award_type=item.award_type,
        year=decision.dossier.year,
        decision_number=decision.number,
        decision_date=decision.issued_on,
        issuing_unit=decision.issuing_unit,
        achievement_id=item.achievement_id or f"HS{decision.dossier_id}-{item.pk}",
        achievement_summary=item.achievement_summary,
        entered_by=acting_user,
    )
    # An award that served as prerequisite of a higher one is "used" (R-GEN-01): as many as it declares.
    decl = award_declaration(item.award_type.code)
    if decl is not None and decl.prerequisite is not None and item.person_id:
        code, count = decl.prerequisite.code, decl.prerequisite.count
        used = list(
            AwardRecord.objects.select_for_update()
            .filter(person_id=item.person_id, award_type__code=code, status="VALID", used_for__isnull=True)
            .order_by("-year")[:count]
        )
        AwardRecord.objects.filter(pk__in=[r.pk for r in used]).update(used_for=record)
    return record


# --- revocation (R-REV-01) -------------------------------------------------------------------------


def award_revoke(*, acting_user, record, reason: str, decision_ref: str, revoked_on: dt.date | None = None):
    """Revoke an award (false dossier, forged achievement, ...): it is marked revoked with reason and
    decision; every award that used it as a prerequisite is flagged for review — nothing is deleted."""
    from commendations.models import AwardRecord

    if not reason.strip():
        raise ServiceError("Nhập lý do thu hồi.", field="reason")
    if not decision_ref.strip():
        raise ServiceError("Nhập số quyết định thu hồi.", field="decision_ref")
    with transaction.atomic():
        record = (
            AwardRecord.objects.select_for_update(of=("self",))
            .select_related("award_type", "scope_unit", "issuing_unit", "used_for")
            .get(pk=record.pk)
        )
        require(acting_user, Action.DECISION_ISSUE, record.issuing_unit.path)
        AWARD.fire(record, "revoke", acting_user)
        record.revoked_reason = reason.strip()
        record.revocation_ref = decision_ref.strip()
        record.revoked_on = revoked_on or timezone.localdate()
        record.save(update_fields=["status", "revoked_reason", "revocation_ref", "revoked_on"])
        dependents = []
        if record.used_for_id:
            dependent = AwardRecord.objects.select_for_update(of=("self",)).get(pk=record.used_for_id)
            dependent.needs_review = True
            dependent.save(update_fields=["needs_review"])
            dependents.append(dependent)
        subject = record.person or record.unit
        audit_record(
            actor=acting_user,
            action="award.revoke",
            obj=record,
            unit=record.scope_unit,
            summary=f"Thu hồi {record.award_type.name} năm {record.year} của {subject} "
            f"(QĐ {record.decision_number}) theo {record.revocation_ref}: {record.revoked_reason}",
            changes={"status": ["VALID", "REVOKED"]},
        )
        for dependent in dependents:
            audit_record(
                actor=acting_user,
                action="award.flag_review",
                obj=dependent,
                unit=dependent.scope_unit,
                summary=f"Cần xem xét lại {dependent.award_type.name} năm {dependent.year} của {subject}: "
                f"căn cứ {record.award_type.name} năm {record.year} đã bị thu hồi",
            )
        _notify(
            revocation_recipients(record),
            f"Thu hồi {record.award_type.name} năm {record.year} của {subject}"
            + (f"; {len(dependents)} khen thưởng liên quan cần xem xét lại" if dependents else ""),
            actor=acting_user,
        )
    return record


def revocation_recipients(record) -> list:
    """Who is told of a revocation: those who hold the registry (award.record) of the unit the award
    counts for and those who sign decisions (decision.issue) at the issuing unit — today."""
    from accounts.selectors import action_holders

    return list(action_holders(action=Action.AWARD_RECORD, unit=record.scope_unit)) + list(
        action_holders(action=Action.DECISION_ISSUE, unit=record.issuing_unit)
    )


# --- annual calendar -------------------------------------------------------------------------------


def deadline_set(*, acting_user, organiser: OrgUnit, year: int, kind: str, due_on: dt.date, note: str = ""):
    from .models import NominationDeadline

    require(acting_user, Action.NOMINATION_REVIEW, organiser.path)
    with transaction.atomic():
        deadline, created = NominationDeadline.objects.update_or_create(
            organiser=organiser, year=year, kind=kind, defaults={"due_on": due_on, "note": note.strip()}
        )
        audit_record(
            actor=acting_user,
            action="deadline.set",
            obj=deadline,
            unit=organiser,
            summary=f"{'Đặt' if created else 'Sửa'} hạn nộp hồ sơ {deadline.get_kind_display().lower()} "
            f"năm {year}: {due_on:%d/%m/%Y}",
        )
    return deadline
