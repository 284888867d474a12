"""The read-replica router and its pin-after-write middleware (issue 16, scale-out; config/dbrouter.py)."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from accounts.models import User
from config import dbrouter
from config.dbrouter import PIN_COOKIE, PinAfterWriteMiddleware, ReplicaRouter

router = ReplicaRouter()
factory = RequestFactory()


@pytest.fixture(autouse=True)
def _with_a_replica(monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


def _through_middleware(request, view):
    """Run `view` inside the middleware, recording where its reads would go before and after."""
    seen = {}

    def get_response(req):
        seen["read_before"] = router.db_for_read(User)
        view()
        seen["read_after"] = router.db_for_read(User)
        return HttpResponse("ok")

    with override_settings(THIDUA_REPLICA_PIN_SECONDS=10):
        response = PinAfterWriteMiddleware(get_response)(request)
    return seen, response


def test_outside_a_request_every_read_goes_to_the_primary():
    """Commands, the background worker and the shell never read a lagging copy."""
    assert router.db_for_read(User) == "default"
    assert router.db_for_write(User) == "default"


def test_a_plain_get_reads_from_the_replica_and_sets_no_pin():
    seen, response = _through_middleware(factory.get("/"), lambda: None)
    assert seen == {"read_before": "replica", "read_after": "replica"}
    assert PIN_COOKIE not in response.cookies
    # and after the request the process is back to the primary
    assert router.db_for_read(User) == "default"


def test_a_get_that_writes_reads_its_own_write_from_the_primary_and_pins_the_browser():
    seen, response = _through_middleware(factory.get("/"), lambda: router.db_for_write(User))
    assert seen == {"read_before": "replica", "read_after": "default"}
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    assert time.time() + 8 < float(cookie.value) <= time.time() + 10.01


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_reads_from_the_primary_throughout(method):
    seen, response = _through_middleware(getattr(factory, method)("/"), lambda: None)
    assert seen == {"read_before": "default", "read_after": "default"}
    assert PIN_COOKIE in response.cookies


def test_a_browser_that_wrote_recently_reads_from_the_primary_until_the_pin_expires():
    recent = factory.get("/")
    recent.COOKIES[PIN_COOKIE] = f"{time.time() + 5:.3f}"
    assert _through_middleware(recent, lambda: None)[0]["read_before"] == "default"
    expired = factory.get("/")
    expired.COOKIES[PIN_COOKIE] = f"{time.time() - 1:.3f}"
    assert _through_middleware(expired, lambda: None)[0]["read_before"] == "replica"
    forged = factory.get("/")
    forged.COOKIES[PIN_COOKIE] = "not-a-number"
    assert _through_middleware(forged, lambda: None)[0]["read_before"] == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_stay_on_it():
    from django.db import transaction

    token = dbrouter._replica_allowed.set(True)
    try:
        assert router.db_for_read(User) == "replica"
        with transaction.atomic():
            assert router.db_for_read(User) == "default"
    finally:
        dbrouter._replica_allowed.reset(token)


def test_migrations_run_on_the_primary_only_and_relations_are_allowed():
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate("replica", "accounts") is False
    assert router.allow_relation(User(), User()) is True


def test_without_a_replica_the_middleware_is_not_used(monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: False)
    with pytest.raises(MiddlewareNotUsed):
        PinAfterWriteMiddleware(lambda request: HttpResponse())
