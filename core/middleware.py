"""Kernel middlewares: the content security policy, the interface language and the one form of text."""

from django.conf import settings
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .text import is_normal, normalize


class ContentSecurityPolicyMiddleware:
    """Strict CSP: every script and style is served from this site (vendored, no CDN, no inline JS)."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/quan-tri/"):
            response.setdefault("Content-Security-Policy", self.POLICY)
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch in the footer (the language
    cookie set by `set_language`). The browser's Accept-Language is not consulted: officers on a
    browser or phone set to English would otherwise get an English interface they never asked for."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _normalized(params: QueryDict) -> QueryDict:
    """`params` with every key and value in NFC (core.text.normalize); the same object when nothing
    changes, so an ordinary request copies nothing."""
    if all(is_normal(k) and all(is_normal(v) for v in values) for k, values in params.lists()):
        return params
    copy = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        copy.setlist(normalize(key), [normalize(v) for v in values])
    copy._mutable = False
    return copy


class TextNormalizationMiddleware:
    """Every text a user sends — query string and form fields, search queries included — reaches the
    views in NFC with Ð mapped to Đ (core.text.normalize), so that what is stored, searched and printed
    has one form. The form body is normalised when a view first reads it, never earlier: reading it
    here would parse uploads before the view's own upload limits (core.uploads.limit_upload_size) are
    in place. Uploaded files are not touched (their cells are normalised when read: core.uploads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _normalized(request.GET)
        load = request._load_post_and_files

        def load_and_normalize():
            load()
            if hasattr(request, "_post"):
                request._post = _normalized(request._post)

        request._load_post_and_files = load_and_normalize
        return self.get_response(request)
