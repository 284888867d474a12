"""The picker's search endpoints (`members.widgets`): at most 20 people or units in the user's scope.

GET `?quyen=<action>&don_vi=<unit>&truong=<field>&<field>_q=<text>` (or `q=`): the HTML fragment htmx
puts under the search box, or JSON with `dinh_dang=json`. People are named by full name, birth year and
current unit — never a birth date in full, never a citizen ID. The action must be one a picker may be
scoped by (`PICK_ACTIONS`), the unit one the user holds it on (403 / 404 otherwise, as every screen)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import Action, can
from organizations.shortcuts import get_unit_or_404

from .widgets import (
    PICK_ACTIONS,
    PICK_LIMIT,
    person_label,
    person_matches,
    person_pick_queryset,
    unit_label,
    unit_matches,
    unit_pick_queryset,
)

_FIELD = re.compile(r"[a-z_][a-z0-9_-]{0,40}")


def _search_params(request, refusal: str) -> tuple[str, object, str]:
    """(action, unit or None, text): 403 without the action anywhere, 404 for a unit outside its scope;
    without a unit the restricted queryset alone scopes the search."""
    action = request.GET.get("quyen") or Action.PERSON_VIEW
    if action not in PICK_ACTIONS:
        action = Action.PERSON_VIEW
    if not can(request.user, action):
        raise PermissionDenied(refusal)
    unit_pk = request.GET.get("don_vi", "")
    valid = unit_pk.isdigit() and len(unit_pk) < 19
    unit = get_unit_or_404(request, unit_pk if valid else 0, action) if unit_pk else None
    field = request.GET.get("truong", "")
    text = request.GET.get(f"{field}_q", "") if _FIELD.fullmatch(field) else ""
    return action, unit, (text or request.GET.get("q", ""))


def _answer(request, items: list[dict], *, more: bool, searched: bool):
    if request.GET.get("dinh_dang") == "json":
        return JsonResponse({"results": items, "more": more})
    return render(
        request,
        "members/_picker_results.html",
        {"items": items, "more": more, "searched": searched, "limit": PICK_LIMIT},
    )


@require_GET
@login_required
def person_search(request):
    action, unit, text = _search_params(request, "Bạn không có quyền tìm đoàn viên.")
    matches, more = person_matches(person_pick_queryset(user=request.user, action=action, unit=unit), text)
    items = [
        {
            "pk": person.pk,
            "label": person_label(person, membership),
            "name": person.full_name,
            "birth_year": person.birth_date.year if person.birth_date else None,
            "where": membership.unit.name if membership else "",
        }
        for person, membership in matches
    ]
    return _answer(request, items, more=more, searched=bool(text.strip()))


@require_GET
@login_required
def unit_search(request):
    action, unit, text = _search_params(request, "Bạn không có quyền tìm đơn vị.")
    matches, more = unit_matches(unit_pick_queryset(user=request.user, action=action, unit=unit), text)
    items = [
        {"pk": u.pk, "label": unit_label(u), "name": u.name, "birth_year": None, "where": u.code}
        for u, _ in matches
    ]
    return _answer(request, items, more=more, searched=bool(text.strip()))
