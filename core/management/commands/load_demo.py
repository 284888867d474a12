from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, DEMO_USERS, DemoBuilder


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cây tổ chức, đoàn viên giả lập, tài khoản demo). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        result = DemoBuilder(stdout=self.stdout).build()
        if any(result.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {result['units']} đơn vị, {result['members']} đoàn viên, "
                    f"{result.get('registrations', 0)} đăng ký thi đua, {result.get('evaluations', 0)} lượt xếp loại"
                    + (f", {result['initiatives']} sáng kiến" if result.get("initiatives") else "")
                    + (f", {result['clusters']} cụm thi đua" if result.get("clusters") else "")
                    + " mẫu."
                )
            )
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không thay đổi gì.")
        names = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(f"Tài khoản demo: {names} — mật khẩu: {DEMO_PASSWORD}")
