"""Queries that a process builds alike for many requests, built and compiled once.

Profiled with both caches off on SQLite, the ORM's building (filters, subqueries,
annotations) and compiling of the one query that reads a club's menu, banner and home lists
took 4 to 6 ms of CPU a request, more than Wagtail's serving of a whole bare page (5 ms),
while the database ran it in 0.3 to 0.5 ms. The query's text and parameters are the same for
every request that asks with the same values (the club's place in the tree, the day), so the
process keeps the compiled query under those values, and a request only runs it and reads
its rows with the ORM's own row reading (joined types, deferred fields, annotations).

Kept on the database connection (each thread has its own), at most MAX_KEPT queries, the
one used least recently dropped first; what is kept is SQL, never rows, so nothing can go
stale, and no other process needs it. A kept query holds its compiler, measured at about
60 KiB for a route's and 190 KiB for the club pages' with the home's lists: at most some
25 MB a connection, far less for a site of a few clubs. A query dropped is built again when
next asked for, as it was on every request before.
"""

from django.db import connections, router
from django.db.models.query import ModelIterable

MAX_KEPT = 128
KEPT_ATTR = "_kis_prepared_queries"


def run_prepared(model, key, build):
    """The rows of the queryset of `model` that `build()` returns, as a list: built and
    compiled the first time this connection is asked for `key`, which must name every value
    the query's SQL depends on."""
    connection = connections[router.db_for_read(model)]
    kept = getattr(connection, KEPT_ATTR, None)
    if kept is None:
        kept = {}
        setattr(connection, KEPT_ATTR, kept)
    queryset = kept.pop(key, None)  # put back last: the dict is in order of use
    if queryset is None:
        queryset = _compiled_once(build().using(connection.alias))
        while len(kept) >= MAX_KEPT:
            del kept[next(iter(kept))]
    kept[key] = queryset
    return list(ModelIterable(queryset))


def _compiled_once(queryset):
    """`queryset`, whose rows the ORM reads with one compiler made now and kept with it."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiled = compiler.as_sql()  # sets up too what reading the rows takes from the compiler
    compiler.as_sql = lambda *args, **kwargs: compiled
    # The converters of the columns (dates, booleans, JSON) depend on the columns alone, which
    # are fixed now; Django looks them up again on every run, column by column.
    converters = []
    find_converters = compiler.get_converters

    def get_converters(expressions):
        if not converters:
            converters.append(find_converters(expressions))
        return converters[0]

    compiler.get_converters = get_converters
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return queryset
