"""Builders of test content with sensible defaults; pass keyword arguments to vary them."""

import copy
import datetime
from decimal import Decimal
from itertools import count

from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Page, Site

from kis_forms.intake import gate
from kis_forms.intake.submissions import create_with_reference
from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_pages.models import (
    AccessibilityStatementPage,
    AnnouncementIndexPage,
    AnnouncementPage,
    ClubPage,
    EasyReadPage,
    SocialWorker,
    Workplace,
    WorkplaceListPage,
)
from kis_site.demo.loader import DemoLoader, read_clubs

_numbers = count(1)


def make_worker(**fields):
    defaults = {
        "name": f"Pracownik {next(_numbers)}",
        "position": "pracownik socjalny",
        "phone": "+48774837723",
        "phone_extension": "103",
        "room": "pokój 102",
    }
    return SocialWorker.objects.create(**{**defaults, **fields})


def make_club(hostname=None, **fields):
    """A live ClubPage under the tree root, with its own Site on `hostname`."""
    number = next(_numbers)
    defaults = {
        "title": f"Klub testowy {number}",
        "slug": f"klub-testowy-{number}",
        "intro": "Klub wspiera osoby długotrwale bezrobotne.",
        "street": "ul. Testowa 1",
        "city": "Nysa",
        "host_institution": "Ośrodek Pomocy Społecznej",
    }
    club = ClubPage(**{**defaults, **fields})
    Page.get_first_root_node().add_child(instance=club)
    Site.objects.create(hostname=hostname or f"klub{number}.localhost", root_page=club)
    return club


def copy_demo_clubs(count):
    """`count` more clubs, copies of the demo clubs' trees under their own names, each its
    own Site (as a voivodeship's install holds them): their home pages."""
    seeds = read_clubs()
    loader = DemoLoader(lambda kind, name: None)
    homes = []
    for _index in range(count):
        number = next(_numbers)
        data = copy.deepcopy(seeds[number % len(seeds)])
        data["club"].update(title=f"{data['club']['title']} ({number})", slug=f"klub-{number}")
        data["site"].update(hostname=f"klub-{number}.localhost", is_default_site=False)
        homes.append(loader.load_club(data).root_page)
    return homes


def make_workplace_list(parent, rows=5, **fields):
    """A live edition of socially useful work with `rows` workplaces."""
    defaults = {
        "title": "Prace społecznie użyteczne",
        "slug": f"prace-{next(_numbers)}",
        "year": 2020,
        "as_of": datetime.date(2020, 1, 1),
        "hours_per_week": 10,
        "hours_per_month": 40,
        "max_hours_per_week": 10,
        "max_hours_per_month": 40,
        "hourly_rate": Decimal("8.50"),
        "places": 31,
    }
    edition = WorkplaceListPage(**{**defaults, **fields})
    edition.workplaces = [
        Workplace(unit_name=f"Szkoła Podstawowa nr {i}", unit_kind="school", sort_order=i)
        for i in range(rows)
    ]
    parent.add_child(instance=edition)
    return edition


def make_announcement_index(parent, **fields):
    index = AnnouncementIndexPage(**{"title": "Ogłoszenia", "slug": "ogloszenia", **fields})
    parent.add_child(instance=index)
    return index


def make_announcement(parent, **fields):
    today = timezone.localdate()
    defaults = {
        "title": f"Ogłoszenie {next(_numbers)}",
        "slug": f"ogloszenie-{next(_numbers)}",
        "date": today,
        "valid_from": today - datetime.timedelta(days=1),
        "summary": "Krótka informacja.",
        "body": [{"type": "paragraph", "value": "<p>Treść.</p>"}],
    }
    announcement = AnnouncementPage(**{**defaults, **fields})
    parent.add_child(instance=announcement)
    return announcement


def make_accessibility_statement(parent, **fields):
    """A live, consistent, partially compliant statement reviewed today."""
    today = timezone.localdate()
    defaults = {
        "title": "Deklaracja dostępności",
        "slug": "deklaracja-dostepnosci",
        "entity_name": "Ośrodek Pomocy Społecznej",
        "site_published_on": today - datetime.timedelta(days=400),
        "site_updated_on": today - datetime.timedelta(days=30),
        "prepared_on": today - datetime.timedelta(days=400),
        "last_reviewed_on": today,
        "status": AccessibilityStatementPage.Status.PARTIALLY_COMPLIANT,
        "inaccessible_content": [
            {
                "type": "item",
                "value": {
                    "content": "Skany ogłoszeń w PDF",
                    "reason_kind": "exemption",
                    "reason": "Opublikowane przed 23 września 2018 r.",
                    "alternative": "Odczytamy je przez telefon.",
                },
            }
        ],
        "contact_name": "Jan Kowalski",
        "contact_email": "dostepnosc@example.org",
        "contact_phone": "+48774837723",
        "architectural_accessibility": "<p>Wejście bez schodów.</p>",
    }
    statement = AccessibilityStatementPage(**{**defaults, **fields})
    parent.add_child(instance=statement)
    return statement


