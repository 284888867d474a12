from django.core.management.base import BaseCommand

from jobs.services import jobs_fail_stale, jobs_prune


class Command(BaseCommand):
    help = (
        "Xóa các tệp tạo trong nền đã xong hoặc lỗi cũ hơn N ngày (mặc định 30); đánh dấu lỗi các tệp "
        "đang chờ hoặc đang tạo quá M giờ (mặc định 6)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Giữ lại các tệp mới hơn số ngày này.")
        parser.add_argument(
            "--stale-hours", type=int, default=6, help="Tệp chờ hoặc đang tạo quá số giờ này bị đánh dấu lỗi."
        )

    def handle(self, *args, days: int, stale_hours: int, **options):
        if days < 0 or stale_hours < 1:
            self.stderr.write("Số ngày phải từ 0 trở lên, số giờ từ 1 trở lên.")
            return
        stale = jobs_fail_stale(hours=stale_hours)
        if stale:
            self.stdout.write(f"Đã đánh dấu lỗi {stale} tệp chờ hoặc đang tạo quá {stale_hours} giờ.")
        count = jobs_prune(days=days)
        self.stdout.write(f"Đã xóa {count} tệp tạo trong nền cũ hơn {days} ngày.")
