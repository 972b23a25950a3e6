"""A paginator that reads a page of a list and the list's length in one query.

Django's Paginator counts the list, then reads the page. Here the count is a window over
the whole list (COUNT(*) OVER ()), which the database takes before the page's LIMIT, so
each row of the page carries it. Only a page past the end, which has no row to carry it,
costs Django's two queries (and then shows the last page, as Paginator.get_page does).
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "paginator_total"


class OneQueryPaginator(Paginator):
    """Paginator.get_page with the count read beside the rows; a queryset list only."""

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        counted = self.object_list.annotate(**{TOTAL: Window(Count("pk"))})
        rows = list(counted[start : start + self.per_page])
        if not rows and number > 1:
            return super().get_page(number)
        self.count = getattr(rows[0], TOTAL) if rows else 0  # Paginator.count is cached
        return self._get_page(rows, number, self)
