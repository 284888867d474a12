"""The first builders: year-end summary (.docx and .pdf) and the member roster (.xlsx).

Imported by `JobsConfig.ready`. Each reports progress at the steps of the function it calls
(`reports.summary.summary_docx` calls back at each of its steps).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from core.access import Action
from core.text import fold

from .registry import BuildError, register

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def clean_year(params: Mapping[str, Any]) -> dict:
    value = str(params.get("year", "")).strip()
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise ValueError("Năm báo cáo không hợp lệ.")
    return {"year": int(value)}


def _summary(job, progress, *, share: int = 80) -> bytes:
    """The summary .docx; its steps ("Tổng hợp số liệu", "Soạn báo cáo", …) fill the first `share` %."""
    from reports.summary import summary_docx

    def step(number: int, steps: int, label: str) -> None:
        stage = label if number == steps else f"Đang {label[:1].lower()}{label[1:]}"
        progress(5 + share * number // steps, stage)

    return summary_docx(unit=job.unit, year=job.params["year"], user=job.created_by, progress=step)


def build_summary_docx(*, job, progress):
    content = _summary(job, progress)
    progress(90, "Đang lưu tệp")
    return content, f"bao-cao-tong-ket-{job.unit.code}-{job.params['year']}.docx", DOCX


def build_summary_pdf(*, job, progress):
    from documents.pdf import PdfUnavailable, docx_to_pdf

    content = _summary(job, progress, share=50)
    progress(60, "Đang chuyển sang PDF")
    try:
        pdf = docx_to_pdf(content)
    except PdfUnavailable as exc:
        raise BuildError(str(exc)) from exc
    progress(90, "Đang lưu tệp")
    return pdf, f"bao-cao-tong-ket-{job.unit.code}-{job.params['year']}.pdf", PDF


def build_roster_xlsx(*, job, progress):
    from members.services import roster_export

    progress(10, "Đang lấy danh sách đoàn viên")
    content, _unmasked = roster_export(acting_user=job.created_by, unit=job.unit)
    progress(90, "Đang lưu tệp")
    name = fold(job.unit.short_name or job.unit.name).replace(" ", "_")
    return content, f"doan_vien_{name}_{timezone.localdate():%Y%m%d}.xlsx", XLSX


register(
    "summary_docx",
    title="Báo cáo tổng kết năm {year} (.docx) — {unit}",
    action=Action.UNIT_VIEW,
    build=build_summary_docx,
    clean=clean_year,
)
register(
    "summary_pdf",
    title="Báo cáo tổng kết năm {year} (.pdf) — {unit}",
    action=Action.UNIT_VIEW,
    build=build_summary_pdf,
    clean=clean_year,
)
register(
    "roster_xlsx",
    title="Danh sách đoàn viên (.xlsx) — {unit}",
    action=Action.PERSON_VIEW,
    build=build_roster_xlsx,
)
