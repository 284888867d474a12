"""Reads from the read replica, writes to the primary (issue 16, scale-out; THIDUA_REPLICA_URL).

Only web requests read from the replica, and only while `PinAfterWriteMiddleware` allows it for the
request: a request whose method may write (POST, PUT, PATCH, DELETE), a request from a browser that wrote
in the last THIDUA_REPLICA_PIN_SECONDS (the cookie `PIN_COOKIE`), and the rest of a request once it asked
for the primary to write ("pin after write") read from the primary, so a user always sees their own
changes although the replica lags. Outside a request — `manage.py` commands, the background worker
`db_worker`, the shell — every read goes to the primary. Migrations run on the primary only (the replica
is a streaming copy of it).
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "thidua_primary"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# per request (a context variable: threads and async tasks each have their own)
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "thidua_replica_allowed", default=False
)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("thidua_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica() -> bool:
    return _replica_allowed.get() and not _wrote.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one set of rows, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0.0


class PinAfterWriteMiddleware:
    """First in MIDDLEWARE; not used at all without a replica."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        pinned = request.method in WRITE_METHODS or _pinned_until(request) > time.time()
        allowed = _replica_allowed.set(not pinned)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method in WRITE_METHODS:
                seconds = settings.THIDUA_REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    f"{time.time() + seconds:.3f}",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _replica_allowed.reset(allowed)
            _wrote.reset(wrote)
