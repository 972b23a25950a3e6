"""The RSS feed of a club's current announcements."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext as _

FEED_LENGTH = 20


class AnnouncementFeed(Feed):
    """RSS 2.0 of one announcement list; built per request for that list."""

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        club = self.index_page.get_parent()
        return _("%(club)s: announcements") % {"club": club.title}

    def link(self):
        return self.index_page.get_url(request=self.request)

    def description(self):
        return self.index_page.search_description or self.title()

    def items(self):
        return self.index_page.current_announcements()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        midnight = datetime.datetime.combine(item.date, datetime.time())
        return timezone.make_aware(midnight)
