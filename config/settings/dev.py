"""Local use (`make run`): embedded SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F401,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
# Demo users (canbo.*, who may see citizen IDs) sign in with their password alone; set
# THIDUA_OTP_REQUIRED=1 to try the second factor locally.
THIDUA_OTP_REQUIRED = os.environ.get("THIDUA_OTP_REQUIRED", "0") == "1"
