"""Document pages: a movement's launch plan (.docx, and .pdf as a background job) and its number.

A .docx is built in the request (fast); a PDF conversion (LibreOffice, seconds) is a background job
(`documents/builders.py`): the button POSTs, `start_pdf_job` starts the job and sends the user to the job
page, where the file is downloaded (and listed in "Tệp đã tạo")."""

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
from jobs.services import JobInvalid, job_start
from movements.models import Movement
from movements.selectors import movement_get

from . import services
from .builders import clean_signature, plan_signature
from .models import DocumentKind
from .pdf import NOT_INSTALLED, soffice_path
from .plans import movement_plan_docx, movement_subject
from .selectors import plan_number


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


def _signature_params(request) -> dict:
    """The signature lines typed on the plan page (POSTed by its form; GET for a plain link)."""
    return clean_signature(request.POST if request.method == "POST" else request.GET)


def start_pdf_job(
    request, *, kind: str, unit, subject, back: str, params: dict | None = None
) -> HttpResponse:
    """Start the PDF job of `subject` (already fetched through its visibility by the view) and send the
    user to its page; back to `back` with the Vietnamese message when it cannot start."""
    if soffice_path() is None:
        messages.error(request, NOT_INSTALLED)
        return redirect(back)
    try:
        job = job_start(acting_user=request.user, kind=kind, unit=unit, params=params or {}, subject=subject)
    except JobInvalid as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect("jobs:detail", job.pk)


@login_required
def plan_page(request, pk):
    movement = _movement(request, pk)
    return render(
        request,
        "documents/plan.html",
        {
            "movement": movement,
            "number": plan_number(movement=movement),
            "signature": plan_signature(movement, request.GET),
            "pdf_available": soffice_path() is not None,
        },
    )


@login_required
def plan_docx(request, pk):
    movement = _movement(request, pk)
    signature = plan_signature(movement, _signature_params(request))
    content = movement_plan_docx(movement, number=plan_number(movement=movement), signature=signature)
    return file_response(content, f"ke-hoach-phong-trao-{movement.pk}.docx")


@login_required
@require_POST
def plan_pdf(request, pk):
    """Start the PDF of the plan (with the signature lines of the form) as a background job."""
    movement = _movement(request, pk)
    return start_pdf_job(
        request,
        kind="plan_pdf",
        unit=movement.organiser,
        subject=movement,
        params=_signature_params(request),
        back=reverse("documents:plan", args=[movement.pk]),
    )


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
