"""StreamField blocks for the club's pages: headings, paragraphs, lists and links."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline in order."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        help_text=_("Use h2 for a section of the page and h3 for a part of that section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"


class ListBlock(blocks.StructBlock):
    """A bulleted or numbered list with an optional lead-in sentence."""

    title = blocks.CharBlock(
        label=_("Lead-in"),
        required=False,
        max_length=300,
        help_text=_("Optional sentence before the list, e.g. 'Support groups work on:'."),
    )
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item"), max_length=1000), label=_("Items"))
    numbered = blocks.BooleanBlock(
        label=_("Numbered list"),
        required=False,
        help_text=_("Tick when the order matters, e.g. steps to follow."),
    )

    class Meta:
        icon = "list-ul"
        label = _("List")
        template = "blocks/list_block.html"


class LinkBlock(blocks.StructBlock):
    """A link to another page or site with a text that says where it leads."""

    text = blocks.CharBlock(label=_("Link text"), max_length=200)
    url = blocks.URLBlock(label=_("Address (URL)"))

    class Meta:
        icon = "link"
        label = _("Link")


class LinkListBlock(blocks.StructBlock):
    """A titled list of useful links."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"))

    class Meta:
        icon = "link"
        label = _("Useful links")
        template = "blocks/link_list_block.html"


class BodyBlock(blocks.StreamBlock):
    """The body of a page: headings, paragraphs, lists and links."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=PARAGRAPH_FEATURES, icon="pilcrow"
    )
    list = ListBlock()
    links = LinkListBlock()

    class Meta:
        label = _("Content")


WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]


class OpeningHoursBlock(blocks.StructBlock):
    """Opening hours of one weekday, or the day closed to clients."""

    day = blocks.ChoiceBlock(label=_("Day"), choices=WEEKDAYS)
    closed = blocks.BooleanBlock(
        label=_("Closed to clients"),
        required=False,
        help_text=_("Tick for the day without client service; leave the hours empty."),
    )
    opens = blocks.TimeBlock(label=_("Opens"), required=False)
    closes = blocks.TimeBlock(label=_("Closes"), required=False)
    note = blocks.CharBlock(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("E.g. 'obsługa klientów do 14:00'."),
    )

    class Meta:
        icon = "time"
        label = _("Opening hours of a day")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value["closed"]:
            for name in ("opens", "closes"):
                if value[name] is None:
                    errors[name] = ValidationError(_("Give the hour, or tick 'closed'."))
            if not errors and value["opens"] >= value["closes"]:
                errors["closes"] = ValidationError(_("Closing must come after opening."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value
