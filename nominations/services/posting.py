"""Public posting of a dossier at the authority, and the public's moderated comments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ServiceError

from ..choices import CommentStatus
from ..models import Dossier, PublicComment, PublicPosting
from ..workflow import DOSSIER
from .common import _lock_dossier


def posting_open(*, acting_user, dossier: Dossier, starts_on: dt.date, ends_on: dt.date) -> PublicPosting:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        transition = DOSSIER.fire(
            dossier, "post", acting_user
        )  # once, while POSTED, by a reviewer of the authority
        if ends_on < starts_on:
            raise ServiceError("Ngày kết thúc công khai không được trước ngày bắt đầu.", field="ends_on")
        posting = PublicPosting.objects.create(
            dossier=dossier, starts_on=starts_on, ends_on=ends_on, created_by=acting_user
        )
        audit_record(
            actor=acting_user,
            action=transition.audit,
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
        transition = DOSSIER.fire(
            dossier, "moderate", acting_user
        )  # while posted, by a reviewer of the authority
        comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.HIDDEN
        comment.moderated_by = acting_user
        comment.save()
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.authority,
            summary=f"{'Đăng' if publish else 'Không đăng'} ý kiến của {comment.author_name}",
        )
    return comment


def posting_close(*, acting_user, dossier: Dossier) -> Dossier:
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        transition = DOSSIER.fire(dossier, "close_posting", acting_user)  # by a reviewer of the authority
        posting = dossier.posting
        posting.closed_at = timezone.now()
        posting.save(update_fields=["closed_at"])
        dossier.save(update_fields=["state", "updated_at"])
        pending = posting.comments.filter(status=CommentStatus.PENDING).count()
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.authority,
            summary=f"Kết thúc công khai hồ sơ “{dossier.title}”; chuyển Hội đồng xét"
            + (f" ({pending} ý kiến chưa duyệt)" if pending else ""),
        )
    return dossier
