"""python manage.py prune_uploads [--days N]

Deletes the uploaded files of the import framework (`imports.tasks.prune_expired`: every kind, the member
roster included), their stored rows and plans (personal data inside), for every import that is finished
(done, failed, unreadable) and every import older than N days (default THIDUA_UPLOAD_RETENTION_DAYS) that
is not being written. The import rows stay (status, counts, result) with `pruned_at` set. Run it daily
from cron; the worker also runs it after each read."""

from django.conf import settings
from django.core.management.base import BaseCommand

from imports.tasks import prune_expired


class Command(BaseCommand):
    help = "Xoá các tệp đã tải lên để nhập (và dữ liệu đã đọc) sau khi ghi hoặc quá hạn lưu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"số ngày lưu (mặc định {settings.THIDUA_UPLOAD_RETENTION_DAYS})",
        )

    def handle(self, *args, days=None, **options):
        count = prune_expired(days)
        self.stdout.write(f"Đã xoá tệp của {count} lần nhập dữ liệu.")
