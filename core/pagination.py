"""The one pagination of list screens: `THIDUA_PAGE_SIZE` rows a page, the page number in `?trang=`
(anything that is not a page number gives the first or last page, never an error)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, rows, *, per_page: int | None = None) -> Page:
    return Paginator(rows, per_page or settings.THIDUA_PAGE_SIZE).get_page(request.GET.get("trang"))
