"""Django's Content Security Policy (6.1+), left off the paths that cannot follow it."""

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware


class ContentSecurityPolicyMiddleware(DjangoCSPMiddleware):
    """Send settings.SECURE_CSP except under settings.KIS_CSP_EXCLUDED_URL_PREFIXES.

    Wagtail's admin runs inline scripts and styles and its views cannot be decorated with
    `csp_override`, so this gives its responses the empty policy that decorator would.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(tuple(settings.KIS_CSP_EXCLUDED_URL_PREFIXES)):
            response._csp_config = {}
        return super().process_response(request, response)
