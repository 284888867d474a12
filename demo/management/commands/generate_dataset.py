"""`manage.py generate_dataset --units 130000 --members 11000000`: a national-size synthetic dataset on top
of the demo (demo.dataset), for the benchmarks. Use an empty database of its own."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.numbers import fmt_int
from demo.dataset import DatasetError, generate
from organizations.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu thử cỡ toàn quốc (đơn vị, đoàn viên giả lập, phong trào, đánh giá, khen thưởng, hồ sơ) "
        "trên dữ liệu mẫu, để đo hiệu năng. Dùng một cơ sở dữ liệu riêng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=15_000, help="số đơn vị sinh thêm")
        parser.add_argument("--members", type=int, default=1_000_000, help="số đoàn viên sinh thêm")
        parser.add_argument(
            "--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng hạt, cùng dữ liệu)"
        )
        parser.add_argument(
            "--hanoi-share", type=float, default=0.1, help="phần dữ liệu đặt dưới LĐLĐ thành phố Hà Nội (0–1)"
        )
        parser.add_argument(
            "--years", type=int, nargs="*", help="các năm có phong trào, đánh giá, khen thưởng"
        )

    def handle(self, *args, **options):
        if options["units"] < 1 or options["members"] < 0 or not 0 <= options["hanoi_share"] <= 1:
            raise CommandError("Số đơn vị phải từ 1, số đoàn viên từ 0, phần của Hà Nội từ 0 đến 1.")
        started = time.perf_counter()
        if not OrgUnit.objects.exists():
            call_command("load_demo", stdout=self.stdout)
        try:
            result = generate(
                units=options["units"],
                members=options["members"],
                years=options["years"],
                seed=options["seed"],
                hanoi_share=options["hanoi_share"],
                log=lambda line: self.stdout.write(f"  {line}"),
            )
        except DatasetError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {fmt_int(result['units'])} đơn vị, {fmt_int(result['members'])} đoàn viên, "
                f"{fmt_int(result['records'])} bản ghi khen thưởng, {fmt_int(result['dossiers'])} hồ sơ trong "
                f"{fmt_int(time.perf_counter() - started)} giây."
            )
        )
