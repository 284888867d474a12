"""Document pages: a movement's launch plan (.docx / .pdf) and its number."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import Action, can
from movements.models import Movement
from movements.selectors import movement_get

from . import services
from .models import DocumentKind
from .pdf import PdfUnavailable, docx_to_pdf, soffice_path
from .plans import Signature, default_signature, heading_parts, movement_plan_docx, movement_subject
from .selectors import plan_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _movement(request, pk) -> Movement:
    """The movement, if the user manages movements on its organiser (404 otherwise)."""
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


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


@login_required
def plan_docx(request, pk):
    movement = _movement(request, pk)
    content = movement_plan_docx(
        movement, number=plan_number(movement=movement), signature=_signature(request, movement)
    )
    return _download(content, f"ke-hoach-phong-trao-{movement.pk}.docx", DOCX)


@login_required
def plan_pdf(request, pk):
    movement = _movement(request, pk)
    content = movement_plan_docx(
        movement, number=plan_number(movement=movement), signature=_signature(request, movement)
    )
    try:
        pdf = docx_to_pdf(content)
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("documents:plan", pk=movement.pk)
    return _download(pdf, f"ke-hoach-phong-trao-{movement.pk}.pdf", "application/pdf")


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
