"""A front end on another origin can build every club page from the API alone.

For every live page of both demo clubs, each text node a resident sees in the HTML page's
`<body>`, its whitespace collapsed, must be found in what the API gives a front end for
that page. The body is the header with the menu, the crisis banner, `<main>` and the
footer, and the skip link (the theme's own text, so it passes); not `<script>`, `<style>`,
nor attributes such as `alt` or `aria-label`. What the API gives for the page:

- v2's detail of the page with `?fields=*`, and the live pages below it, type by type
  (`?descendant_of=<page>&type=<type>&fields=*`, every page of the listing): an index
  page lists its children, the club's home its activities and announcements;
- the club page's detail, `club_settings` and `contact`, for the header and footer;
- the header's menu, `?child_of=<club>&show_in_menus=true`, and the crisis banner: the
  club's announcements (`?descendant_of=<club>&type=kis_pages.AnnouncementPage`) whose
  `is_banner` is true.

Every string and whole number of those answers is a value; a rich-text value (HTML)
counts also by its text nodes. A text node is found when it is part of a value.

Not content, and so not looked for: the texts the theme writes itself, i.e. the Polish of
a msgid of the apps' catalogues (kis_pages, kis_forms), taken as text nodes when it holds
markup. A msgid with placeholders ("%(amount)s zł") is a pattern, and what fills each
placeholder must be found like any other text; a text node may be several of them in a row
with separators between ("2 grupy, 11–12 osób"). The exceptions, each with its reason:

- a text node with no letter or digit (the "·" and "–" between values): it carries no
  content;
- a catalogue text with a capital first letter (a choice's label starting a line, through
  `capfirst`): the API gives the label, and the capital is presentation.

Where the HTML shows a value formatted (a date, an amount in złoty, a phone number), the
API gives the formatted text beside the raw value (`*_display`), made by the code the
templates use (kis_pages/formats.py, the model's `phone_display`), and v3 gives the same.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.utils.translation import override
from wagtail.models import Site

from kis_pages.models import AccessibilityStatementPage, AnnouncementPage, WorkplaceListPage

from .catalogues import PO_FILES, read_po_entries, translations

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
SEPARATED_REST = r"(?:[\s,;:·–]+(.+))?"
UNSPOKEN_ELEMENTS = {"script", "style", "template"}
API_LIMIT = 20
# The formatted values the pages print that the API gives for this test, by page type.
DISPLAY_FIELDS = {
    AnnouncementPage: {"date_display", "valid_from_display", "valid_until_display"},
    WorkplaceListPage: {"as_of_display", "hourly_rate_display"},
    AccessibilityStatementPage: {"contact_phone_display", "contact_phone_href"},
}


def normalise(text):
    return " ".join(text.split())


class TextNodes(HTMLParser):
    """The text nodes of an HTML page's or fragment's body, whitespace-normalised."""

    def __init__(self, html, whole=False):
        super().__init__(convert_charrefs=True)
        self.texts, self._open, self._in_body = [], [], whole
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._in_body = self._in_body or tag == "body"
        self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data):
        unspoken = UNSPOKEN_ELEMENTS.intersection(self._open)
        if self._in_body and not unspoken and normalise(data):
            self.texts.append(normalise(data))


def _literal(piece):
    """A regex for a piece of a msgid between placeholders; a space at its end may be gone."""
    core = re.escape(piece.strip())
    return (r"\s?" if piece[:1].isspace() else "") + core + (r"\s?" if piece[-1:].isspace() else "")


def theme_texts():
    """The Polish of every msgid of the apps' catalogues, as text nodes: a set of exact texts,
    and a regex for each with placeholders, a group for each placeholder and one for what may
    follow it after a separator."""
    exact, patterns = set(), set()
    for app in ("kis_pages", "kis_forms"):
        for entry in read_po_entries(PO_FILES[app]):
            for translation in translations(entry):
                for text in TextNodes(translation, whole=True).texts:
                    exact.add(text)
                    if PLACEHOLDER.search(text) and PLACEHOLDER.sub("", text).strip():
                        pieces = map(_literal, PLACEHOLDER.split(text))
                        patterns.add("(.*?)".join(pieces) + SEPARATED_REST)
    return exact, [re.compile(pattern, re.DOTALL) for pattern in sorted(patterns)]


def explained(text, theme, found):
    """Whether `text` holds nothing but values that `found` finds and the theme's texts, one
    after another with separators between them.

    "2 grupy, 11–12 osób" is "%(counter)s grupy" and "%(smallest)s–%(counter)s osób", and is
    explained when "2", "11" and "12" are found."""
    exact, patterns = theme
    if found(text) or text in exact or text[:1].lower() + text[1:] in exact:
        return True  # the last: a label starting a line, capitalised by capfirst
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if match:
            *values, rest = match.groups()
            if all(found(value) for value in values if value) and (
                not rest or explained(rest, theme, found)
            ):
                return True
    return False


def api_values(data):
    """Every string and whole number in an API answer; rich text also as its text nodes."""
    if isinstance(data, dict):
        return [value for item in data.values() for value in api_values(item)]
    if isinstance(data, list):
        return [value for item in data for value in api_values(item)]
    if isinstance(data, bool) or data is None:
        return []
    if isinstance(data, int):
        return [str(data)]
    if isinstance(data, str):
        values = [normalise(data)]
        if "<" in data:
            values += TextNodes(data, whole=True).texts
        return values
    return []


def get_json(client, path):
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.json()


def listing(client, query):
    """All items of a v2 pages listing, page after page."""
    items, offset = [], 0
    while True:
        data = get_json(client, f"/api/v2/pages/?{query}&limit={API_LIMIT}&offset={offset}")
        items += data["items"]
        offset += API_LIMIT
        if offset >= data["meta"]["total_count"]:
            return items


def club_answers(client, club):
    """What a front end asks the API for the header and footer of every page of `club`."""
    announcements = listing(
        client, f"descendant_of={club.pk}&type=kis_pages.AnnouncementPage&fields=is_banner,summary"
    )
    return [
        get_json(client, f"/api/v2/pages/{club.pk}/?fields=*"),
        listing(client, f"child_of={club.pk}&show_in_menus=true"),
        [item for item in announcements if item["is_banner"]],
    ]


def page_answers(client, page):
    """What a front end asks the API for the content of `page`: its detail, and the pages
    below it, type by type (an index page lists them)."""
    answers = [get_json(client, f"/api/v2/pages/{page.pk}/?fields=*")]
    below = page.get_descendants().live().values_list("content_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=below):
        page_type = f"{content_type.app_label}.{content_type.model_class().__name__}"
        answers.append(listing(client, f"descendant_of={page.pk}&type={page_type}&fields=*"))
    return answers


def html_only_texts(client, page, values, theme):
    """The text nodes of the page's HTML, or the parts of them, that no API value holds."""
    response = client.get(page.get_url_parts()[2])
    assert response.status_code == 200, page.url_path
    values = "\n".join(values + api_values(page_answers(client, page)))

    def found(text):
        return "\n" not in text and text in values

    missing = []
    for text in TextNodes(response.content.decode()).texts:
        if not re.search(r"\w", text):
            continue
        if not explained(text, theme, found):
            missing.append(text)
    return missing


