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
