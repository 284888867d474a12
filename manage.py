#!/usr/bin/env python
import os
import sys


def main() -> None:
    # manage.py is the developer's tool (`make run`, `make test`, migrations on a laptop): it keeps the
    # dev settings. Servers use config/wsgi.py or config/asgi.py, which default to the production ones;
    # run management commands on a server with DJANGO_SETTINGS_MODULE=config.settings.prod.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
