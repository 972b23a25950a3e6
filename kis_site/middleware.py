"""Middleware of the example site."""

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.deprecation import MiddlewareMixin
from wagtail.api.v3.errors import problem_response

# What a 64-bit signed integer holds: PostgreSQL's bigint, SQLite's INTEGER.
SMALLEST, LARGEST = -(2**63), 2**63 - 1
TEXT_PARAMETERS = {"search"}


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
        from .api import api_v3  # the APIs' modules need the apps loaded

        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                if request.resolver_match.namespaces[:1] == [api_v3.urls_namespace]:
                    # v3's document promises problem+json for every 400.
                    return problem_response(status=400, detail="NUL in the query string")
                raise BadRequest("NUL in the query string")
        return None


class RefuseOutOfRangeNumbersInApiMiddleware(MiddlewareMixin):
    """Answers 400 to an API query holding a whole number that no database integer holds.

    Wagtail's APIs v2 and v3 hand `offset`, `limit` and the filters by id to the database as
    they come, and the database answers 2**63 and beyond with an error (SQLite: "datatype
    mismatch", PostgreSQL: "bigint out of range"): a server error, whose message v3 shows
    under DEBUG. `search` is text, so any number may be searched for.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .api import api_router, api_v3  # the APIs' modules need the apps loaded

        namespace = request.resolver_match.namespaces[:1]
        if namespace not in ([api_router.url_namespace], [api_v3.urls_namespace]):
            return None
        for name, values in request.GET.lists():
            if name not in TEXT_PARAMETERS and any(map(out_of_range, values)):
                detail = f"{name} must be between {SMALLEST} and {LARGEST}"
                if namespace == [api_v3.urls_namespace]:
                    return problem_response(status=400, detail=detail)
                return JsonResponse({"message": detail}, status=400)
        return None


def out_of_range(value):
    """A whole number, as Python and Wagtail read one, that no database integer holds."""
    try:
        number = int(value)
    except ValueError:
        return False  # not a number: the API answers that itself
    return not SMALLEST <= number <= LARGEST
