from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, DEMO_USERS, DemoBuilder

LABELS = {
    "units": "đơn vị",
    "members": "đoàn viên",
    "movements": "phong trào",
    "registrations": "đăng ký thi đua",
    "evaluations": "lượt xếp loại",
    "initiatives": "sáng kiến",
    "clusters": "cụm thi đua",
    "awards": "khen thưởng đã có trong sổ",
    "dossiers": "hồ sơ đề nghị",
    "counters": "số liệu tổng hợp",
}


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (cây tổ chức, đoàn viên giả lập, tài khoản demo). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        result = DemoBuilder(stdout=self.stdout).build()
        created = [f"{value} {LABELS.get(key, key)}" for key, value in result.items() if value]
        if created:
            self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu mẫu: " + ", ".join(created) + "."))
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không thay đổi gì.")
        names = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(
            f"Tài khoản demo: {names} (và hoidong.hanoi2 … hoidong.hanoi9) — mật khẩu: {DEMO_PASSWORD}"
        )
