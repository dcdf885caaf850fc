"""Response headers that harden every page in the browser."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and the Permissions-Policy of the settings to every
    response that does not set its own. The policy allows scripts, styles, images and fetches
    from this site only: no inline script, no inline style attribute, nothing from outside."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
