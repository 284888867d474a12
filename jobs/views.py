"""Job screens: start a build (POST), the job page with its progress (htmx polling), download, my files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.exceptions import ServiceError
from core.pagination import paginate
from organizations.shortcuts import get_unit_or_404

from . import registry, services
from .models import BuildJob
from .selectors import job_get, jobs_of
from .workflow import allowed_names

NOT_FOUND = "Không tìm thấy tệp này hoặc bạn không có quyền xem."
FORM_KEYS = {"csrfmiddlewaretoken", "kind", "unit", "next"}


def _job_or_404(request, pk) -> BuildJob:
    try:
        return job_get(user=request.user, pk=pk)
    except BuildJob.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def _back(request) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "jobs:list"


@login_required
@require_POST
def job_create(request):
    """Form fields: kind, unit (id), and the builder's parameters (e.g. year)."""
    try:
        builder = registry.get(request.POST.get("kind", ""))
    except registry.UnknownBuilder as exc:
        raise Http404("Không có loại tệp này.") from exc
    if builder.subject is not None:  # made from one object: started from that object's page
        raise Http404("Không có loại tệp này.")
    unit = get_unit_or_404(request, request.POST.get("unit") or 0, builder.action)
    params = {key: value for key, value in request.POST.items() if key not in FORM_KEYS}
    try:
        job = services.job_start(acting_user=request.user, kind=builder.key, unit=unit, params=params)
    except services.JobInvalid as error:
        messages.error(request, str(error))
        return redirect(_back(request))
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def job_retry(request, pk):
    job = _job_or_404(request, pk)
    try:
        new = services.job_retry(acting_user=request.user, job=job)
    except (services.JobInvalid, ServiceError) as error:
        messages.error(request, str(error))
        return redirect("jobs:detail", job.pk)
    return redirect("jobs:detail", new.pk)


@login_required
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    # exactly the transitions this user may fire now (jobs.workflow.JOB): "retry" or nothing
    context = {"job": job, "actions": allowed_names(job, request.user)}
    if request.htmx:
        return render(request, "jobs/_progress.html", context)
    return render(request, "jobs/detail.html", context)


@login_required
def job_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != BuildJob.Status.DONE or not job.file:
        raise Http404("Tệp chưa sẵn sàng.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ; hãy tạo lại.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename or job.file.name.rsplit("/", 1)[-1],
        content_type=job.content_type or "application/octet-stream",
    )


@login_required
def job_list(request):
    page = paginate(request, jobs_of(user=request.user))
    return render(request, "jobs/list.html", {"page": page})
