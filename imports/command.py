"""`manage.py import_<kind> UNIT_CODE FILE [--user U] [--sheet S] [--option name=value] [--dry-run] [--json]`

The same guard, sandboxed reading, header and noise detection, mapping (the unit's saved one, else
guessed), the kind's plan and its all-or-nothing commit as the screens. `--dry-run` writes nothing;
`--json` prints the classification of every row (parsed values, errors, skipped rows) as one JSON object
for scripts. Exit status 1 when a row is an error (nothing written)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import uploads
from core.access import can
from core.exceptions import ServiceError

from . import kinds, reading
from .kinds import ImportInvalid, Source
from .services import counts_of


class ImportCommand(BaseCommand):
    kind_key = ""  # set by each `import_<kind>` command

    @property
    def kind(self) -> kinds.ImportKind:
        return kinds.get(self.kind_key)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = f"Nhập “{self.kind.title}” từ tệp .xlsx/.xls/.ods vào một đơn vị (theo mã đơn vị)."
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("unit_code")
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="tên đăng nhập người thực hiện (mặc định: quản trị hệ thống đầu tiên)"
        )
        parser.add_argument("--sheet", help="tên trang tính (mặc định: trang đang mở của tệp)")
        parser.add_argument(
            "--option", action="append", default=[], help="tuỳ chọn của loại dữ liệu: tên=giá_trị"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--json", action="store_true", help="in kết quả kiểm tra từng dòng dạng JSON")

    def handle(
        self, *args, unit_code, file, user=None, sheet=None, option=(), dry_run=False, json=False, **_
    ):
        from accounts.models import User
        from organizations.models import OrgUnit

        kind = self.kind
        unit = OrgUnit.objects.select_related("unit_type").filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{unit_code}”.")
        acting = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if acting is None:
            raise CommandError("Không tìm thấy người thực hiện: dùng --user TÊN_ĐĂNG_NHẬP.")
        if not can(acting, kind.action, unit.path):  # as on the screens: the kind's action on the unit
            raise CommandError(
                f"“{acting.get_username()}” không có quyền nhập “{kind.title}” vào “{unit.name}”."
            )
        if kind.target_ok is not None and (refusal := kind.target_ok(unit)):
            raise CommandError(refusal)
        options = {}
        for item in option:
            name, _, value = item.partition("=")
            if name not in kind.options:
                raise CommandError(f"Tuỳ chọn “{name}” không dùng cho loại dữ liệu này.")
            options[name] = value
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            table = read_table(path, sheet=sheet)
            header_row, header_rows = reading.find_header(kind, table["rows"], table["merged"])
            mapping = reading.guess_mapping(kind, table["rows"], table["merged"], header_row, header_rows)
            rows, skipped = reading.rows_to_sources(
                kind, table["rows"], table["merged"], header_row, header_rows, mapping
            )
            plans = reading.merge(kind.plan(rows, unit=unit, user=acting, options=options), rows, skipped)
        except reading.FileProblem as problem:
            raise CommandError(str(problem)) from problem
        except ServiceError as error:
            raise CommandError(error.message) from error
        counts = counts_of(plans)
        headings = reading.headings(table["rows"], table["merged"], header_row, header_rows)
        labels = {c.key: c.label for c in kind.columns}
        if json:
            self._print_json(
                kind, unit, path, table, header_row, header_rows, mapping, headings, counts, plans
            )
        else:
            self.stdout.write(
                f"Trang “{table['sheet']}”, dòng tiêu đề {header_row + 1}. Cột: "
                + ", ".join(
                    f"{labels[k]} ← {headings[i] if i < len(headings) else i}" for k, i in mapping.items()
                )
            )
            for plan in plans:
                if plan.errors:
                    for error in plan.errors:
                        self.stderr.write(f"Dòng {plan.number}, cột “{error.column}”: {error.message}")
            self.stdout.write(
                ", ".join(f"{kinds.OUTCOME_LABELS[kinds.Outcome(k)]}: {v}" for k, v in counts.items())
            )
        if counts["error"]:
            raise CommandError("Tệp còn lỗi: chưa ghi dòng nào.")
        if dry_run:
            if not json:
                self.stdout.write("Chỉ kiểm tra: chưa ghi.")
            return
        try:
            with transaction.atomic():
                summary = kind.commit(
                    rows, unit=unit, user=acting, options=options, source=Source(filename=path.name)
                )
        except ImportInvalid as invalid:
            raise CommandError(invalid.message) from invalid
        except ServiceError as error:
            raise CommandError(error.message) from error
        if not json:
            self.stdout.write(self.style.SUCCESS(summary.get("message", "Đã ghi.")))

    def _print_json(self, kind, unit, path, table, header_row, header_rows, mapping, headings, counts, plans):
        payload = {
            "kind": kind.key,
            "unit": unit.code,
            "file": path.name,
            "sheet": table["sheet"],
            "header_row": header_row + 1,
            "header_rows": header_rows,
            "mapping": {
                k: {"column": reading.column_name(i), "heading": headings[i] if i < len(headings) else ""}
                for k, i in mapping.items()
            },
            "counts": counts,
            "rows": [reading.plan_json(p) for p in plans],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def read_table(path: Path, *, sheet: str | None = None) -> dict:
    """The rows (and merged ranges) of a file's sheet, through the guard and the sandbox."""
    with tempfile.TemporaryDirectory(prefix="thidua-import-") as work:
        dest = os.path.join(work, "rows.jsonl.gz")
        answer = reading.read_file(str(path), path.name, dest, sheet=sheet)
        with open(dest, "rb") as handle:
            rows = uploads.load_rows(handle)
    return {"rows": rows, "merged": answer.get("merged") or [], "sheet": answer.get("sheet") or ""}
