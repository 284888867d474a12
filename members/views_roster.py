"""The unit's roster out (the "Xuất Excel" background job), and the old addresses of the roster import:
the import is now the framework's kind "doan-vien" (`members/importers.py`, `imports.views`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import Action
from organizations.shortcuts import get_unit_or_404

from .importers import KEY


def roster_upload(request):
    """The old "/doan-vien/nhap/" (bookmarks, help pages): the framework's upload of the roster into the
    unit named by `?don_vi=`; without one, the member list (where each unit's "Nhập danh sách" is)."""
    unit = request.GET.get("don_vi", "")
    if not unit.isdigit():
        return HttpResponsePermanentRedirect(reverse("members:list"))
    return HttpResponsePermanentRedirect(f"{reverse('imports:upload', args=[KEY])}?don_vi={unit}")


def roster_template(request):
    """The old "/doan-vien/nhap/mau.xlsx": the framework's template of the roster."""
    return HttpResponsePermanentRedirect(reverse("imports:template", args=[KEY]))


@login_required
@require_POST
def roster_export(request):
    """The "Xuất Excel" button: the roster of a big unit takes tens of seconds, so it is a background job
    (`members/builders.py`, `roster_xlsx`); the user is sent to the job page and downloads from there."""
    from jobs.services import JobInvalid, job_start

    unit = get_unit_or_404(request, request.POST.get("don_vi") or 0, Action.PERSON_VIEW)
    try:
        job = job_start(acting_user=request.user, kind="roster_xlsx", unit=unit)
    except JobInvalid as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('members:list')}?don_vi={unit.pk}")
    return redirect("jobs:detail", job.pk)
