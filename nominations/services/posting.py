"""Public posting of a dossier at the authority, and the public's moderated comments.

The public page needs no login, so the comment form is guarded: a rate limit per client address and per
posting (counters in a cache, `comment_rate_check`), a honeypot field (the view drops a filled one), an
unguessable URL (`PublicPosting.token`) and no form once the period is over."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import caches
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


RATE_LIMITED = "Bạn gửi ý kiến quá nhanh, vui lòng thử lại sau ít phút."
PERIOD_OVER = "Thời gian lấy ý kiến đã kết thúc."


class RateLimited(ServiceError):
    """Too many comments from one address or on one posting in the window (the view answers 429)."""


def _window_hit(cache, key: str, limit: int, seconds: int) -> bool:
    """Count one more attempt in the fixed window of `key`; True when it goes over `limit`."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count > limit


def comment_rate_check(*, posting: PublicPosting, client_ip: str) -> None:
    """Count a comment attempt from `client_ip` on `posting`; RateLimited when either window is full.
    Settings: PUBLIC_COMMENT_RATE_PER_IP, PUBLIC_COMMENT_RATE_PER_POSTING ((count, seconds)) and
    PUBLIC_COMMENT_RATE_CACHE (the cache alias, in config/settings/base.py)."""
    cache = caches[settings.PUBLIC_COMMENT_RATE_CACHE]
    per_ip = settings.PUBLIC_COMMENT_RATE_PER_IP
    per_posting = settings.PUBLIC_COMMENT_RATE_PER_POSTING
    over_ip = _window_hit(cache, f"thidua:comment-rate:ip:{client_ip}", *per_ip)
    over_posting = _window_hit(cache, f"thidua:comment-rate:posting:{posting.pk}", *per_posting)
    if over_ip or over_posting:
        raise RateLimited(RATE_LIMITED)


def comment_add(
    *, posting: PublicPosting, author_name: str, contact: str, text: str, today: dt.date | None = None
) -> PublicComment:
    today = today or timezone.localdate()
    if posting.is_over(today):
        raise ServiceError(PERIOD_OVER)
    if not posting.is_open(today):
        raise ServiceError("Chưa đến thời gian lấy ý kiến.")
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


def posting_days_left(posting: PublicPosting, today: dt.date | None = None) -> int:
    """Days of the posting period still to run after `today` (0 on the last day or after it)."""
    today = today or timezone.localdate()
    return max((posting.ends_on - today).days, 0)


def posting_close(
    *, acting_user, dossier: Dossier, early_reason: str = "", today: dt.date | None = None
) -> Dossier:
    """End the public posting and send the dossier on (to the council, or to the direct approval where no
    award needs a vote). The rules require the posting period: before the end of `ends_on` it is ended
    only with a written reason (`early_reason`, kept in the audit event); without one it is refused,
    naming the end date. The screen is `nominations:posting_close`, which asks for the reason."""
    today = today or timezone.localdate()
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        transition = DOSSIER.fire(dossier, "close_posting", acting_user)  # by a reviewer of the authority
        posting = dossier.posting
        early = today <= posting.ends_on  # the last day still takes comments
        reason = (early_reason or "").strip()
        if early and not reason:
            raise ServiceError(
                f"Thời gian công khai đến hết ngày {posting.ends_on:%d/%m/%Y} chưa kết thúc "
                f"(còn {posting_days_left(posting, today)} ngày). Muốn kết thúc sớm, ghi rõ lý do.",
                field="early_reason",
            )
        posting.closed_at = timezone.now()
        posting.save(update_fields=["closed_at"])
        dossier.save(update_fields=["state", "updated_at"])
        pending = posting.comments.filter(status=CommentStatus.PENDING).count()
        summary = f"Kết thúc công khai hồ sơ “{dossier.title}”; chuyển Hội đồng xét" + (
            f" ({pending} ý kiến chưa duyệt)" if pending else ""
        )
        if early:
            summary += f"; kết thúc sớm, trước hạn {posting.ends_on:%d/%m/%Y}" + (
                f": {reason}" if reason else ""
            )
        audit_record(
            actor=acting_user,
            action=transition.audit,
            obj=dossier,
            unit=dossier.authority,
            summary=summary,
            changes={"early_reason": [None, reason]} if early and reason else None,
        )
    return dossier
