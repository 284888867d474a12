"""The PostgreSQL statement timeout (issue 16): web requests are cancelled after
THIDUA_STATEMENT_TIMEOUT_MS (default 30 s) and answer the Vietnamese 500 page; `manage.py` commands
other than runserver (the background worker `db_worker`, migrate, imports) take
THIDUA_COMMAND_STATEMENT_TIMEOUT_MS (default none)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from config.settings.base import statement_timeout_ms

from .test_production_settings import _env, _python

POSTGRES = "postgres://thidua:secret@db.example.vn:5432/thidua"


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["gunicorn", "config.wsgi"], {}, 30000),
        (["/srv/thidua/manage.py", "runserver"], {}, 30000),
        (["pytest"], {"THIDUA_STATEMENT_TIMEOUT_MS": "5000"}, 5000),
        (["manage.py", "db_worker"], {"THIDUA_STATEMENT_TIMEOUT_MS": "5000"}, 0),
        (["manage.py", "db_worker"], {"THIDUA_COMMAND_STATEMENT_TIMEOUT_MS": "600000"}, 600000),
        (["manage.py", "migrate"], {}, 0),
    ],
)
def test_the_timeout_of_each_kind_of_process(argv, environ, expected):
    assert statement_timeout_ms(argv, environ) == expected


@pytest.mark.parametrize(("timeout", "expected"), [(None, "30000"), ("12000", "12000")])
def test_production_settings_pass_the_timeout_to_postgresql(tmp_path, timeout, expected):
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DATABASE_URL=POSTGRES,
        THIDUA_STATEMENT_TIMEOUT_MS=timeout,
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"-c statement_timeout={expected}"


def test_sqlite_has_no_statement_timeout(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('options' in settings.DATABASES['default']['OPTIONS'])"
    )
    result = _python(code, _env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.prod"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_statement_longer_than_the_timeout_is_cancelled_and_the_page_says_so(
    monkeypatch, officer, settings
):
    """The connection carries the configured timeout; a request whose statement runs past it is
    cancelled by PostgreSQL (not left running) and the user gets the Vietnamese 500 page."""
    from commendations import views

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"  # from THIDUA_STATEMENT_TIMEOUT_MS' default
        cursor.execute("SET statement_timeout = 200")  # this test's connection only

    def slow_registry(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
        raise AssertionError("the statement was not cancelled")

    monkeypatch.setattr(views, "award_records", slow_registry)
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    try:
        response = client.get("/khen-thuong/so-khen-thuong/")
    finally:
        connection.close()  # the next connection starts with the configured timeout again
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in page and "Traceback" not in page
