from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, DEMO_USERS, DemoBuilder


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cây tổ chức, đoàn viên giả lập, tài khoản demo). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        result = DemoBuilder(stdout=self.stdout).build()
        if result["units"] or result["members"]:
            self.stdout.write(
                self.style.SUCCESS(f"Đã tạo {result['units']} đơn vị và {result['members']} đoàn viên mẫu.")
            )
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không thay đổi gì.")
        names = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(f"Tài khoản demo: {names} — mật khẩu: {DEMO_PASSWORD}")
