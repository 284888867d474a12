"""Settings shared by every environment. Everything that differs comes from the environment."""

import datetime as dt
import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("THIDUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment; for local use a random key kept in var/ (never committed)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "organizations",
    "clusters",
    "members",
    "commendations",
    "movements",
    "initiatives",
    "nominations",
    "reports",
    "documents",
    "jobs",
    "imports",
    "demo",
]

MIDDLEWARE = [
    # first: decides for the whole request whether reads may go to the read replica (config/dbrouter.py)
    "config.dbrouter.PinAfterWriteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",  # Vietnamese unless chosen otherwise (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "core.middleware.TextNormalizationMiddleware",  # every parameter in NFC, Ð → Đ (core.text.normalize)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # sign-in guards (accounts/middleware.py): idle/absolute session limits, then the second factor,
    # then a password the administrator reset must be changed before anything else
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    # last: turns axes' lockout flag (set while authenticating) into the Vietnamese lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "nominations.context_processors.notifications",
            ],
        },
    }
]


def statement_timeout_ms(argv: list[str], environ) -> int:
    """The PostgreSQL statement timeout of this process: web requests (gunicorn, runserver, tests) take
    THIDUA_STATEMENT_TIMEOUT_MS, other `manage.py` commands THIDUA_COMMAND_STATEMENT_TIMEOUT_MS."""
    command = argv[1] if len(argv) > 1 and Path(argv[0]).name == "manage.py" else None
    if command is not None and command != "runserver":
        return int(environ.get("THIDUA_COMMAND_STATEMENT_TIMEOUT_MS", "0"))
    return int(environ.get("THIDUA_STATEMENT_TIMEOUT_MS", "30000"))


def _server_database(url: str) -> dict:
    """A PostgreSQL database: connections kept open between requests (seconds; 0 closes after each) and
    health-checked before reuse. Assigned, not setdefault: dj_database_url.parse has already put 0 there.
    Statement timeout (issue 16): a web request's statement is cancelled after THIDUA_STATEMENT_TIMEOUT_MS
    (default 30 s; the request answers the 500 page, the worker is freed). `manage.py` commands other than
    runserver — the background worker `db_worker`, migrate, imports, rebuilds — take
    THIDUA_COMMAND_STATEMENT_TIMEOUT_MS instead (default 0: none)."""
    database = dj_database_url.parse(url)
    database["CONN_MAX_AGE"] = int(os.environ.get("THIDUA_CONN_MAX_AGE", "60"))
    database["CONN_HEALTH_CHECKS"] = True
    database.setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={statement_timeout_ms(sys.argv, os.environ)}"
    )
    return database


DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'thidua.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"] = _server_database(os.environ["DATABASE_URL"])

# A streaming read replica (issue 16, scale-out): THIDUA_REPLICA_URL adds the database "replica" and the
# router config/dbrouter.py — a web request's reads go to the replica, its writes to the primary, and a
# request that wrote, or a browser that wrote in the last THIDUA_REPLICA_PIN_SECONDS (a cookie set by
# config.dbrouter.PinAfterWriteMiddleware), reads from the primary, so users see their own changes.
# Commands and background workers always read the primary. Migrations run on the primary only.
THIDUA_REPLICA_PIN_SECONDS = int(os.environ.get("THIDUA_REPLICA_PIN_SECONDS", "10"))
if _replica_url := os.environ.get("THIDUA_REPLICA_URL"):
    DATABASES["replica"] = {**_server_database(_replica_url), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["config.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses authentication while a username or an IP address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]  # each named in its own language
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("THIDUA_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Shared file storage (issue 16, scale-out): with THIDUA_S3_BUCKET, uploads and generated files go to an
# S3-compatible bucket (django-storages) every app server and worker reads; the code reads and writes
# files only through the storage API (open/save/delete, never a local path).
if _bucket := os.environ.get("THIDUA_S3_BUCKET"):
    _endpoint = os.environ.get("THIDUA_S3_ENDPOINT_URL") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint,
            "access_key": os.environ.get("THIDUA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("THIDUA_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("THIDUA_S3_REGION") or None,
            # path-style addresses on a self-hosted endpoint (MinIO, Ceph, moto)
            "addressing_style": "path" if _endpoint else None,
            "default_acl": None,  # private objects; links are signed and expire
            "querystring_auth": True,
            "file_overwrite": False,  # a second file of the same name gets a suffix, as on disk
        },
    }

# Background work (Django Tasks API backport). The database backend needs no extra service:
# `make run` starts `manage.py db_worker` next to the web server. Tests use the immediate backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Progress of long tasks is written outside their database transaction, to a cache every process shares.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "progress"),
        "TIMEOUT": 24 * 3600,
    },
    # Counters every web worker must share (the public comment rate limits): files under var/cache/.
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "shared"),
        "TIMEOUT": 24 * 3600,
    },
}
# Shared cache (issue 16, scale-out): with THIDUA_REDIS_URL (redis://host:6379/0) the three caches are
# one Redis every app server and worker shares, kept apart by their key prefixes.
if _redis_url := os.environ.get("THIDUA_REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": f"thidua-{alias}",
            **({"TIMEOUT": cache["TIMEOUT"]} if "TIMEOUT" in cache else {}),
        }
        for alias, cache in CACHES.items()
    }
ROSTER_MAX_ROWS = 200_000

