"""`manage.py restore FILE [--force]`: the archive of `manage.py backup` back into a migrated database and
MEDIA_ROOT (`core.backup`). Everything is checked before anything is written; the rows load in one
transaction."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp đính kèm từ một tệp sao lưu của lệnh backup."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu (.tar.gz) do lệnh backup tạo.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Khôi phục cả khi cơ sở dữ liệu đích đã có dữ liệu (XÓA toàn bộ dữ liệu hiện có).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu (mặc định default)."
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 2
        try:
            result = restore_backup(
                Path(options["file"]),
                using=options["database"],
                force=options["force"],
                progress=(lambda text: self.stdout.write(f"  {text}")) if verbose else None,
            )
        except BackupError as error:
            raise CommandError(f"Không khôi phục được: {error}") from error
        except DatabaseError as error:
            raise CommandError(
                f"Không khôi phục được: cơ sở dữ liệu báo lỗi ({error}). Không có dữ liệu nào được ghi."
            ) from error
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {result.rows} dòng của {result.tables} bảng và {result.media_files} tệp đính kèm; "
                "số dòng từng bảng và mã băm các tệp khớp với bản sao lưu."
            )
        )
