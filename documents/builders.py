"""Background builders of the documents app: every .docx → PDF conversion (LibreOffice takes seconds and
may crash, so it never runs inside a request).

Each builder is made from one object (`subject`, the model's own visibility — the same as the .docx
download's): a movement's launch plan, a dossier's tờ trình or danh sách, a closed council session's
minutes, a decision. The screens start the job (`documents.views.start_pdf_job`) and send the user to the
job page; a LibreOffice failure (`PdfUnavailable`) becomes the job's error. Found by `jobs`
(`autodiscover_modules("builders")` in `JobsConfig.ready`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.access import Action
from jobs.registry import BuildError, register
from movements.models import Movement
from nominations import selectors as nomination_selectors
from nominations.choices import SessionState
from nominations.models import CouncilSession, Decision

from . import nominations_docs as docs
from .models import DocumentKind
from .pdf import PdfUnavailable, docx_to_pdf
from .plans import Signature, default_signature, heading_parts, movement_plan_docx
from .selectors import document_number, plan_number

PDF = "application/pdf"
DOSSIER_DOCS = {"to-trinh": "Tờ trình", "danh-sach": "Danh sách đề nghị"}
SIGNATURE_PARAMS = (("on_behalf", "thay_mat"), ("position", "chuc_vu"), ("signer", "nguoi_ky"))


def _pdf(content: bytes, progress) -> bytes:
    progress(40, "Đang chuyển sang PDF")
    try:
        pdf = docx_to_pdf(content)
    except PdfUnavailable as exc:
        raise BuildError(str(exc)) from exc
    progress(90, "Đang lưu tệp")
    return pdf


def _subject(queryset, job):
    obj = queryset.filter(pk=job.subject_id).first()
    if obj is None:  # deleted meanwhile (visibility was re-checked by jobs.services.job_run)
        raise BuildError("văn bản không còn trên hệ thống.")
    return obj


# --- the movement's launch plan ------------------------------------------------------------------------


def clean_signature(params: Mapping[str, Any]) -> dict:
    """The signature block's three lines (as typed on the plan page; empty = the default)."""
    return {param: str(params.get(param, "")).strip()[:120] for _attr, param in SIGNATURE_PARAMS}


def plan_signature(movement: Movement, params: Mapping[str, Any]) -> Signature:
    parent, _, _ = heading_parts(movement.organiser)
    signature = default_signature(movement.organiser, parent)
    for attr, param in SIGNATURE_PARAMS:
        value = str(params.get(param, "")).strip()
        if value:
            setattr(signature, attr, value[:120])
    return signature


def plan_subjects(user):
    return Movement.objects.restrict(user, Action.MOVEMENT_MANAGE)


def build_plan_pdf(*, job, progress):
    movement = _subject(plan_subjects(job.created_by).select_related("organiser"), job)
    if movement.organiser_id != job.unit_id:
        raise BuildError("phong trào không thuộc đơn vị này.")
    progress(10, "Đang soạn kế hoạch")
    content = movement_plan_docx(
        movement, number=plan_number(movement=movement), signature=plan_signature(movement, job.params)
    )
    return _pdf(content, progress), f"ke-hoach-phong-trao-{movement.pk}.pdf", PDF


# --- a dossier's tờ trình / danh sách ------------------------------------------------------------------


def clean_dossier_doc(params: Mapping[str, Any]) -> dict:
    doc = str(params.get("doc", ""))
    if doc not in DOSSIER_DOCS:
        raise ValueError("Không có văn bản này.")
    return {"doc": doc, "label": DOSSIER_DOCS[doc]}


def dossier_subjects(user):
    return nomination_selectors.dossier_visible(user=user)


def build_dossier_pdf(*, job, progress):
    dossier = _subject(dossier_subjects(job.created_by), job)
    doc = job.params["doc"]
    builder = {"to-trinh": docs.dossier_to_trinh_docx, "danh-sach": docs.dossier_danh_sach_docx}[doc]
    progress(10, "Đang soạn văn bản")
    content = builder(dossier, number=document_number(kind=DocumentKind.TO_TRINH, subject=dossier))
    return _pdf(content, progress), f"{doc}-ho-so-{dossier.pk}.pdf", PDF


# --- a closed council session's minutes ----------------------------------------------------------------


def minutes_subjects(user):
    return (
        CouncilSession.objects.restrict(user, Action.UNIT_VIEW)
        .filter(state=SessionState.CLOSED)
        .select_related("unit__unit_type")
    )


def build_minutes_pdf(*, job, progress):
    session = _subject(minutes_subjects(job.created_by), job)
    progress(10, "Đang soạn biên bản")
    content = docs.council_minutes_docx(
        session, number=document_number(kind=DocumentKind.BIEN_BAN, subject=session)
    )
    return _pdf(content, progress), f"bien-ban-hoi-dong-{session.pk}.pdf", PDF


# --- a decision with its annex -------------------------------------------------------------------------


def decision_subjects(user):
    return Decision.objects.restrict(user, Action.UNIT_VIEW).select_related(
        "issuing_unit__unit_type", "dossier__proposing_unit__unit_type"
    )


def clean_decision(params: Mapping[str, Any]) -> dict:
    return {"number": str(params.get("number", "")).strip()[:60]}


def build_decision_pdf(*, job, progress):
    decision = _subject(decision_subjects(job.created_by), job)
    progress(10, "Đang soạn quyết định")
    content = docs.decision_docx(decision)
    return _pdf(content, progress), f"quyet-dinh-{decision.pk}.pdf", PDF


register(
    "plan_pdf",
    title="Kế hoạch phát động phong trào (.pdf) — {unit}",
    action=Action.MOVEMENT_MANAGE,
    build=build_plan_pdf,
    clean=clean_signature,
    subject=plan_subjects,
)
register(
    "dossier_pdf",
    title="{label} (.pdf) — {unit}",
    action=None,  # whoever sees the dossier (nominations.visibility), as for the .docx
    build=build_dossier_pdf,
    clean=clean_dossier_doc,
    subject=dossier_subjects,
)
register(
    "minutes_pdf",
    title="Biên bản họp Hội đồng Thi đua - Khen thưởng (.pdf) — {unit}",
    action=None,  # a reviewer of the council's unit or a member seated on the council
    build=build_minutes_pdf,
    subject=minutes_subjects,
)
register(
    "decision_pdf",
    title="Quyết định khen thưởng số {number} (.pdf) — {unit}",
    action=None,  # whoever sees the decision's dossier
    build=build_decision_pdf,
    clean=clean_decision,
    subject=decision_subjects,
)
