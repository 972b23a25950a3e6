"""API v2 endpoint that gives a headless front end the draft an editor previews.

For a host with `wagtail_headless_preview` (see kis_pages/preview.py), registered beside
Wagtail's pages endpoint: `api_router.register_endpoint("page_preview",
PagePreviewAPIViewSet)`. `GET /api/v2/page_preview/?content_type=…&token=…` answers the
page as `/api/v2/pages/<id>/` would, drafted; a token that is wrong, of another page type
or no longer kept is a 404.
"""

from django.http import Http404
from django.urls import path
from wagtail.api.v2.views import PagesAPIViewSet

from .preview import draft_for_token


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """The draft kept under the preview token, in the pages endpoint's shape."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    @classmethod
    def get_urlpatterns(cls):
        # The package's example front end asks `page_preview/<any id>/`; the id is not read.
        view = cls.as_view({"get": "detail_view"})
        return [
            path("", view, name="listing"),
            path("<int:pk>/", view, name="detail"),
        ]

    def detail_view(self, request, pk=None):
        return super().detail_view(request, pk)

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            draft = draft_for_token(
                self.request.GET.get("content_type", ""), self.request.GET.get("token", "")
            )
            if draft is None:
                raise Http404("no such preview")
            if draft.pk is None:  # a page not yet created: the serializer wants an id
                draft.pk = 0
            self._cached_object = draft
        return self._cached_object
