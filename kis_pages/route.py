"""Routing through a club's tree with one query per level where Wagtail makes two.

Wagtail reads the child a URL names as a plain page, then again as its own type. A page
type of ours knows which types its children may be (`subpage_types`), so it reads the
child with its own type's row joined in. A child of another type (a host's, or one made
before the rules changed) is read Wagtail's way.
"""

from functools import partial

from django.http import Http404
from wagtail.models import Page

from .prepared import run_prepared


def _joined_types(page_class):
    """{page type: the name to join it by} for the types allowed under `page_class` whose
    row joins straight onto Page's."""
    return {
        model: model._meta.model_name
        for model in page_class.allowed_subpage_models()
        if list(model._meta.parents) == [Page]
    }


def _child(parent, joined, slug):
    """The child of `parent` with `slug`, with the types in `joined` joined in. Limited, as
    `.get()` is: without a LIMIT, PostgreSQL estimates the outer joins of a table never
    analysed (a fresh site) at billions of rows, and compiles the plan (JIT) for a second."""
    return parent.get_children().select_related(*joined.values()).filter(slug=slug)[:1]


class OneQueryRouteMixin:
    """Serve a child with one query: Page.route's behaviour, the child read with its type."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        child_slug, *remaining = path_components
        joined = _joined_types(type(self))
        # Built and compiled once per process for this parent and slug (kis_pages/prepared.py).
        key = ("route", type(self), self.pk, self.path, self.depth, child_slug)
        found = run_prepared(Page, key, partial(_child, self, joined, child_slug))
        if not found:
            raise Http404
        child = found[0]  # a slug is unique among siblings
        child._cached_parent_obj = self  # as Page.route: the parent without a query
        name = joined.get(child.specific_class)
        specific = getattr(child, name) if name else child.specific
        specific._cached_parent_obj = self
        return specific.route(request, remaining)
