"""The one pagination of list screens: `THIDUA_PAGE_SIZE` rows a page, the page number in `?trang=`
(anything that is not a page number gives the first or last page, never an error).

Bounded (issue 16): a page never counts or sorts a whole scope. The count is capped — it reads at most
`THIDUA_COUNT_CAP` rows past the requested page (`SELECT COUNT(*) FROM (SELECT … LIMIT n)`, without the
ORDER BY, which does not change a capped count), so a scope of 44,000 records shows "hơn 1.000" and the
database stops after 1,001 rows; the page itself is `ORDER BY … LIMIT page OFFSET k`, served by an index
on the list's order (each list's migration adds it). Pages past the cap stay reachable with "Trang sau":
the count then reads up to the requested page, which is what that page costs anyway."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 1000  # default of settings.THIDUA_COUNT_CAP: rows counted at most beyond the requested page


def count_cap() -> int:
    return int(getattr(settings, "THIDUA_COUNT_CAP", COUNT_CAP))


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at `limit` rows: `count` is exact when `exact`, else "more than
    `count`" (the partial shows "hơn …"); `num_pages` is then the pages known so far, and the page asked
    for is always reachable (its rows are known to exist)."""

    def __init__(self, object_list, per_page, *, number: int = 1, cap: int | None = None):
        super().__init__(object_list, per_page)
        cap = count_cap() if cap is None else cap
        # count far enough to know whether the asked page and the one after it exist
        self.limit = max(cap, number * self.per_page) + 1

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return rows.order_by()[: self.limit].count()
        return min(len(rows), self.limit)

    @cached_property
    def exact(self) -> bool:
        return self._counted < self.limit

    @cached_property
    def count(self) -> int:
        return self._counted if self.exact else self.limit - 1

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0:
            return 1
        pages = math.ceil(self.count / self.per_page)
        return pages if self.exact else pages + 1  # at least one more page past the counted rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def parse_page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def page_of(rows, number, *, per_page: int | None = None, cap: int | None = None) -> Page:
    """Page `number` (any value: bad → first, past the end → last) of `rows`, bounded."""
    number = parse_page_number(number)
    paginator = BoundedPaginator(rows, per_page or settings.THIDUA_PAGE_SIZE, number=number, cap=cap)
    page = paginator.get_page(min(number, paginator.num_pages))
    page.object_list = list(page.object_list)  # one query; rows keep what a view sets on them
    return page


def paginate(request, rows, *, per_page: int | None = None, param: str = "trang") -> Page:
    """The page of `rows` asked for in `?<param>=` (`trang` unless a screen shows two lists); the
    pager partial `includes/pagination.html` takes the page (and `param` when it is not `trang`)."""
    page = page_of(rows, request.GET.get(param), per_page=per_page)
    page.param = param
    page.first_url = _url(request, param, 1) if page.number > 1 else ""
    page.previous_url = _url(request, param, page.number - 1) if page.has_previous() else ""
    page.next_url = _url(request, param, page.number + 1) if page.has_next() else ""
    return page


def _url(request, param: str, number: int) -> str:
    """`?…` of the current request with `param` set to `number` (every filter kept)."""
    query = request.GET.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    return f"?{query.urlencode()}" if query else "?"
