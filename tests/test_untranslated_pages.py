"""No English text is left on any page a resident sees on the Polish site.

Every live page of every club, the second page of each announcement list, each feed, each
enquiry form with errors and with a refusal, its landing page and the 404 page are
rendered. Each element's text and the alt, title, aria-label, placeholder and button value
attributes are compared with two lists of English:

- msgids of our catalogue whose Polish differs from them (a page rendered in English);
- msgids looked up while the page was rendered that no catalogue translates (a string
  missing from django.po, or with an empty msgstr, which the .mo leaves out).
"""

import functools
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own feed
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.template import engines
from django.utils.translation import override
from django.utils.translation.trans_real import CONTEXT_SEPARATOR, DjangoTranslation

from .catalogues import PO_FILES, read_po_entries, translations
from .utils import visit_resident_pages

pytestmark = pytest.mark.django_db

TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
BUTTON_TYPES = {"submit", "button", "reset"}
VOID_ELEMENTS = set("area base br col embed hr img input link meta source track wbr".split())
UNSPOKEN_ELEMENTS = {"script", "style", "template"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def normalise(text):
    """The text without markup, its whitespace collapsed as a browser shows it."""
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


class PageTexts(HTMLParser):
    """The texts of an HTML page a resident reads or hears, and the page's language."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.texts, self.lang, self._open = set(), None, []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        spoken = {name for name in TEXT_ATTRIBUTES if attrs.get(name)}
        if tag == "input" and attrs.get("type") in BUTTON_TYPES:
            spoken.add("value")
        self.texts.update(normalise(attrs.get(name) or "") for name in spoken)
        if tag not in VOID_ELEMENTS:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _pieces in self._open):
            return
        while self._open:
            open_tag, pieces = self._open.pop()
            if open_tag not in UNSPOKEN_ELEMENTS:
                text = "".join(pieces)
                self.texts.add(normalise(text))
                if self._open:
                    self._open[-1][1].append(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open and self._open[-1][0] not in UNSPOKEN_ELEMENTS:
            self._open[-1][1].append(data)
            self.texts.add(normalise(data))


def feed_texts(xml):
    """The text of every element of an RSS feed."""
    root = ET.fromstring(xml)  # noqa: S314 - our own feed
    return {normalise("".join(element.itertext())) for element in root.iter()}


def english_matcher(msgids):
    """A function telling whether a text is one of `msgids`, any placeholder matching any value."""
    exact, patterns = set(), []
    for msgid in map(normalise, msgids):
        if PLACEHOLDER.search(msgid):
            pieces = PLACEHOLDER.split(msgid)
            if re.search("[A-Za-z]{2}", "".join(pieces)):
                patterns.append(".+?".join(map(re.escape, pieces)))
        else:
            exact.add(msgid)
    pattern = re.compile("|".join(patterns) or "(?!)", re.DOTALL)
    return lambda text: text in exact or pattern.fullmatch(text) is not None


@functools.cache
def in_catalogue_english():
    """Tells whether a text is one of our msgids whose Polish differs from it."""
    english = set()
    entries = [entry for po_file in PO_FILES.values() for entry in read_po_entries(po_file)]
    for entry in entries:
        if entry["msgid"] not in translations(entry):
            english.update(entry[key] for key in ("msgid", "msgid_plural") if key in entry)
    return english_matcher(english)


@pytest.fixture
def untranslated_lookups(monkeypatch):
    """Records each msgid that is looked up and that no catalogue translates."""
    missing = set()
    gettext, ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext

    def recording_gettext(self, message):
        if self._catalog.get(message) is None and self._catalog.get((message, 0)) is None:
            missing.add(message.rpartition(CONTEXT_SEPARATOR)[2])
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, number):
        if self._catalog.get((singular, 0)) is None:
            missing.update(text.rpartition(CONTEXT_SEPARATOR)[2] for text in (singular, plural))
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", recording_ngettext)
    return missing


@pytest.fixture
def resident_pages(settings, untranslated_lookups):
    """(what, response, msgids left untranslated while rendering it) of each resident page."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    cache.clear()  # the rate limit's counters
    pages = []

    def fetch(client, what, path, data=None):
        untranslated_lookups.clear()
        response = client.post(path, data) if data is not None else client.get(path)
        pages.append((what, response, set(untranslated_lookups)))

    visit_resident_pages(fetch, feeds=True)
    assert all(r.status_code == 404 for what, r, _ in pages if what.endswith(" 404"))
    return pages


def texts_of(response):
    if response["Content-Type"].startswith("text/html"):
        return PageTexts(response.content.decode()).texts
    return feed_texts(response.content)


def english_texts(texts, untranslated):
    """The texts that are English: in our catalogue with other Polish, or not translated."""
    matchers = in_catalogue_english(), english_matcher(untranslated)
    return sorted(text for text in texts if text and any(match(text) for match in matchers))


def test_no_page_a_resident_sees_shows_english(resident_pages):
    assert len(resident_pages) > 20
    found = {}
    for what, response, untranslated in resident_pages:
        assert response.status_code in (200, 404), f"{what}: {response.status_code}"
        for text in english_texts(texts_of(response), untranslated):
            found.setdefault(text, []).append(what)
    report = [f"“{text}” on {len(where)} page(s), e.g. {where[0]}" for text, where in found.items()]
    assert not found, "English on Polish pages:\n" + "\n".join(report)


def test_every_page_a_resident_sees_is_declared_polish(resident_pages):
    for what, response, _untranslated in resident_pages:
        if response["Content-Type"].startswith("text/html"):
            assert PageTexts(response.content.decode()).lang == "pl", what


def test_the_check_finds_english_whether_in_the_catalogue_or_not(untranslated_lookups):
    template = engines["django"].from_string(
        '{% load i18n %}<div><p title="{% translate "A sentence nobody translated" %}">'
        "Skip to main content</p>"
        "{% blocktranslate with n=3 %}{{ n }} chairs nobody translated{% endblocktranslate %}"
        '<p>{% translate "Skip to main content" %}</p></div>'
    )
    with override("pl"):
        texts = PageTexts(template.render()).texts
    assert english_texts(texts, untranslated_lookups) == [
        "3 chairs nobody translated",
        "A sentence nobody translated",
        "Skip to main content",
    ]


def test_the_text_of_scripts_and_styles_is_not_read_as_page_text():
    html = "<main><style>p {}</style><script>Call()</script><p>Zadzwoń</p></main>"
    assert PageTexts(html).texts == {"Zadzwoń"}
