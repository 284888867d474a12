"""Kernel middlewares: the content security policy and the interface language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
