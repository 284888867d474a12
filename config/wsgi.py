"""WSGI entry point (gunicorn config.wsgi:application). Defaults to the PRODUCTION settings, so a server
started without DJANGO_SETTINGS_MODULE never serves debug pages; they refuse to start without the
required environment (config/settings/prod.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
