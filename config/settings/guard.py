"""The production environment check, apart from config/settings/prod.py so tests can call it without
loading the production settings."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def check_environment(environ=os.environ) -> None:
    """Raise ImproperlyConfigured naming what is missing or weak in the production environment."""
    problems = []
    if not environ.get("DATABASE_URL", "").strip():
        problems.append(
            "DATABASE_URL is not set: production never falls back to the embedded SQLite file "
            "(e.g. DATABASE_URL=postgres://user:password@host:5432/thidua)"
        )
    key = environ.get("DJANGO_SECRET_KEY", "")
    if not key.strip():
        problems.append("DJANGO_SECRET_KEY is not set")
    else:
        var_dir = Path(environ.get("THIDUA_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
        dev_key_file = var_dir / "secret_key"
        dev_key = dev_key_file.read_text().strip() if dev_key_file.is_file() else None
        if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
            problems.append(
                f"DJANGO_SECRET_KEY is too weak: at least {MIN_SECRET_KEY_LENGTH} random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        elif key.startswith("django-insecure") or key == dev_key:
            problems.append("DJANGO_SECRET_KEY is the development key: generate a new one for production")
    if not [h for h in environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]:
        problems.append(
            "DJANGO_ALLOWED_HOSTS is not set (comma-separated host names, e.g. thidua.example.vn)"
        )
    if problems:
        raise ImproperlyConfigured("Production settings refused: " + "; ".join(problems) + ".")
