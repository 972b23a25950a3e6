"""A paginator that reads a page of a list and the list's length in one query, built and
compiled once per process for each page of the list.

Django's Paginator counts the list, then reads the page. Here the count is a window over
the whole list (COUNT(*) OVER ()), which the database takes before the page's LIMIT, so
each row of the page carries it. Only a page past the end, which has no row to carry it,
costs Django's two queries (and then shows the last page, as Paginator.get_page does).

The list is given as a function that builds its queryset and a key naming every value its
SQL depends on (kis_pages/prepared.py): profiled without caches, building and compiling the
announcements' query took longer than the database took to answer it.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

from .prepared import run_prepared

TOTAL = "paginator_total"


class OneQueryPaginator(Paginator):
    """Paginator.get_page with the count read beside the rows, of the queryset of `model`
    that `build()` returns."""

    def __init__(self, model, key, build, per_page):
        super().__init__(None, per_page)
        self.model, self.key, self.build = model, key, build

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        stop = start + self.per_page

        def page_with_total():
            return self.build().annotate(**{TOTAL: Window(Count("pk"))})[start:stop]

        rows = run_prepared(self.model, (*self.key, start, stop), page_with_total)
        if not rows and number > 1:
            self.object_list = self.build()
            return super().get_page(number)
        self.count = getattr(rows[0], TOTAL) if rows else 0  # Paginator.count is cached
        return self._get_page(rows, number, self)
