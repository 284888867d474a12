"""Background builders of the reports app: the year-end summary as .docx and as .pdf.

Found by `jobs` (`autodiscover_modules("builders")` in `JobsConfig.ready`). Each reports progress at
the steps of `reports.summary.summary_docx`, which calls back at each of its steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.access import Action
from documents.pdf import PdfUnavailable, docx_to_pdf
from jobs.registry import BuildError, register

from .summary import summary_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def clean_year(params: Mapping[str, Any]) -> dict:
    value = str(params.get("year", "")).strip()
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise ValueError("Năm báo cáo không hợp lệ.")
    return {"year": int(value)}


def _summary(job, progress, *, share: int = 80) -> bytes:
    """The summary .docx; its steps ("Tổng hợp số liệu", "Soạn báo cáo", …) fill the first `share` %."""

    def step(number: int, steps: int, label: str) -> None:
        stage = label if number == steps else f"Đang {label[:1].lower()}{label[1:]}"
        progress(5 + share * number // steps, stage)

    return summary_docx(unit=job.unit, year=job.params["year"], user=job.created_by, progress=step)


def build_summary_docx(*, job, progress):
    content = _summary(job, progress)
    progress(90, "Đang lưu tệp")
    return content, f"bao-cao-tong-ket-{job.unit.code}-{job.params['year']}.docx", DOCX


def build_summary_pdf(*, job, progress):
    content = _summary(job, progress, share=50)
    progress(60, "Đang chuyển sang PDF")
    try:
        pdf = docx_to_pdf(content)
    except PdfUnavailable as exc:
        raise BuildError(str(exc)) from exc
    progress(90, "Đang lưu tệp")
    return pdf, f"bao-cao-tong-ket-{job.unit.code}-{job.params['year']}.pdf", PDF


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
