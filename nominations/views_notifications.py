"""The notifications inbox: the user's own notifications, newest first, unread in bold; opening one
marks it read and goes to its link; "Đánh dấu đã đọc" for one or for all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.ids import parse_id
from core.pagination import paginate

from .models import Notification
from .services.notifications import notifications_mark_read


@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = paginate(request, rows)
    return render(request, "nominations/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark the notification read and follow its link (a local path only; else back to the list)."""
    note = get_object_or_404(Notification, user=request.user, pk=pk)
    notifications_mark_read(acting_user=request.user, pks=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("nominations:notifications")


@login_required
@require_POST
def notification_mark_read(request):
    """POST `id` (one notification) or nothing (all of the user's unread notifications)."""
    one = bool(request.POST.get("id"))
    pk = parse_id(request.POST.get("id")) if one else None
    if one and pk is None:
        messages.error(request, "Không tìm thấy thông báo cần đánh dấu đã đọc.")
        return redirect("nominations:notifications")
    count = notifications_mark_read(acting_user=request.user, pks=[pk] if one else None)
    if not one:
        messages.success(request, f"Đã đánh dấu đã đọc {count} thông báo.")
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("nominations:notifications")
