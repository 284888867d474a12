"""Document pages of the nominations workflow: a dossier's tờ trình and danh sách (with the "Cấp số"
button), a closed council session's minutes, a decision with its annex — each as .docx and .pdf.

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
from core.exceptions import ServiceError
from nominations import selectors as nomination_selectors
from nominations.choices import SessionState
from nominations.models import CouncilSession, Decision, Dossier

from . import nominations_docs as docs
from .models import DocumentKind
from .pdf import soffice_path
from .selectors import document_number
from .views import docx_or_pdf


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
    """doc: "to-trinh" | "danh-sach"; fmt: "docx" | "pdf"."""
    dossier = _dossier(request, pk)
    builder = {"to-trinh": docs.dossier_to_trinh_docx, "danh-sach": docs.dossier_danh_sach_docx}.get(doc)
    if builder is None or fmt not in ("docx", "pdf"):
        raise Http404("Không có văn bản này.")
    number = document_number(kind=DocumentKind.TO_TRINH, subject=dossier)
    content = builder(dossier, number=number)
    return docx_or_pdf(
        request,
        content,
        f"{doc}-ho-so-{dossier.pk}",
        fmt,
        reverse("documents:dossier_documents", args=[dossier.pk]),
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
    content = docs.council_minutes_docx(
        session, number=document_number(kind=DocumentKind.BIEN_BAN, subject=session)
    )
    return docx_or_pdf(
        request,
        content,
        f"bien-ban-hoi-dong-{session.pk}",
        fmt,
        reverse("nominations:session", args=[session.pk]),
    )


@login_required
def decision_document(request, pk, fmt):
    decision = _decision(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404("Không có văn bản này.")
    content = docs.decision_docx(decision)
    return docx_or_pdf(
        request,
        content,
        f"quyet-dinh-{decision.pk}",
        fmt,
        reverse("documents:dossier_documents", args=[decision.dossier_id]),
    )
