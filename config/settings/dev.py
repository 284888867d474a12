"""Local use (`make run`): embedded SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F401,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
