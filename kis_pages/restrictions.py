"""Which pages a public list may show: none that a view restriction holds back.

A list shows titles and summaries, so it leaves out every page under a password, login or
group restriction. The restrictions on the list's own page and above it are left aside: whoever
sees the list has passed them, so a club restricted as a whole still lists its pages to those
who may view it, and every visitor of one page sees the same list (the page and fragment caches
rely on that).
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from .tree import descendants_q


def unrestricted_below(queryset, page):
    """The pages of `queryset` that no view restriction set below `page` holds back.

    A restriction holds back its page and every page under it. This is one condition of the
    list's own query; Wagtail's `.public()` reads the restrictions with a query of its own.
    """
    holding_back = PageViewRestriction.objects.filter(
        descendants_q(page, path_field="page__path"),
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    return queryset.filter(~Exists(holding_back))
