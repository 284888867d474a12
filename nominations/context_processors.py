"""`unread_notifications` for the bell in the top bar: ONE count query, only when a template reads it,
and at most once per request (kept on the request)."""

from __future__ import annotations

from .services.notifications import unread_count


def _count(request) -> int:
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(user=request.user)
    return request._unread_notifications


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # a callable: the template calls it when it reads the value, so pages that do not show it pay nothing
    return {"unread_notifications": lambda: _count(request)}
