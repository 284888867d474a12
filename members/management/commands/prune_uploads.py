"""python manage.py prune_uploads [--days N]

Deletes the uploaded roster files and their stored rows (citizen IDs inside) of every import that is
finished (done, failed, unreadable) and of every import older than N days
(default THIDUA_UPLOAD_RETENTION_DAYS) that is not being committed. The import rows stay (status,
result, errors) with `pruned_at` set. Run it daily from cron; the worker also runs it after each read."""

from django.conf import settings
from django.core.management.base import BaseCommand

from members.tasks import prune_expired


class Command(BaseCommand):
    help = "Xoá các tệp danh sách đã tải lên (và dữ liệu đã đọc) sau khi ghi hoặc quá hạn lưu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"số ngày lưu (mặc định {settings.THIDUA_UPLOAD_RETENTION_DAYS})",
        )

    def handle(self, *args, days=None, **options):
        count = prune_expired(days)
        self.stdout.write(f"Đã xoá tệp của {count} lần nhập danh sách.")
