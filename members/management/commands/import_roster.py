"""python manage.py import_roster UNIT_CODE FILE [--user USERNAME] [--dry-run]

The same guard, sandboxed reading, mapping (automatic), validation and all-or-nothing commit as the
upload screen.
Exit status 1 with the Vietnamese row errors when the file is invalid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.exceptions import ServiceError
from members import roster
from members.services import RosterInvalid, roster_import
from organizations.models import OrgUnit


class Command(BaseCommand):
    help = "Nhập danh sách đoàn viên từ tệp .xlsx/.xls/.ods vào một đơn vị (theo mã đơn vị)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code")
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="tên đăng nhập người thực hiện (mặc định: quản trị hệ thống đầu tiên)"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, unit_code, file, user=None, dry_run=False, **options):
        try:
            unit = OrgUnit.objects.select_related("unit_type").get(code=unit_code)
        except OrgUnit.DoesNotExist as exc:
            raise CommandError(f"Không có đơn vị mã “{unit_code}”.") from exc
        acting = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if acting is None:
            raise CommandError("Không tìm thấy người thực hiện: dùng --user TÊN_ĐĂNG_NHẬP.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            # the upload guard, then calamine in a bounded child process (`core.uploads`): a hostile
            # file is refused with a message, and this process lives
            table, info = roster.read_table(str(path), path.name)
            shaped = roster.shape(table, info["merged"])  # noise rows out, composed columns in
            rows, header_row, mapping = shaped.rows, shaped.header_row, shaped.mapping
            self.stdout.write(
                f"Trang “{info['sheet']}”, dòng tiêu đề: {header_row + 1}. Cột: "
                + ", ".join(
                    f"{roster.FIELD_BY_KEY[k].label} ← {roster.header_label(rows[header_row], i)}"
                    for k, i in mapping.items()
                )
            )
            for number, reason in shaped.skipped:
                self.stdout.write(f"Bỏ qua dòng {number}: {reason}.")
            if dry_run:
                plan = roster.validate(
                    rows=rows, header_row=header_row, mapping=mapping, unit=unit, acting_user=acting
                )
                if plan.errors:
                    raise RosterInvalid(plan)
                self.stdout.write(
                    f"Hợp lệ: {plan.total_rows} dòng, {plan.new_count} mới, "
                    f"{plan.match_count} đã có. Chưa ghi."
                )
                return
            summary = roster_import(
                acting_user=acting, unit=unit, rows=rows, header_row=header_row, mapping=mapping
            )
        except roster.RosterFileError as error:
            raise CommandError(str(error)) from error
        except RosterInvalid as invalid:
            for error in invalid.plan.errors:
                self.stderr.write(error.as_text())
            raise CommandError(invalid.message) from invalid
        except ServiceError as error:  # e.g. refused by the database while writing
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ghi {summary['rows']} dòng vào “{unit.name}”: thêm {summary['created']}, "
                f"cập nhật {summary['updated']}, không đổi {summary['unchanged']}, "
                f"chuyển tổ {summary['transferred']}."
            )
        )