def assert_v3_gives_the_display_fields(client, page):
    """API v3's detail of the page has the formatted values v2 gives, with the same text."""
    fields = DISPLAY_FIELDS[type(page)]
    v2 = get_json(client, f"/api/v2/pages/{page.pk}/?fields=*")
    v3 = get_json(client, f"/api/v3/pages/{page.pk}/")
    assert {name: v3.get(name, "(missing)") for name in fields} == {
        name: v2[name] for name in fields
    }


def test_every_text_of_every_club_page_can_be_found_in_the_api():
    cache.clear()  # the Sites' root paths and pages that earlier tests left in the cache
    theme = theme_texts()
    found, checked, one_of_each = {}, 0, {}
    with override("pl"):
        for site in Site.objects.select_related("root_page"):
            client = Client(HTTP_HOST=site.hostname)
            club = site.root_page.specific
            club_values = api_values(club_answers(client, club))
            for page in site.root_page.get_descendants(inclusive=True).live().specific():
                checked += 1
                missing = html_only_texts(client, page, club_values, theme)
                if missing:
                    found[f"{site.hostname}{page.url_path} ({type(page).__name__})"] = missing
                one_of_each.setdefault(type(page), (client, page))
    assert checked > 20
    report = "\n".join(
        f"{where}:\n" + "\n".join(f"    {json.dumps(text, ensure_ascii=False)}" for text in texts)
        for where, texts in found.items()
    )
    assert not found, "Texts only the HTML has:\n" + report
    for page_type in DISPLAY_FIELDS:
        assert_v3_gives_the_display_fields(*one_of_each[page_type])
