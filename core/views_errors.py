"""Vietnamese error pages (config/urls.py handler400/403/404/500, settings.CSRF_FAILURE_VIEW).

Views raise `PermissionDenied("Bạn không có quyền …")` / `Http404("Không tìm thấy …")` with a message
meant for the user; these handlers show it. Django's own exceptions carry English or technical text
(the URL patterns tried, "No OrgUnit matches the given query.") — those are never shown: only a message
written in Vietnamese (it has a Vietnamese letter) and of a reasonable length is.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# the letters of Vietnamese beyond ASCII: a message holding one of them was written for the user
_VIETNAMESE = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)
MAX_MESSAGE = 300


def user_message(exception) -> str:
    """The exception's text when it is a message for the user, else ""."""
    if exception is None:
        return ""
    args = getattr(exception, "args", ())
    if not args or not isinstance(args[0], str):
        return ""
    text = args[0].strip()
    if not text or len(text) > MAX_MESSAGE or not _VIETNAMESE.intersection(text):
        return ""
    return text


def _render(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    body = loader.render_to_string(template, context or {}, request=request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, "400.html", 400, {"message": user_message(exception)})


@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, "403.html", 403, {"message": user_message(exception)})


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, "404.html", 404, {"message": user_message(exception)})


def server_error(request):
    # no request context: the page must render even when the database or a context processor fails
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    # `reason` is Django's English, technical text: logged by Django, not shown
    return _render(request, "403_csrf.html", 403)
