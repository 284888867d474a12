"""The public posting page (no login) and the moderation of its comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
from .workflow import allowed_names, needs_council_vote

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
            # closed before its end date: the page says so instead of "đến <end date>"
            "closed_early": bool(posting.closed_at)
            and timezone.localdate(posting.closed_at) <= posting.ends_on,
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


@login_required
def posting_close(request, pk):
    """End the public posting and send the dossier to the council. Before the end date the officer sees how
    many days are left and the comments still to moderate, and must write why it ends early
    (`services.posting_close(early_reason=…)`); on or after it, a plain confirmation."""
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_REVIEW,))
    if "close_posting" not in allowed_names(dossier, request.user):
        messages.error(request, "Bạn không thể kết thúc công khai hồ sơ này.")
        return redirect(dossier)
    posting = dossier.posting
    today = timezone.localdate()
    early = today <= posting.ends_on
    error = ""
    reason = request.POST.get("early_reason", "")
    if request.method == "POST":
        try:
            services.posting_close(
                acting_user=request.user, dossier=dossier, early_reason=reason if early else None, today=today
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                "Đã kết thúc công khai; hồ sơ chuyển Hội đồng."
                if needs_council_vote(dossier)
                else "Đã kết thúc công khai; hồ sơ chờ xét duyệt trực tiếp.",
            )
            return redirect(dossier)
    return render(
        request,
        "nominations/posting_close.html",
        {
            "dossier": dossier,
            "posting": posting,
            "early": early,
            "needs_vote": needs_council_vote(dossier),
            "days_left": services.posting_days_left(posting, today),
            "pending": posting.comments.filter(status=CommentStatus.PENDING).count(),
            "reason": reason,
            "error": error,
        },
    )