def make_easy_read_page(parent, **fields):
    """A live easy-to-read page with two texts and a PJM recording."""
    texts = [
        {"heading": "Co robimy", "text": "Pomagamy szukać pracy.\nSpotykamy się w grupach."},
        {"heading": "", "text": "Zadzwoń do nas."},
    ]
    defaults = {
        "title": "Tekst łatwy do czytania",
        "slug": "tekst-latwy-do-czytania",
        "body": [
            *({"type": "text", "value": text} for text in texts),
            {
                "type": "sign_language_video",
                "value": {
                    "title": "Klub w PJM",
                    "video_url": "https://www.example.org/pjm.mp4",
                    "transcript": "Pomagamy szukać pracy.",
                },
            },
        ],
    }
    page = EasyReadPage(**{**defaults, **fields})
    parent.add_child(instance=page)
    return page


def enquiry_answers(**overrides):
    """A valid set of answers to the demo enquiry form."""
    answers = {
        "imie_i_nazwisko": "Zażółć Gęślą",
        "telefon": "600 100 200",
        "e_mail": "mieszkaniec@example.org",
        "temat": "udział w Klubie",
        "wiadomosc": "Chcę zapytać, jak dołączyć do Klubu.",
        "consent": "on",
    }
    return {**answers, **overrides}


def post_enquiry(client, path, secure=False, **overrides):
    """Open the form like a browser (for its one-time token), then send it."""
    page = client.get(path, secure=secure)
    token = page.context["form"].initial[gate.TOKEN_FIELD]
    data = {gate.TOKEN_FIELD: token, **enquiry_answers(**overrides)}
    return client.post(path, data, secure=secure)


def make_enquiry(page, submit_time=None, **fields):
    """A stored enquiry to `page` with a reference and the demo answers, sent at `submit_time`."""
    answers = enquiry_answers()
    del answers["consent"]
    defaults = {
        "form_data": answers,
        "resident_name": answers["imie_i_nazwisko"],
        "resident_phone": "+48600100200",
        "resident_email": answers["e_mail"],
        "worker": page.specific.default_worker,
    }
    submission = create_with_reference(page=page, **{**defaults, **fields})
    if submit_time is not None:  # submit_time is set on creation; this backdates it
        EnquirySubmission.objects.filter(pk=submission.pk).update(submit_time=submit_time)
        submission.submit_time = submit_time
    return submission


def in_polish(message):
    """The Polish of an English msgid; fails if the catalogue leaves it in English."""
    with translation.override("pl"):
        text = translation.gettext(message)
    assert text != message, f"no Polish translation of {message!r}"
    return text


def visit_resident_pages(fetch, feeds=False):
    """Call `fetch(client, what, path, data=None)` for every page a resident of either demo
    club sees: each live page, an announcement list's second page (and feed), each enquiry
    form with errors, refused and its landing page, and a page that does not exist (`what`
    ends in " 404"). The gate's timing and rate limit must be off."""
    for site in Site.objects.select_related("root_page"):
        client = Client(HTTP_HOST=site.hostname)
        for page in site.root_page.get_descendants(inclusive=True).live().specific():
            path = page.get_url_parts()[2]
            fetch(client, f"{site.hostname}{path}", path)
            if isinstance(page, AnnouncementIndexPage):
                fetch(client, f"{site.hostname}{path}?strona=2", f"{path}?strona=2")
                if feeds:
                    fetch(client, f"{site.hostname}{path}feed/", f"{path}feed/")
            if isinstance(page, EnquiryFormPage):
                errors = {gate.TOKEN_FIELD: gate.new_token(f"{site.hostname}{path}")}
                fetch(client, f"{site.hostname}{path} with errors", path, errors)
                fetch(client, f"{site.hostname}{path} refused", path, {})
                landing = post_enquiry(client, path)["Location"]
                fetch(client, f"{site.hostname}{landing}", landing)
        fetch(client, f"{site.hostname} 404", "/nie-ma-takiej-strony/")


# (page type, a field of its own) for every page type of the demo.
DEMO_PAGE_TYPES = [
    ("kis_pages.ClubPage", "eligible_groups"),
    ("kis_pages.ActivityIndexPage", "intro"),
    ("kis_pages.ActivityPage", "specialist_role"),
    ("kis_pages.WorkplaceListPage", "workplaces"),
    ("kis_pages.AnnouncementIndexPage", "intro"),
    ("kis_pages.AnnouncementPage", "valid_until"),
    ("kis_forms.EnquiryFormPage", "form_fields"),
    ("kis_pages.AccessibilityStatementPage", "inaccessible_content"),
    ("kis_pages.EasyReadPage", "body"),
]


def demo_pages(site):
    """The live pages of a demo club, one per page type that club has."""
    pages = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        pages.setdefault(page._meta.label, page)
    return pages


def page_html(client, url, host=None):
    """The HTML of a page that must answer 200."""
    response = client.get(url, HTTP_HOST=host) if host else client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
