"""Middleware of the example site."""

from django.core.exceptions import BadRequest


class RefuseNulInQueryMiddleware:
    """Answers 400 to a query string holding a NUL character, which no address here needs.

    PostgreSQL cannot compare text with NUL and SQLite's full-text search cannot parse it,
    so Wagtail's page APIs would answer `?search=`, `?site=`, `?locale=` or `?html_path=`
    with NUL in it with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequest("NUL in the query string")
        return self.get_response(request)
