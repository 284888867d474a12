"""Document pages of the nominations workflow: a dossier's tờ trình and danh sách (with the "Cấp số"
button), a closed council session's minutes, a decision with its annex — each as .docx (built in the
request) and as .pdf (a background job: the POST starts it and sends the user to the job page).

Visibility follows nominations: a dossier's documents whoever may see the dossier, the minutes whoever
may see the session, a decision whoever may see its dossier; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import Action, can, get_visible_or_404, require
from core.downloads import file_response
from core.exceptions import ServiceError
from nominations import selectors as nomination_selectors
from nominations.choices import SessionState
from nominations.models import CouncilSession, Decision, Dossier

from . import nominations_docs as docs
from .models import DocumentKind
from .pdf import soffice_path
from .selectors import document_number
from .views import start_pdf_job

DOSSIER_DOCX = {"to-trinh": docs.dossier_to_trinh_docx, "danh-sach": docs.dossier_danh_sach_docx}
PDF_IN_BACKGROUND = "Bản PDF được tạo trong nền: bấm nút “.pdf” để tạo, rồi tải về từ trang tệp."


def _pdf_moved(request, back: str):
    """An old .pdf link (bookmark): the PDF is made by a background job now, started by the button."""
    messages.info(request, PDF_IN_BACKGROUND)
    return redirect(back)


def _dossier(request, pk) -> Dossier:
    return nomination_selectors.dossier_get_or_404(user=request.user, pk=pk)


def _session(request, pk) -> CouncilSession:
    session = get_visible_or_404(
        CouncilSession.objects.select_related("unit__unit_type"),
        request.user,
        Action.UNIT_VIEW,
        not_found="Không tìm thấy phiên họp hoặc bạn không có quyền xem.",
        held_by_role=False,  # a council seat, not a role, lets a member see the session
        pk=pk,
    )
    if session.state != SessionState.CLOSED:
        raise Http404("Phiên họp chưa kết thúc bỏ phiếu: chưa có biên bản.")
    return session


def _decision(request, pk) -> Decision:
    return get_visible_or_404(
        Decision.objects.select_related("issuing_unit__unit_type", "dossier__proposing_unit__unit_type"),
        request.user,
        Action.UNIT_VIEW,
        not_found="Không tìm thấy quyết định hoặc bạn không có quyền xem.",
        pk=pk,
    )


@login_required
def dossier_documents(request, pk):
    dossier = _dossier(request, pk)
    sessions = list(
        dossier.council_sessions.filter(state=SessionState.CLOSED)
        .restrict(request.user, Action.UNIT_VIEW)
        .select_related("unit")
    )
    for session in sessions:
        session.minutes_number = document_number(kind=DocumentKind.BIEN_BAN, subject=session)
        session.may_number = can(request.user, Action.NOMINATION_REVIEW, session.unit.path)
    return render(
        request,
        "documents/dossier_documents.html",
        {
            "dossier": dossier,
            "number": document_number(kind=DocumentKind.TO_TRINH, subject=dossier),
            "may_allocate": can(request.user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path),
            "decisions": list(dossier.decisions.select_related("issuing_unit").order_by("issued_on", "pk")),
            "sessions": sessions,
            "pdf_available": soffice_path() is not None,
        },
    )


@login_required
def dossier_document(request, pk, doc, fmt):
    """doc: "to-trinh" | "danh-sach"; fmt: "docx" (the PDF: `dossier_document_pdf`)."""
    dossier = _dossier(request, pk)
    builder = DOSSIER_DOCX.get(doc)
    if builder is None or fmt not in ("docx", "pdf"):
        raise Http404("Không có văn bản này.")
    if fmt == "pdf":
        return _pdf_moved(request, reverse("documents:dossier_documents", args=[dossier.pk]))
    number = document_number(kind=DocumentKind.TO_TRINH, subject=dossier)
    return file_response(builder(dossier, number=number), f"{doc}-ho-so-{dossier.pk}.docx")


@login_required
@require_POST
def dossier_document_pdf(request, pk, doc):
    """Start the PDF of the dossier's tờ trình or danh sách (whoever sees the dossier, as the .docx)."""
    dossier = _dossier(request, pk)
    if doc not in DOSSIER_DOCX:
        raise Http404("Không có văn bản này.")
    return start_pdf_job(
        request,
        kind="dossier_pdf",
        unit=dossier.proposing_unit,
        subject=dossier,
        params={"doc": doc},
        back=reverse("documents:dossier_documents", args=[dossier.pk]),
    )


@login_required
@require_POST
def dossier_allocate(request, pk):
    require(request.user, Action.NOMINATION_PREPARE)
    dossier = _dossier(request, pk)
    number = docs.dossier_number_allocate(acting_user=request.user, dossier=dossier)
    messages.success(request, f"Đã cấp số tờ trình {number.notation}.")
    return redirect("documents:dossier_documents", pk=dossier.pk)


@login_required
@require_POST
def minutes_allocate(request, pk):
    """Number the minutes of a closed session, then back to the dossier's documents (or the session)."""
    session = _session(request, pk)
    try:
        number = docs.minutes_number_allocate(acting_user=request.user, session=session)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã cấp số biên bản {docs.minutes_number_text(number)[4:]}.")
    dossier = request.POST.get("ho_so", "")
    if dossier.isdigit() and session.dossiers.filter(pk=int(dossier)).exists():
        return redirect("documents:dossier_documents", pk=int(dossier))
    return redirect("nominations:session", pk=session.pk)


@login_required
def council_minutes(request, pk, fmt):
    session = _session(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404("Không có văn bản này.")
    if fmt == "pdf":
        return _pdf_moved(request, reverse("nominations:session", args=[session.pk]))
    content = docs.council_minutes_docx(
        session, number=document_number(kind=DocumentKind.BIEN_BAN, subject=session)
    )
    return file_response(content, f"bien-ban-hoi-dong-{session.pk}.docx")


@login_required
@require_POST
def council_minutes_pdf(request, pk):
    """Start the PDF of a closed session's minutes (a reviewer of its unit or a seated member)."""
    session = _session(request, pk)
    return start_pdf_job(
        request,
        kind="minutes_pdf",
        unit=session.unit,
        subject=session,
        back=_back_to_dossier(request, session) or reverse("nominations:session", args=[session.pk]),
    )


def _back_to_dossier(request, session) -> str | None:
    dossier = request.POST.get("ho_so", "")
    if dossier.isdigit() and len(dossier) < 19 and session.dossiers.filter(pk=int(dossier)).exists():
        return reverse("documents:dossier_documents", args=[int(dossier)])
    return None


@login_required
def decision_document(request, pk, fmt):
    decision = _decision(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404("Không có văn bản này.")
    if fmt == "pdf":
        return _pdf_moved(request, reverse("documents:dossier_documents", args=[decision.dossier_id]))
    return file_response(docs.decision_docx(decision), f"quyet-dinh-{decision.pk}.docx")


@login_required
@require_POST
def decision_document_pdf(request, pk):
    """Start the PDF of a decision with its annex (whoever sees its dossier)."""
    decision = _decision(request, pk)
    return start_pdf_job(
        request,
        kind="decision_pdf",
        unit=decision.issuing_unit,
        subject=decision,
        params={"number": decision.number},
        back=reverse("documents:dossier_documents", args=[decision.dossier_id]),
    )
