"""The club in easy-to-read text (ETR) and Polish sign language, with a text file of the same."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import EasyReadBlock
from ..preview import HeadlessPreviewMixin


class EasyReadPage(HeadlessPreviewMixin, RoutablePageMixin, Page):
    """What the club does, for whom and how to join: easy to read, in PJM, and as a text file.

    The text file at tekst/ is built from the text blocks, so it always says what the page says.
    """

    body = StreamField(
        EasyReadBlock(),
        verbose_name=_("content"),
        help_text=_(
            "What the club does, who may come, how to join and how to get in touch, in short "
            "easy-to-read texts; and a recording in Polish sign language with its transcript."
        ),
    )

    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]
    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("easy-to-read page")
        verbose_name_plural = _("easy-to-read pages")

    def plain_text(self):
        """The title and every text block, in order, as the downloadable text file says them."""
        parts = [self.title]
        for block in self.body:
            if block.block_type == "text":
                parts.append(block.block.plain_text(block.value))
        return "\n\n".join(parts) + "\n"

    def text_file_name(self):
        return f"{self.slug}.txt"

    @path("tekst/", name="text_file")
    def text_file(self, request):
        """The page's text as a UTF-8 plain text file to download."""
        response = HttpResponse(self.plain_text(), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=self.text_file_name()
        )
        return response
