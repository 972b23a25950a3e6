"""StreamField blocks of the club's pages: body, opening hours, accessibility, easy read."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

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
        template = "kis_pages/blocks/heading_block.html"


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
        template = "kis_pages/blocks/list_block.html"


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
        template = "kis_pages/blocks/link_list_block.html"


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


def weekday_label(code):
    """The name of a weekday of WEEKDAYS in the active language, e.g. 'mon' -> 'poniedziałek'."""
    return str(dict(WEEKDAYS).get(code, code))


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


class InaccessibleContentValue(blocks.StructValue):
    """An inaccessible item, with the label of its kind of reason for templates."""

    def reason_kind_label(self):
        return dict(InaccessibleContentBlock.REASON_KINDS).get(self["reason_kind"], "")


class InaccessibleContentBlock(blocks.StructBlock):
    """A part of the site that is not accessible, why, and how to get it another way."""

    NON_COMPLIANCE = "non_compliance"
    EXEMPTION = "exemption"
    EXCESSIVE_BURDEN = "excessive_burden"
    REASON_KINDS = [
        (NON_COMPLIANCE, _("non-compliance with the act")),
        (EXEMPTION, _("exempt from the act")),
        (EXCESSIVE_BURDEN, _("excessive burden")),
    ]

    content = blocks.TextBlock(
        label=_("Content"),
        help_text=_("What cannot be used, e.g. 'skany dawnych ogłoszeń zamieszczone jako PDF'."),
    )
    reason_kind = blocks.ChoiceBlock(
        label=_("Kind of reason"),
        choices=REASON_KINDS,
        help_text=_(
            "An excessive burden needs the analysis of that burden, linked in the field below "
            "the list."
        ),
    )
    reason = blocks.TextBlock(
        label=_("Reason"),
        help_text=_("Which requirement it fails, or which exemption of the act applies."),
    )
    alternative = blocks.TextBlock(
        label=_("Alternative access"),
        required=False,
        help_text=_("How a person gets the same information, e.g. 'we read it out by phone'."),
    )

    class Meta:
        icon = "warning"
        label = _("Inaccessible item")
        value_class = InaccessibleContentValue

    def get_api_representation(self, value, context=None):
        """The item's fields and, beside the reason's code, its label as the page shows it."""
        representation = super().get_api_representation(value, context)
        representation["reason_kind_label"] = str(value.reason_kind_label())
        return representation


class EasyReadTextBlock(blocks.StructBlock):
    """A short easy-to-read text with an optional picture beside it."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=120,
        help_text=_("A few words, e.g. 'Kto może przyjść do Klubu'."),
    )
    text = blocks.TextBlock(
        label=_("Text"),
        help_text=_(
            "Short sentences, one thought each, speaking to the reader as 'you'. "
            "Start each sentence on a new line."
        ),
    )
    image = ImageChooserBlock(
        label=_("Picture"),
        required=False,
        help_text=_("A simple picture that shows what the text says."),
    )
    alt_text = blocks.CharBlock(
        label=_("Picture description"),
        required=False,
        max_length=250,
        help_text=_("Required with a picture: what it shows, for people who cannot see it."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Easy-to-read text")
        template = "kis_pages/blocks/easy_read_text_block.html"

    def clean(self, value):
        value = super().clean(value)
        if value["image"] and not value["alt_text"].strip():
            message = _("Describe the picture for people who cannot see it.")
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(message)}
            )
        return value

    def plain_text(self, value):
        """The heading and the text, as they go into the downloadable text file."""
        return "\n".join(part for part in (value["heading"], value["text"].strip()) if part)


class SignLanguageVideoBlock(blocks.StructBlock):
    """A recording in Polish sign language (PJM), linked, with what it says as text."""

    title = blocks.CharBlock(
        label=_("Title"),
        max_length=120,
        help_text=_("E.g. 'Informacja o Klubie w polskim języku migowym'."),
    )
    video_url = blocks.URLBlock(
        label=_("Address of the recording"),
        help_text=_("A link to the PJM recording, e.g. on the centre's video channel."),
    )
    transcript = blocks.TextBlock(
        label=_("Transcript"),
        help_text=_("Everything the recording says, as text, for people who cannot watch it."),
    )

    class Meta:
        icon = "media"
        label = _("Recording in Polish sign language")
        template = "kis_pages/blocks/sign_language_video_block.html"


class EasyReadBlock(blocks.StreamBlock):
    """The easy-to-read page: texts with pictures and recordings in sign language."""

    text = EasyReadTextBlock()
    sign_language_video = SignLanguageVideoBlock()

    class Meta:
        label = _("Easy-to-read content")
