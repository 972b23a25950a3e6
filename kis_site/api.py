"""Wagtail's APIs for headless use: v2 (pages, images, documents) and v3 with our enquiry router."""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.utils.translation import gettext as _
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, parse_boolean
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.api import api as api_v3
from wagtail.api.v3.errors import problem_response
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from kis_forms.api import router as enquiries_router
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


def body_too_large(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 in v3's problem+json.

    Without it v3's catch-all answered 500 under DEBUG, and Django's HTML 400 page otherwise.
    """
    return problem_response(
        status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        detail=_("The request is larger than this site accepts (%(limit)d bytes).")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
# The draft an editor previews, for the front end at HEADLESS_PREVIEW_URL (settings/base.py).
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

# Routers must join v3 before its URLs are first read.
api_v3.add_router("/enquiries/", enquiries_router)
api_v3.add_exception_handler(RequestDataTooBig, body_too_large)
