"""Fetching a unit in a view, the way `core.access.get_visible_or_404` fetches other objects."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.access import Action, can
from core.ids import parse_id

from .models import OrgUnit
from .selectors import orgunit_get


def get_unit_or_404(request, pk, action=Action.UNIT_VIEW) -> OrgUnit:
    """The unit if the user may act on it: 403 without the right anywhere, 404 outside their scope."""
    if not can(request.user, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    try:
        if (pk := parse_id(pk)) is None:  # "abc", "-5" or a 23-digit id typed into ?don_vi=
            raise OrgUnit.DoesNotExist
        return orgunit_get(user=request.user, pk=pk, action=action)
    except OrgUnit.DoesNotExist as exc:
        raise Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem.") from exc
