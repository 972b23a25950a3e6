"""Middleware of the example site."""

from django.core.exceptions import BadRequest
from django.utils.deprecation import MiddlewareMixin


class RefuseNulInQueryMiddleware(MiddlewareMixin):
    """Answers 400 to a query string holding a NUL character, which no address here needs.

    PostgreSQL cannot compare text with NUL and SQLite's full-text search cannot parse it,
    so Wagtail's page APIs would answer `?search=`, `?site=`, `?locale=` or `?html_path=`
    with NUL in it with a server error.

    It refuses just before the view, so that the 400 goes back out through every
    middleware, the later ones too (the Content Security Policy, X-Frame-Options), like any
    other response.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequest("NUL in the query string")
