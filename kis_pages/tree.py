"""Arithmetic on Wagtail's materialised tree paths: a page's ancestors without a query.

A page's path is its ancestors' paths followed by a step of its own, so the paths of all
its ancestors are the prefixes of its own, one step at a time.
"""

from wagtail.models import Page


def ancestor_paths(path):
    """The tree paths of the page at `path` and of every page above it, root first."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def parent_path(path):
    """The tree path of the parent of the page at `path`."""
    return path[: -Page.steplen]
