"""Routing through a club's tree with one query per level where Wagtail makes two.

Wagtail reads the child a URL names as a plain page, then again as its own type. A page
type of ours knows which types its children may be (`subpage_types`), so it reads the
child with its own type's row joined in. A child of another type (a host's, or one made
before the rules changed) is read Wagtail's way.
"""

from django.http import Http404
from wagtail.models import Page


def _joined_types(page_class):
    """{page type: the name to join it by} for the types allowed under `page_class` whose
    row joins straight onto Page's."""
    return {
        model: model._meta.model_name
        for model in page_class.allowed_subpage_models()
        if list(model._meta.parents) == [Page]
    }


class OneQueryRouteMixin:
    """Serve a child with one query: Page.route's behaviour, the child read with its type."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        child_slug, *remaining = path_components
        joined = _joined_types(type(self))
        try:
            child = self.get_children().select_related(*joined.values()).get(slug=child_slug)
        except Page.DoesNotExist as error:
            raise Http404 from error
        child._cached_parent_obj = self  # as Page.route: the parent without a query
        name = joined.get(child.specific_class)
        specific = getattr(child, name) if name else child.specific
        specific._cached_parent_obj = self
        return specific.route(request, remaining)
