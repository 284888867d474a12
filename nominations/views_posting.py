"""The public posting page (no login) and the moderation of its comments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.access import Action
from core.exceptions import ServiceError
from core.http import client_ip

from . import services
from .choices import CommentStatus
from .forms import (
    CommentForm,
)
from .models import PublicPosting
from .views import _dossier_or_404, _flash

# --- public posting (no login) ----------------------------------------------------------------------


def public_posting(request, token):
    """The public page of a posting, reached by its unguessable token (never the id). After the period
    (or once closed) it answers 410 with the list and the published comments but no form."""
    posting = get_object_or_404(
        PublicPosting.objects.select_related("dossier__proposing_unit", "dossier__authority"), token=token
    )
    dossier = posting.dossier
    over = posting.is_over()
    form = CommentForm(request.POST or None)
    sent = False
    status = 410 if over else 200
    if request.method == "POST" and not over and form.is_valid():
        try:
            services.comment_rate_check(posting=posting, client_ip=client_ip(request))
            if not form.is_robot():  # a filled honeypot is dropped without a word
                services.comment_add(posting=posting, **form.cleaned_data_for_service())
        except services.RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            sent = True
            form = CommentForm()
    return render(
        request,
        "nominations/public_posting.html",
        {
            "posting": posting,
            "dossier": dossier,
            "items": dossier.items.select_related("award_type", "person", "unit").order_by("position"),
            "comments": posting.comments.filter(status=CommentStatus.PUBLISHED),
            "form": form,
            "sent": sent,
            "open": posting.is_open(),
            "over": over,
        },
        status=status,
    )


@login_required
@require_POST
def comment_moderate(request, pk, comment_pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_REVIEW,))
    comment = get_object_or_404(dossier.posting.comments, pk=comment_pk)
    try:
        services.comment_moderate(
            acting_user=request.user, comment=comment, publish=request.POST.get("publish") == "1"
        )
    except ServiceError as error:
        _flash(request, error)
    return redirect(dossier)
