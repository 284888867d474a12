"""manage.py eligibility_check FILE.json [--check] — a thin wrapper around commendations.engine.cli.

Needs no database rows: the case file carries the whole history and the engine never touches the ORM.
"""

from django.core.management.base import BaseCommand, CommandError

from commendations.engine.cli import EXIT_OK, run


class Command(BaseCommand):
    help = "Xét điều kiện khen thưởng cho các tình huống trong tệp JSON; --check so sánh với «expect»."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp JSON chứa danh sách tình huống")
        parser.add_argument("--check", action="store_true", help="so sánh với «expect» của từng tình huống")

    def handle(self, *args, **options):
        code = run(path=options["file"], check=options["check"], out=self.stdout, err=self.stderr)
        if code != EXIT_OK:
            raise CommandError("Kiểm tra tình huống không đạt (xem chi tiết ở trên).", returncode=code)
