from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organizations.models import OrgUnit
from reports.services import counters_rebuild
from reports.tasks import counters_rebuild_task


class Command(BaseCommand):
    help = "Tổng hợp lại số liệu theo đơn vị (bảng UnitCounter) từ dữ liệu gốc cho một hoặc nhiều năm."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help="Năm (có thể lặp lại); mặc định năm nay"
        )
        parser.add_argument("--root", help="Mã đơn vị: chỉ tổng hợp cây con của đơn vị này")
        parser.add_argument("--background", action="store_true", help="Đưa vào hàng đợi tác vụ (db_worker)")

    def handle(self, *args, **options):
        years = options["year"] or [timezone.localdate().year]
        root = None
        if options["root"]:
            root = OrgUnit.objects.filter(code=options["root"]).first()
            if root is None:
                raise CommandError(f"Không có đơn vị mã {options['root']}.")
        for year in years:
            if options["background"]:
                result = counters_rebuild_task.enqueue(year, root.pk if root else None)
                self.stdout.write(f"Năm {year}: đã đưa vào hàng đợi (tác vụ {result.id}).")
            else:
                summary = counters_rebuild(year=year, root=root)
                self.stdout.write(f"Năm {year}: {summary['rows']} dòng số liệu, {summary['seconds']} giây.")
