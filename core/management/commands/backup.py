"""`manage.py backup [FILE]`: the database (every table of every installed app) and the media files in
one .tar.gz archive (`core.backup`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, create_backup, default_backup_path


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu và tệp đính kèm (media) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Tệp sao lưu sẽ tạo (mặc định var/backups/thidua-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.tar.gz).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu (mặc định default)."
        )

    def handle(self, *args, **options):
        destination = Path(options["file"]) if options["file"] else default_backup_path()
        verbose = options["verbosity"] >= 2
        try:
            manifest = create_backup(
                destination,
                using=options["database"],
                progress=(lambda text: self.stdout.write(f"  {text}")) if verbose else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                f"Không ghi được tệp sao lưu “{destination}”: {error.strerror or error}."
            ) from error
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {rows} dòng của {len(manifest['tables'])} bảng và {len(manifest['media'])} tệp "
                f"đính kèm vào “{destination}”."
            )
        )
        self.stdout.write(
            "Tệp sao lưu chứa số CCCD và thông tin cá nhân: hãy mã hóa và lưu ở nơi chỉ người có trách nhiệm "
            "truy cập được."
        )
