"""Wagtail's APIs for headless use: v2 (pages, images, documents) and v3 with our enquiry router.

v3's OpenAPI document is corrected here to describe what the server sends (see
`described_as_served`); the enquiry router documents its own answers.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig, ValidationError
from django.utils.text import capfirst
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, parse_boolean
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.api import api as api_v3
from wagtail.api.v3.errors import ProblemDetail
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from kis_forms.intake.api import body_too_large
from kis_forms.intake.api import router as enquiries_router
from kis_forms.statistics.api import router as statistics_router
from kis_pages.models import AnnouncementPage
from kis_pages.preview_api import PagePreviewAPIViewSet


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filter; a value its field cannot hold (`?as_of=xyz`) is a 400, not a 500."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as error:
            raise BadRequestError(f"field filter error. {' '.join(error.messages)}") from error


class AnnouncementDateFilter(BaseFilterBackend):
    """`?current=true|false` and `?banner=true|false` on announcements: the queryset methods
    the club's pages use (`AnnouncementQuerySet.current()`, `.banner()`), or all but those."""

    PARAMETERS = ("current", "banner")

    def filter_queryset(self, request, queryset, view):
        for name in self.PARAMETERS:
            if name not in request.GET:
                continue
            if queryset.model is not AnnouncementPage:
                raise BadRequestError(f"{name} filter needs type={AnnouncementPage._meta.label}")
            try:
                wanted = parse_boolean(request.GET[name])
            except ValueError as error:
                raise BadRequestError(f"{name} filter error. {error}") from error
            matching = getattr(queryset, name)()
            queryset = matching if wanted else queryset.exclude(pk__in=matching.values("pk"))
        return queryset


class CheckedPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's v2 pages endpoint, its field filter checked, announcements filtered by date."""

    filter_backends = [
        AnnouncementDateFilter,
        *(
            CheckedFieldsFilter if backend is FieldsFilter else backend
            for backend in PagesAPIViewSet.filter_backends
        ),
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        AnnouncementDateFilter.PARAMETERS
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
# The draft an editor previews, for the front end at HEADLESS_PREVIEW_URL (settings/base.py).
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

# Routers must join v3 before its URLs are first read.
api_v3.add_router("/enquiries/", enquiries_router)
api_v3.add_router("/statistics/", statistics_router)
# Wagtail's own v3 operations answer an oversized body as the enquiry endpoint does.
api_v3.add_exception_handler(RequestDataTooBig, body_too_large)


PROBLEM_JSON = "application/problem+json"
PROBLEM = {"$ref": "#/components/schemas/ProblemDetail"}
LOGIN_ERRORS = {
    "401": "No valid API token (`Authorization: Bearer …`): this operation needs one.",
    "403": "The token's user may not do this.",
}
NOT_FOUND = (
    "Nothing with this id or path, or nothing the caller may see; or a filter names a page, "
    "site or locale that does not exist."
)
INPUT_ERRORS = {
    "400": (
        "A whole number in the query string beyond what a 64-bit database integer holds, a "
        "`limit` above its maximum, a body that is not JSON, or rich text in a format that "
        "cannot be read."
    ),
    "422": "A parameter or the body is not valid: `errors` lists each, with its `loc`.",
}
FOUND = {
    "description": "Found: `Location` is its detail address, with the other parameters.",
    "headers": {"Location": {"schema": {"type": "string"}}},
}
TOO_LARGE = "The body is larger than the site's DATA_UPLOAD_MAX_MEMORY_SIZE."


def described_as_served(document):
    """v3's OpenAPI document, corrected where Wagtail's operations describe it wrongly.

    Wagtail 8 names anonymous access as an `http` security scheme without the required
    `scheme` (the document does not validate), documents only each operation's success,
    leaves `limit`'s maximum and the finds' redirect out, and django-ninja title-cases the
    field labels ("Numer W Rejestrze Wojewody"). A correction never touches an answer an operation
    documents itself, as the enquiry router does.
    """
    schemas = document["components"]["schemas"]
    schemas.setdefault("ProblemDetail", ProblemDetail.model_json_schema())
    anonymous = document["components"]["securitySchemes"].pop("AllowAnonymous", None)
    for operations in document["paths"].values():
        for operation in operations.values():
            if anonymous is not None and "security" in operation:
                operation["security"] = [
                    {} if requirement == {"AllowAnonymous": []} else requirement
                    for requirement in operation["security"]
                ]
            document_limit(operation)
            if operation["operationId"].endswith("_find"):
                operation["responses"].setdefault("302", FOUND)
            for status, description in errors_of(operation).items():
                operation["responses"].setdefault(
                    status,
                    {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM}}},
                )
    labels_as_titles(schemas)
    return document


def errors_of(operation):
    """The errors Wagtail's and django-ninja's handlers answer this operation with."""
    errors = {}
    if operation.get("parameters") or "requestBody" in operation:
        errors.update(INPUT_ERRORS)
    if "requestBody" in operation:
        errors["413"] = TOO_LARGE
    if operation.get("parameters"):  # an id in the path, or a filter's page, site or locale
        errors["404"] = NOT_FOUND
    if "security" in operation and {} not in operation["security"]:
        errors.update(LOGIN_ERRORS)
    return errors


def document_limit(operation):
    """`limit` has the maximum WAGTAILAPI_LIMIT_MAX sets (above it Wagtail answers 400)."""
    largest = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter["name"] == "limit" and largest is not None:
            parameter["schema"]["maximum"] = largest


def labels_as_titles(schemas):
    """Each model field's title is its label as the admin shows it, not title-cased."""
    models = {}
    for model in apps.get_models():
        models.setdefault(model._meta.object_name, []).append(model)
    for name, schema in schemas.items():
        base = name.removesuffix("Schema").removesuffix("Create").removesuffix("Patch")
        if len(models.get(base, ())) != 1:
            continue
        (model,) = models[base]
        for field_name, prop in schema.get("properties", {}).items():
            try:
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                continue
            if "title" in prop and getattr(field, "verbose_name", None):
                prop["title"] = capfirst(field.verbose_name)


def openapi_schema(*, path_prefix=None, path_params=None):
    """v3's `get_openapi_schema`, its answer `described_as_served`."""
    return described_as_served(
        wagtail_openapi_schema(path_prefix=path_prefix, path_params=path_params)
    )


wagtail_openapi_schema = api_v3.get_openapi_schema
api_v3.get_openapi_schema = openapi_schema
