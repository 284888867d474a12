"""Production: every secret and the database from the environment, HTTPS only.

The process refuses to start (ImproperlyConfigured, before anything is served) unless the environment
names the database (DATABASE_URL), a real secret key (DJANGO_SECRET_KEY: at least 50 characters, not
the development key kept in var/secret_key) and the host names served (DJANGO_ALLOWED_HOSTS). The checks
run before the shared settings are read, so a missing key never falls back to the development one.
"""

import os

from .guard import check_environment, flag

check_environment()

from .base import *  # noqa: E402,F401,F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["DJANGO_ALLOWED_HOSTS"].split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = flag("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = flag("DJANGO_SECURE_HSTS_PRELOAD", True)
