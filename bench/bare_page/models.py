"""The smallest Wagtail page type: Page's own fields and a template that shows the title."""

from wagtail.models import Page


class BarePage(Page):
    """Served by Wagtail's routing and serve() alone."""
