"""The user's own notifications: marking them read (one UPDATE on the user's own rows; the read mark is
the user's inbox state, not a change of the case, so no AuditEvent is written)."""

from __future__ import annotations

from django.utils import timezone

from ..models import Notification


def notifications_mark_read(*, acting_user, pks: list[int] | None = None) -> int:
    """Mark read the acting user's unread notifications (those in `pks`, or all); returns how many.
    Another user's rows are never touched: the filter is on `user=acting_user`."""
    qs = Notification.objects.filter(user=acting_user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


def unread_count(*, user) -> int:
    # capped (issue 16): the bell shows "99+" past 99, so no count reads more than 100 rows
    return Notification.objects.filter(user=user, read_at__isnull=True)[:100].count()