# Public comments on a posting (no login): at most (count, seconds) per client address and per posting,
# counted in a cache all workers share; the client address is core.http.client_ip (THIDUA_PROXY_COUNT).
PUBLIC_COMMENT_RATE_PER_IP = (5, 600)
PUBLIC_COMMENT_RATE_PER_POSTING = (120, 3600)
PUBLIC_COMMENT_RATE_CACHE = "shared"

# Sign-in protection (accounts/). Lockout after THIDUA_LOGIN_FAILURE_LIMIT wrong passwords, counted per
# username AND per client IP separately (the web login and the admin login alike), for
# THIDUA_LOCKOUT_MINUTES (0 = until an administrator unlocks). Behind a reverse proxy set
# THIDUA_PROXY_COUNT to the number of proxies that append to X-Forwarded-For, or every user shares
# the proxy's address.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("THIDUA_LOGIN_FAILURE_LIMIT", "10"))
_lockout_minutes = int(os.environ.get("THIDUA_LOCKOUT_MINUTES", "30"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=_lockout_minutes) if _lockout_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_VERBOSE = False
THIDUA_PROXY_COUNT = int(os.environ.get("THIDUA_PROXY_COUNT", "0"))
# Second factor (django-otp TOTP): required for every user who may see unmasked personal data
# (`person.view_sensitive`, superusers); optional for the others (their profile page). Off in dev and
# test settings so demo users sign in with a password; a user who enrolled is always asked for a code.
THIDUA_OTP_REQUIRED = os.environ.get("THIDUA_OTP_REQUIRED", "1") == "1"
OTP_TOTP_ISSUER = "thidua"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
THIDUA_RECOVERY_CODES = 10
# Sessions end after THIDUA_SESSION_IDLE_MINUTES without a request, and THIDUA_SESSION_MAX_HOURS after
# sign-in whatever the activity (the cookie's own age too).
THIDUA_SESSION_IDLE_MINUTES = int(os.environ.get("THIDUA_SESSION_IDLE_MINUTES", "30"))
THIDUA_SESSION_MAX_HOURS = int(os.environ.get("THIDUA_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = THIDUA_SESSION_MAX_HOURS * 3600

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views_errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Workflow notifications are always in-app; set THIDUA_NOTIFY_BY_EMAIL=1 (with EMAIL_* settings) to e-mail too.
THIDUA_NOTIFY_BY_EMAIL = os.environ.get("THIDUA_NOTIFY_BY_EMAIL", "0") == "1"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "thidua@localhost")

# Page sizes for list screens.
THIDUA_PAGE_SIZE = int(os.environ.get("THIDUA_PAGE_SIZE", "50"))
# a list counts at most this many rows past the page shown (core.pagination, issue 16)
THIDUA_COUNT_CAP = int(os.environ.get("THIDUA_COUNT_CAP", "1000"))
# the unit eligibility page judges a unit whole up to this many members (commendations.eligibility)
THIDUA_ELIGIBILITY_FULL_MAX = int(os.environ.get("THIDUA_ELIGIBILITY_FULL_MAX", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THIDUA_LOG_LEVEL", "WARNING")},
}

# ---- Uploads (issue 12: bomb-proof spreadsheets; the guard and the sandbox are core/uploads.py) --------
# Every limit may be set from the environment (same name). Refusals are Vietnamese messages.
_MB = 1024 * 1024
THIDUA_UPLOAD_MAX_BYTES = int(os.environ.get("THIDUA_UPLOAD_MAX_BYTES", 20 * _MB))  # the file as sent
THIDUA_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("THIDUA_UPLOAD_MAX_UNCOMPRESSED_BYTES", 200 * _MB))
THIDUA_UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("THIDUA_UPLOAD_MAX_COMPRESSION_RATIO", 100))
THIDUA_UPLOAD_MAX_ZIP_MEMBERS = int(os.environ.get("THIDUA_UPLOAD_MAX_ZIP_MEMBERS", 1000))
# A sheet's declared range: rows × columns, and rows (the roster limit plus title rows).
THIDUA_UPLOAD_MAX_CELLS = int(os.environ.get("THIDUA_UPLOAD_MAX_CELLS", 2_500_000))
THIDUA_UPLOAD_MAX_SHEET_ROWS = int(os.environ.get("THIDUA_UPLOAD_MAX_SHEET_ROWS", ROSTER_MAX_ROWS + 1000))
# The parser's child process: address space (RLIMIT_AS, hard), resident memory (watched, killed above),
# seconds. A 200,000-row × 11-column roster peaks at about 236 MB resident.
THIDUA_UPLOAD_READ_MEMORY_BYTES = int(os.environ.get("THIDUA_UPLOAD_READ_MEMORY_BYTES", 384 * _MB))
THIDUA_UPLOAD_READ_RSS_BYTES = int(os.environ.get("THIDUA_UPLOAD_READ_RSS_BYTES", 272 * _MB))
THIDUA_UPLOAD_READ_TIMEOUT = int(os.environ.get("THIDUA_UPLOAD_READ_TIMEOUT", 120))
# Uploads and their stored rows are deleted after the commit, or after this many days (`prune_uploads`).
THIDUA_UPLOAD_RETENTION_DAYS = int(os.environ.get("THIDUA_UPLOAD_RETENTION_DAYS", 7))
# Django's own request limits: form fields in memory, files above 2.5 MB spooled to disk while read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 100  # Django's default, named here with the others
