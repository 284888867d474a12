from django.core.management.base import BaseCommand

from jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Xóa các tệp tạo trong nền đã xong hoặc lỗi cũ hơn N ngày (mặc định 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Giữ lại các tệp mới hơn số ngày này.")

    def handle(self, *args, days: int, **options):
        if days < 0:
            self.stderr.write("Số ngày phải từ 0 trở lên.")
            return
        count = jobs_prune(days=days)
        self.stdout.write(f"Đã xóa {count} tệp tạo trong nền cũ hơn {days} ngày.")
