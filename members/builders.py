"""Background builders of the members app: the member roster (.xlsx).

Found by `jobs` (`autodiscover_modules("builders")` in `JobsConfig.ready`).
"""

from __future__ import annotations

from django.utils import timezone

from core.access import Action
from core.text import fold
from jobs.registry import register

from .services import roster_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_roster_xlsx(*, job, progress):
    progress(10, "Đang lấy danh sách đoàn viên")
    content, _unmasked = roster_export(acting_user=job.created_by, unit=job.unit)
    progress(90, "Đang lưu tệp")
    name = fold(job.unit.short_name or job.unit.name).replace(" ", "_")
    return content, f"doan_vien_{name}_{timezone.localdate():%Y%m%d}.xlsx", XLSX


register(
    "roster_xlsx",
    title="Danh sách đoàn viên (.xlsx) — {unit}",
    action=Action.PERSON_VIEW,
    build=build_roster_xlsx,
)
