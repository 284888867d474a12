"""Production-safe defaults (issue 12, finding 8; acceptance 6): servers default to the production
settings, which refuse to start without an explicit database, a real secret key and allowed hosts, and
pass `manage.py check --deploy` without a warning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.guard import check_environment

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)


def _env(tmp_path, **overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "THIDUA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "DJANGO_SECRET_KEY": STRONG_KEY,
            "DJANGO_ALLOWED_HOSTS": "thidua.example.vn",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.prod")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output
    assert "WARNING" not in output.upper()


def test_wsgi_and_asgi_default_to_the_production_settings(tmp_path):
    code = (
        "import importlib, sys; m = importlib.import_module(sys.argv[1] if len(sys.argv) > 1 else '{mod}');"
        "from django.conf import settings;"
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    )
    for module in ("config.wsgi", "config.asgi"):
        env = _env(tmp_path, DJANGO_SETTINGS_MODULE=None)
        result = _python(code.format(mod=module), env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["config.settings.prod", "False", "31536000", "True"]
        # and without the environment the server does not start at all (no debug page, no SQLite)
        bare = _python(
            code.format(mod=module), _env(tmp_path, DJANGO_SETTINGS_MODULE=None, DATABASE_URL=None)
        )
        assert bare.returncode != 0 and "DATABASE_URL is not set" in bare.stderr


def test_production_refuses_to_start_without_a_database_url():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is not set"):
        check_environment({"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "thidua.example.vn"})


@pytest.mark.parametrize(
    "key, problem",
    [
        ("", "DJANGO_SECRET_KEY is not set"),
        ("short-key", "too weak"),
        ("a" * 60, "too weak"),
        ("django-insecure-" + secrets.token_urlsafe(50), "development key"),
    ],
)
def test_production_refuses_a_weak_secret_key(key, problem):
    environ = {"DATABASE_URL": "postgres://db/thidua", "DJANGO_ALLOWED_HOSTS": "thidua.example.vn"}
    with pytest.raises(ImproperlyConfigured, match=problem):
        check_environment({**environ, "DJANGO_SECRET_KEY": key})


def test_production_refuses_the_development_key_kept_in_var(tmp_path):
    dev_key = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(dev_key)
    environ = {
        "DATABASE_URL": "postgres://db/thidua",
        "DJANGO_ALLOWED_HOSTS": "thidua.example.vn",
        "DJANGO_SECRET_KEY": dev_key,
        "THIDUA_VAR_DIR": str(tmp_path),
    }
    with pytest.raises(ImproperlyConfigured, match="development key"):
        check_environment(environ)


def test_production_refuses_to_start_without_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS is not set"):
        check_environment({"DATABASE_URL": "postgres://db/thidua", "DJANGO_SECRET_KEY": STRONG_KEY})


def test_ssl_redirect_and_hsts_subdomains_are_configurable(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
    )
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_manage_py_keeps_the_development_settings():
    assert 'setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")' in (ROOT / "manage.py").read_text()


@pytest.mark.parametrize(("age", "expected"), [(None, 60), ("0", 0), ("300", 300)])
def test_server_database_connections_stay_open(tmp_path, age, expected):
    """Issue 16, finding: dj_database_url.parse had already set CONN_MAX_AGE to 0, so a setdefault kept
    every request opening a new PostgreSQL connection. The loaded setting is the configured age."""
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DATABASE_URL="postgres://thidua:secret@db.example.vn:5432/thidua",
        THIDUA_CONN_MAX_AGE=age,
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(expected), "True"]


SCALE_OUT_CODE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({'caches': {a: [c['BACKEND'], c.get('LOCATION'), c.get('KEY_PREFIX', ''), c.get('TIMEOUT')] "
    "for a, c in settings.CACHES.items()}, 'storage': settings.STORAGES['default'], "
    "'databases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
    "'replica': {k: settings.DATABASES.get('replica', {}).get(k) for k in ('HOST', 'PORT', 'NAME', 'CONN_MAX_AGE')}, "
    "'middleware': settings.MIDDLEWARE[0]}))"
)


def _scale_out_settings(tmp_path, **env) -> dict:
    import json

    result = _python(
        SCALE_OUT_CODE,
        _env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            DATABASE_URL="postgres://thidua:secret@db1.example.vn:5432/thidua",
            **env,
        ),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_scale_out_settings_caches_and_files_stay_local(tmp_path):
    loaded = _scale_out_settings(
        tmp_path, THIDUA_REDIS_URL=None, THIDUA_S3_BUCKET=None, THIDUA_REPLICA_URL=None
    )
    assert loaded["caches"]["progress"][0] == "django.core.cache.backends.filebased.FileBasedCache"
    assert loaded["caches"]["default"][0] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert loaded["databases"] == ["default"] and loaded["routers"] == []


def test_scale_out_settings_come_from_the_environment(tmp_path):
    """Issue 16, scale-out: one Redis for the three caches, an S3 bucket for the files, a read replica."""
    loaded = _scale_out_settings(
        tmp_path,
        THIDUA_REDIS_URL="redis://cache.example.vn:6379/3",
        THIDUA_S3_BUCKET="thidua-files",
        THIDUA_S3_ENDPOINT_URL="https://s3.example.vn",
        THIDUA_S3_ACCESS_KEY="AKIA-TEST",
        THIDUA_S3_SECRET_KEY="s3-secret",
        THIDUA_S3_REGION="vn-north-1",
        THIDUA_REPLICA_URL="postgres://thidua:secret@db2.example.vn:5432/thidua",
        THIDUA_CONN_MAX_AGE="120",
    )
    redis = "django.core.cache.backends.redis.RedisCache"
    assert loaded["caches"] == {
        "default": [redis, "redis://cache.example.vn:6379/3", "thidua-default", None],
        "progress": [redis, "redis://cache.example.vn:6379/3", "thidua-progress", 86400],
        "shared": [redis, "redis://cache.example.vn:6379/3", "thidua-shared", 86400],
    }
    storage = loaded["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {
        k: storage["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "access_key", "secret_key")
    } == {
        "bucket_name": "thidua-files",
        "endpoint_url": "https://s3.example.vn",
        "access_key": "AKIA-TEST",
        "secret_key": "s3-secret",
    }
    assert storage["OPTIONS"]["region_name"] == "vn-north-1" and storage["OPTIONS"]["file_overwrite"] is False
    assert loaded["databases"] == ["default", "replica"]
    assert loaded["routers"] == ["config.dbrouter.ReplicaRouter"]
    assert loaded["replica"] == {
        "HOST": "db2.example.vn",
        "PORT": 5432,
        "NAME": "thidua",
        "CONN_MAX_AGE": 120,
    }
    assert loaded["middleware"] == "config.dbrouter.PinAfterWriteMiddleware"
