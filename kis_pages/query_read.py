"""Which query parameters a page read while it was served, for the page cache to key on.

A page calls `read_query` with each parameter it used and the value it used of it; the
cache keeps a page only when the request's query string holds exactly those
(kis_pages/page_cache.py). Its own module, so that page models can call it without loading
the cache's middleware and Wagtail's views.
"""

QUERY_READ_ATTR = "_kis_query_read"  # parameter -> the value the page used


def read_query(request, **values):
    """Tell the page cache which query parameters the page read and the value it used of
    each; call it while serving the page. Without it the page is kept only without a query."""
    setattr(request, QUERY_READ_ATTR, {name: str(value) for name, value in values.items()})


def read_whole_query(request):
    """Every parameter of the query string is one the page read, once, with the value it used."""
    read = getattr(request, QUERY_READ_ATTR, {})
    return all(values == [read.get(name)] for name, values in request.GET.lists())
