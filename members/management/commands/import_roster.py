"""`python manage.py import_roster UNIT_CODE FILE [--user U] [--sheet S] [--dry-run] [--json]`: the old
name of `import_members` (the import framework's kind "doan-vien"), kept for scripts and cron lines."""

from imports.command import ImportCommand


class Command(ImportCommand):
    kind_key = "doan-vien"
