"""Notifications of the workflow: in-app, and by e-mail when configured."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ..models import Notification


def _notify(users, text: str, url: str = "", *, actor=None) -> None:
    """In-app notifications; also e-mail when THIDUA_NOTIFY_BY_EMAIL is on (sent after the commit).
    The user who acted is not told about their own act."""
    users = {u for u in users if actor is None or u.pk != actor.pk}
    Notification.objects.bulk_create([Notification(user=u, text=text, url=url) for u in users])
    if getattr(settings, "THIDUA_NOTIFY_BY_EMAIL", False):
        recipients = sorted({u.email for u in users if u.email})
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    "[thidua] " + text[:120], f"{text}\n{url}", None, recipients, fail_silently=True
                )
            )
