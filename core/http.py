"""Facts about the request that several apps need, computed one way."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The client's address (sign-in lockouts, rate limits): REMOTE_ADDR, or — behind
    THIDUA_PROXY_COUNT trusted proxies — the address the outermost of them received the request from
    (X-Forwarded-For counted from the right, so a client cannot forge it by sending its own header)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "THIDUA_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= count:
            return forwarded[-count][:64]
    return remote[:64]
