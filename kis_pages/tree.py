"""Arithmetic on Wagtail's materialised tree paths: a page's ancestors without a query.

A page's path is its ancestors' paths followed by a step of its own, so the paths of all
its ancestors are the prefixes of its own, one step at a time.
"""

from collections import defaultdict

from django.db import connections, router
from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
from wagtail.models import Page


def ancestor_paths(path):
    """The tree paths of the page at `path` and of every page above it, root first."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def parent_path(path):
    """The tree path of the parent of the page at `path`."""
    return path[: -Page.steplen]


def subtree_q(paths, path_field="path"):
    """A filter on pages (or on `<relation>__path`): those below any of the tree `paths`.

    One `IN` per depth among `paths`, on the path cut to that depth, not a LIKE per path: a
    regional group's grants on 300 clubs made PostgreSQL test each of the 3,900 pages against
    300 patterns (36 ms, growing with the square of the clubs).
    """
    by_length = defaultdict(list)
    for path in paths:
        by_length[len(path)].append(path)
    scope = Q(pk__in=[])
    for length, same_depth in by_length.items():
        scope |= Q(In(Substr(path_field, 1, length), same_depth))
    return scope


def descendants_q(page, inclusive=False, path_field="path"):
    """A filter on pages (or on `<relation>__path`): those below `page`, and `page` itself
    with `inclusive`; Wagtail's `descendant_of`, with the path's prefix tested each
    database's fastest way.

    SQLite tests a LIKE whose pattern is a bound parameter row by row: the club pages'
    query took 0.28 ms so and 0.07 ms with the path cut to the page's length (`subtree_q`).
    PostgreSQL answers `LIKE 'prefix%'` from Django's varchar_pattern_ops index on the path,
    which the cut path would not use.
    """
    if connections[router.db_for_read(Page)].vendor == "sqlite":
        below = subtree_q([page.path], path_field)
    else:
        below = Q(**{f"{path_field}__startswith": page.path})
    if inclusive:
        return below
    return below & ~Q(**{path_field.removesuffix("path") + "pk": page.pk})


def children_q(page):
    """A filter on pages: the children of `page`, as Wagtail's `child_of`."""
    return descendants_q(page) & Q(depth=page.depth + 1)
