from django.core.management.base import BaseCommand
from django.db import connection

from demo.builder import DEMO_PASSWORD, DEMO_USERS, DemoBuilder
from demo.parts import discover_parts

LABELS = {
    "units": "đơn vị",
    "members": "đoàn viên",
    "restructured": "bước sắp xếp tổ chức ngày 01/07/2025",
}  # the apps' parts bring their own (DEMO_LABELS)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cây tổ chức, đoàn viên giả lập, tài khoản demo). Chạy lại không thay đổi gì."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before-2025",
            action="store_true",
            help="không thực hiện sắp xếp tổ chức ngày 01/07/2025 (giữ cây tổ chức trước đó)",
        )

    def handle(self, *args, **options):
        restructure = False if options.get("before_2025") else None  # None: settings.DEMO_RESTRUCTURE_2025
        result = DemoBuilder(stdout=self.stdout, restructure=restructure).build()
        if any(result.values()) and connection.vendor == "postgresql":
            # fresh statistics after the bulk load: the planner would otherwise judge the new tables
            # empty until autovacuum's next pass (the person picker's per-person check took seconds)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        labels = LABELS | {key: label for part in discover_parts() for key, label in part.labels.items()}
        created = [f"{value} {labels.get(key, key)}" for key, value in result.items() if value]
        if created:
            self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu mẫu: " + ", ".join(created) + "."))
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không thay đổi gì.")
        names = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(
            f"Tài khoản demo: {names} (và hoidong.hanoi2 … hoidong.hanoi9) — mật khẩu: {DEMO_PASSWORD}"
        )
