"""Document pages: a movement's launch plan (.docx / .pdf) and its number."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import Action, can, require
from core.downloads import file_response
from movements.models import Movement
from movements.selectors import movement_get

from . import services
from .models import DocumentKind
from .pdf import PdfUnavailable, docx_to_pdf, soffice_path
from .plans import Signature, default_signature, heading_parts, movement_plan_docx, movement_subject
from .selectors import plan_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _movement(request, pk) -> Movement:
    """The movement, if the user manages movements on its organiser (403 without the right anywhere,
    404 otherwise)."""
    require(request.user, Action.MOVEMENT_MANAGE)
    try:
        movement = movement_get(user=request.user, pk=pk)
    except Movement.DoesNotExist as exc:
        raise Http404("Không tìm thấy phong trào.") from exc
    if not can(request.user, Action.MOVEMENT_MANAGE, movement.organiser.path):
        raise Http404("Không tìm thấy phong trào hoặc bạn không có quyền.")
    return movement


def _signature(request, movement) -> Signature:
    parent, _, _ = heading_parts(movement.organiser)
    signature = default_signature(movement.organiser, parent)
    for attr, param in (("on_behalf", "thay_mat"), ("position", "chuc_vu"), ("signer", "nguoi_ky")):
        value = request.GET.get(param, "").strip()
        if value:
            setattr(signature, attr, value[:120])
    return signature


def docx_or_pdf(request, content: bytes, stem: str, fmt: str, back: str) -> HttpResponse:
    """The .docx as it is, or converted to PDF (back to `back` with a message if LibreOffice is missing),
    as an attachment named `stem.fmt`."""
    if fmt == "pdf":
        try:
            content = docx_to_pdf(content)
        except PdfUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(back)
    return file_response(content, f"{stem}.{fmt}")


@login_required
def plan_page(request, pk):
    movement = _movement(request, pk)
    return render(
        request,
        "documents/plan.html",
        {
            "movement": movement,
            "number": plan_number(movement=movement),
            "signature": _signature(request, movement),
            "pdf_available": soffice_path() is not None,
        },
    )


def _plan(request, pk, fmt: str) -> HttpResponse:
    movement = _movement(request, pk)
    content = movement_plan_docx(
        movement, number=plan_number(movement=movement), signature=_signature(request, movement)
    )
    back = reverse("documents:plan", args=[movement.pk])
    return docx_or_pdf(request, content, f"ke-hoach-phong-trao-{movement.pk}", fmt, back)


@login_required
def plan_docx(request, pk):
    return _plan(request, pk, "docx")


@login_required
def plan_pdf(request, pk):
    return _plan(request, pk, "pdf")


@login_required
@require_POST
def plan_allocate(request, pk):
    movement = _movement(request, pk)
    number = services.number_allocate(
        acting_user=request.user,
        issuer=movement.organiser,
        kind=DocumentKind.KE_HOACH,
        title=f"Kế hoạch phát động {movement_subject(movement)}",
        issued_on=movement.launched_on or timezone.localdate(),
        subject=movement,
    )
    messages.success(request, f"Đã cấp số văn bản {number.notation}.")
    return redirect(reverse("documents:plan", args=[movement.pk]))
