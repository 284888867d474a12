"""Council sessions: opening one for the dossiers waiting, the secret ballot, closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.access import Action, can, get_visible_or_404
from core.exceptions import ServiceError
from organizations.selectors import orgunit_breadcrumbs
from organizations.shortcuts import get_unit_or_404

from . import selectors, services
from .choices import DossierState, SessionState
from .forms import (
    SessionForm,
)
from .models import CouncilSession, Dossier, NominationItem
from .views import _flash, _unit_id
from .workflow import award_needs_vote

# --- council ----------------------------------------------------------------------------------------


@login_required
def session_open(request):
    unit = get_unit_or_404(request, _unit_id(request), Action.NOMINATION_REVIEW)
    ready = Dossier.objects.filter(authority=unit, state=DossierState.IN_COUNCIL).order_by("pk")
    # only the dossiers whose awards need the council's vote; the others are approved directly
    voted_codes = [code for code in ready.values_list("items__award_type__code", flat=True) if code]
    ready = ready.filter(
        items__award_type__code__in={code for code in voted_codes if award_needs_vote(code)}
    ).distinct()
    form = SessionForm(request.POST or None, dossiers=ready, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.council_session_open(
                acting_user=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                held_on=form.cleaned_data["held_on"],
                dossiers=list(form.cleaned_data["dossiers"]),
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                secretary=form.cleaned_data["secretary"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect("nominations:session", session.pk)
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "title": f"Phiên họp Hội đồng TĐKT — {unit.name}",
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def session_detail(request, pk):
    user = request.user
    session = get_visible_or_404(
        CouncilSession.objects.select_related("unit"),
        user,
        Action.UNIT_VIEW,
        not_found="Không tìm thấy phiên họp hoặc bạn không có quyền xem.",
        held_by_role=False,  # a council seat, not a role, lets a member see the session
        pk=pk,
    )
    is_member = selectors.council_members(unit=session.unit, on=session.held_on).filter(user=user).exists()
    is_officer = can(user, Action.NOMINATION_REVIEW, session.unit.path)
    items = list(
        NominationItem.objects.filter(dossier__in=session.dossiers.all()).select_related(
            "award_type", "person", "unit", "dossier"
        )
    )
    confirm_close = None
    if request.method == "POST" and request.POST.get("action") == "close":
        try:
            # not everyone voted: the officer sees the turnout and confirms (xac_nhan=1) before closing
            services.council_session_close(
                acting_user=user,
                session=session,
                incomplete_confirmed=request.POST.get("xac_nhan") == "1",
            )
        except services.IncompleteTurnout as error:
            confirm_close = {"message": error.message, **error.turnout}
        except (ServiceError, PermissionDenied) as error:
            messages.error(request, getattr(error, "message", "Bạn không có quyền kết thúc phiên họp."))
            return redirect("nominations:session", session.pk)
        else:
            messages.success(
                request, "Đã kết thúc bỏ phiếu và kiểm phiếu. Bước tiếp theo: ký, ban hành quyết định."
            )
            return redirect("nominations:session", session.pk)
    if request.method == "POST" and confirm_close is None:
        try:
            cast = 0
            for item in items:
                choice = request.POST.get(f"i{item.pk}")
                if choice:
                    services.ballot_cast(acting_user=user, session=session, item=item, choice=choice)
                    cast += 1
        except ServiceError as error:
            _flash(request, error)
        else:
            messages.success(request, f"Đã ghi nhận {cast} phiếu. Phiếu của bạn được giữ bí mật.")
        return redirect("nominations:session", session.pk)
    from .models import BallotReceipt

    voted = set(BallotReceipt.objects.filter(session=session, voter=user).values_list("item_id", flat=True))
    closed = session.state == SessionState.CLOSED
    # while voting is open nobody — officer or member — sees counts, only the turnout (n of m voted):
    # live counts would reveal each vote as it is cast
    rows = [
        {
            "item": i,
            "voted": i.pk in voted,
            "turnout": services.turnout(session=session, item=i) if (is_officer or is_member) else None,
            "tally": services.tally(session=session, item=i) if closed else None,
        }
        for i in items
    ]
    dossiers = list(session.dossiers.select_related("proposing_unit").order_by("pk")) if closed else []
    return render(
        request,
        "nominations/session.html",
        {
            "session": session,
            "rows": rows,
            "is_member": is_member,
            "is_officer": is_officer,
            # a member who voted on every nominee has nothing left to send
            "voted_all": is_member and bool(rows) and all(r["voted"] for r in rows),
            "confirm_close": confirm_close,
            # after closing: the next step is the decision, signed on each dossier's page
            "next_dossiers": [
                {"dossier": d, "to_decide": d.state == DossierState.IN_COUNCIL} for d in dossiers
            ],
            "members_url": _council_members_url(session.unit) if is_officer else None,
        },
    )


def _council_members_url(unit) -> str:
    """The page of the unit's council members (`nominations:council_members`)."""
    return f"{reverse('nominations:council_members')}?don_vi={unit.pk}"
