"""A member's own page, "Trang của tôi" (`/cua-toi/`): their membership, registrations, ratings by year,
awards with their decisions and certificates, initiatives and the submitted dossiers naming them. Any
signed-in user may open it; an account not linked to a member record gets an explanation. Thin: the
reads are in `selectors_me`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors_me import my_page


@login_required
def me(request):
    return render(request, "documents/me.html", {"me": my_page(user=request.user)})
