"""Test settings: same database switch as production (DATABASE_URL), fast hashing, local storage."""

import os
import tempfile

from .base import *  # noqa: F401,F403
from .base import CACHES, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="thidua-test-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# THIDUA_TEST_STORAGE=memory: the uploaded and generated files in memory on a storage without local paths
# (core.tests.storage.NoPathStorage, as S3Storage) — a run of the file-handling apps' tests shows that no
# application code needs one (tests that look at MEDIA_ROOT themselves fail, as they should).
if os.environ.get("THIDUA_TEST_STORAGE") == "memory":
    STORAGES["default"] = {"BACKEND": "core.tests.storage.NoPathStorage"}
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Browser and view tests sign in with a password; the second-factor tests turn this on with
# override_settings. django-axes stays on (its attempts live in the test database).
THIDUA_OTP_REQUIRED = False
# The file caches every worker shares (progress bars, the public-comment rate limits) live in a
# directory of this test run, so counts never carry over from an earlier run or a dev server.
# (With THIDUA_REDIS_URL the caches are that Redis, as configured.)
_CACHE_DIR = tempfile.mkdtemp(prefix="thidua-test-cache-")
CACHES = {
    alias: {**cache, "LOCATION": f"{_CACHE_DIR}/{alias}"}
    if cache["BACKEND"].endswith("FileBasedCache")
    else cache
    for alias, cache in CACHES.items()
}
# every test closes its connections as before (threads of the concurrency and browser tests included);
# the persistent connections of base.py are checked by config/tests/test_production_settings.py
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The demo's 2025 restructuring (demo/restructuring.py) closes LĐLĐ huyện Mỹ Đức and ends its officers'
# roles; the tests that act in Mỹ Đức through load_demo predate it, so the suite loads the tree of before
# 01/07/2025 (demo/tests turn it on). Remove once those tests act in the restructured demo.
DEMO_RESTRUCTURE_2025 = False
