"""Fixtures for the plugin leg: a club built by a superuser through the admin of a fresh site.

These tests run only inside the site `run_plugin_leg.sh` starts with `wagtail start host`
(package `host`), against the installed wheel; in the repository they are not collected.
Helpers are fixtures, since the leg imports these modules with `--import-mode=importlib`.
"""

import datetime
import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

# Set by run_plugin_leg.sh: the checkout the wheel was built from, which must not be imported.
REPO = os.environ.get("KIS_PLUGIN_REPO")
if not REPO:
    collect_ignore_glob = ["test_*.py"]

CLUB_SLUG = "kis"
CLUB_TITLE = "Klub Integracji Społecznej w Opolu"
WORKER_NAME = "Agnieszka Jarońska"
WORKER_EMAIL = "kis.opole@example.org"
CRISIS_TITLE = "Klub zamknięty z powodu awarii ogrzewania"
FORM_TITLE = "Napisz do nas"


def paragraph(text):
    return streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])


def form_errors(response):
    """The admin form's errors, formsets included, to say why a page was not created."""
    form = response.context and response.context.get("form")
    if form is None:
        return f"status {response.status_code}"
    errors = dict(form.errors)
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.errors or formset.non_form_errors():
            errors[name] = [formset.errors, formset.non_form_errors()]
    return errors


class Editor:
    """A superuser's browser in the admin, creating snippets and pages with its own views."""

    def __init__(self, client):
        self.client = client

    def add_snippet(self, url_name, data):
        response = self.client.post(reverse(url_name), data)
        assert response.status_code == 302, form_errors(response)

    def publish(self, parent, model, data):
        """Post the admin's add form for `model` under `parent` with "publish" and return it."""
        app_label, model_name = model._meta.app_label, model._meta.model_name
        url = reverse("wagtailadmin_pages:add", args=(app_label, model_name, parent.pk))
        response = self.client.post(url, {**data, "action-publish": "publish"})
        assert response.status_code == 302, f"{model_name}: {form_errors(response)}"
        # The admin refuses a page type the parent may not have by redirecting to its home.
        page = model.objects.child_of(parent).filter(slug=data["slug"]).first()
        assert page is not None, (
            f"the admin did not add a {model_name} under {parent.specific_class.__name__} "
            f"{parent.title!r} (redirected to {response['Location']})"
        )
        assert page.live, f"{model_name} was saved but not published"
        return page


def build_club(client):
    """The social worker, a club under the host's home page and one page of every type below it.

    Every object is made by posting the admin's own forms, as an editor would.
    """
    from kis_forms.models import EnquiryFormPage
    from kis_pages.models import (
        AccessibilityStatementPage,
        ActivityIndexPage,
        ActivityPage,
        AnnouncementIndexPage,
        AnnouncementPage,
        ClubPage,
        EasyReadPage,
        SocialWorker,
        WorkplaceListPage,
    )

    editor = Editor(client)
    today = timezone.localdate()
    editor.add_snippet(
        "wagtailsnippets_kis_pages_socialworker:add",
        {
            "name": WORKER_NAME,
            "position": "pracownik socjalny",
            "email": WORKER_EMAIL,
            "phone": "77 483 77 23",
            "phone_extension": "103",
            "room": "pokój 102",
            "office_hours": "pn.–pt. 7:30–15:30",
            "active": "on",
            "deputy": "",
        },
    )
    worker = SocialWorker.objects.get(name=WORKER_NAME)
    home = Site.objects.get(is_default_site=True).root_page

    club = editor.publish(
        home,
        ClubPage,
        nested_form_data(
            {
                "title": CLUB_TITLE,
                "slug": CLUB_SLUG,
                "intro": "Klub dla osób długotrwale bezrobotnych.",
                "description": paragraph("Działamy od 2010 r."),
                "legal_basis": "Art. 18 ust. 1 ustawy o zatrudnieniu socjalnym.",
                "eligible_groups": streamfield([("group", "osoby długotrwale bezrobotne")]),
                "how_to_join": rich_text("<p>Kontrakt socjalny.</p>"),
                "goals": paragraph("Reintegracja społeczna i zawodowa."),
                "street": "ul. Ozimska 1",
                "postal_code": "45-057",
                "city": "Opole",
                "host_institution": "Miejski Ośrodek Pomocy Rodzinie w Opolu",
                "founded_year": 2010,
                "contact_worker": worker.pk,
            }
        ),
    )

    activities = editor.publish(
        club,
        ActivityIndexPage,
        nested_form_data({"title": "Zajęcia", "slug": "zajecia", "intro": ""}),
    )
    activity = editor.publish(
        activities,
        ActivityPage,
        nested_form_data(
            {
                "title": "Warsztaty z psychologiem",
                "slug": "warsztaty",
                "kind": "workshop",
                "specialist_role": "psycholog",
                "summary": "Praca nad poczuciem własnej wartości.",
                "body": paragraph("Spotkania w małych grupach."),
                "format": "group",
                "group_count": 2,
                "group_size_min": 11,
                "group_size_max": 19,
                "schedule": "wtorki, 10:00–12:00",
                "room": "sala wykładowa",
                "booking": "",
            }
        ),
    )
    workplaces = editor.publish(
        club,
        WorkplaceListPage,
        nested_form_data(
            {
                "title": f"Prace społecznie użyteczne {today.year}",
                "slug": f"psu-{today.year}",
                "year": today.year,
                "as_of": today.isoformat(),
                "legal_basis": "Ustawa o rynku pracy i służbach zatrudnienia.",
                "intro": streamfield([]),
                "hours_per_week": 10,
                "hours_per_month": 40,
                "max_hours_per_week": 10,
                "max_hours_per_month": 40,
                "hourly_rate": "10.90",
                "places": 3,
                "workplaces": inline_formset(
                    [
                        {
                            "unit_name": "Żłobek nr 10",
                            "unit_kind": "nursery",
                            "address": "",
                            "places": 2,
                        },
                        {
                            "unit_name": "Urząd Miasta",
                            "unit_kind": "office",
                            "address": "",
                            "places": 1,
                        },
                    ]
                ),
            }
        ),
    )
    announcements = editor.publish(
        club,
        AnnouncementIndexPage,
        nested_form_data({"title": "Ogłoszenia", "slug": "ogloszenia", "intro": ""}),
    )
    crisis = editor.publish(
        announcements,
        AnnouncementPage,
        nested_form_data(
            {
                "title": CRISIS_TITLE,
                "slug": "awaria-ogrzewania",
                "date": today.isoformat(),
                "valid_from": today.isoformat(),
                "valid_until": (today + datetime.timedelta(days=7)).isoformat(),
                "category": "crisis",
                "pinned": "on",
                "summary": "Zajęcia odbywają się w sali OPS przy ul. Ozimskiej 2.",
                "body": paragraph("Przepraszamy za utrudnienia."),
            }
        ),
    )
    form = editor.publish(
        club,
        EnquiryFormPage,
        nested_form_data(
            {
                "title": FORM_TITLE,
                "slug": "napisz-do-nas",
                "intro": rich_text("<p>Odpowiemy w trzy dni robocze.</p>"),
                "thank_you_text": rich_text("<p>Dziękujemy.</p>"),
                "reply_within_days": 3,
                "default_worker": worker.pk,
                "form_fields": inline_formset(
                    [
                        {"label": "Imię i nazwisko", "field_type": "name", "required": "on"},
                        {"label": "E-mail", "field_type": "email"},
                        {"label": "Wiadomość", "field_type": "multiline", "required": "on"},
                    ]
                ),
                "routing_rules": inline_formset([]),
            }
        ),
    )
    statement = editor.publish(
        club,
        AccessibilityStatementPage,
        nested_form_data(
            {
                "title": "Deklaracja dostępności",
                "slug": "deklaracja-dostepnosci",
                "entity_name": "Miejski Ośrodek Pomocy Rodzinie w Opolu",
                "scope": "strony internetowej Klubu Integracji Społecznej w Opolu",
                "site_url": "",
                "site_published_on": (today - datetime.timedelta(days=400)).isoformat(),
                "site_updated_on": (today - datetime.timedelta(days=30)).isoformat(),
                "prepared_on": (today - datetime.timedelta(days=400)).isoformat(),
                "last_reviewed_on": today.isoformat(),
                "status": "partially_compliant",
                "inaccessible_content": streamfield(
                    [
                        (
                            "item",
                            {
                                "content": "Skany uchwał w PDF",
                                "reason_kind": "exemption",
                                "reason": "Opublikowane przed 23 września 2018 r.",
                                "alternative": "Odczytamy je przez telefon.",
                            },
                        )
                    ]
                ),
                "burden_analysis_url": "",
                "assessment": "self",
                "assessor_name": "",
                "audit_report_url": "",
                "contact_name": WORKER_NAME,
                "contact_email": WORKER_EMAIL,
                "contact_phone": "77 483 77 23",
                "contact_phone_extension": "103",
                "complaints_procedure": rich_text("<p>Procedura skargowa.</p>"),
                "architectural_accessibility": rich_text("<p>Wejście bez schodów.</p>"),
                "communication_accessibility": rich_text("<p>Tłumacz PJM po zgłoszeniu.</p>"),
                "mobile_apps": rich_text(""),
            }
        ),
    )
    easy_read = editor.publish(
        club,
        EasyReadPage,
        nested_form_data(
            {
                "title": "Tekst łatwy do czytania",
                "slug": "tekst-latwy-do-czytania",
                "body": streamfield(
                    [
                        (
                            "text",
                            {
                                "heading": "Co robimy",
                                "text": "Pomagamy szukać pracy.",
                                "image": "",
                                "alt_text": "",
                            },
                        ),
                        (
                            "sign_language_video",
                            {
                                "title": "Klub w PJM",
                                "video_url": "https://www.example.org/pjm.mp4",
                                "transcript": "Pomagamy szukać pracy.",
                            },
                        ),
                    ]
                ),
            }
        ),
    )
    return SimpleNamespace(
        home=home,
        worker=worker,
        club=club,
        activities=activities,
        activity=activity,
        workplaces=workplaces,
        announcements=announcements,
        crisis=crisis,
        form=form,
        statement=statement,
        easy_read=easy_read,
    )


def make_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        "redaktor", "redaktor@example.org", "kis-plugin-leg"
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def club_tree(django_db_setup, django_db_blocker):
    """The club built once per run by a superuser; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        return build_club(logged_in(make_superuser()))


@pytest.fixture
def build_club_now():
    """Builds the club inside a test (for live-server tests, whose database is flushed)."""

    def build():
        return build_club(logged_in(make_superuser()))

    return build


@pytest.fixture
def editor_client(db, club_tree):
    """The superuser who built the club, logged in to the admin."""
    from django.contrib.auth import get_user_model

    return logged_in(get_user_model().objects.get(username="redaktor"))


@pytest.fixture(autouse=True)
def _quick_gate(settings):
    """The abuse gate without its minimum fill time: a test fills the form at once."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    cache.clear()  # rate-limit counters


@pytest.fixture
def in_polish():
    """The Polish of an English msgid; fails if the installed catalogue leaves it English."""

    def translate(message):
        with translation.override("pl"):
            text = translation.gettext(message)
        assert text != message, f"no Polish translation of {message!r}"
        return text

    return translate


@pytest.fixture
def home_page(db):
    """The page `wagtail start` made at depth 2, root of the default Site."""
    return Page.objects.get(depth=2, slug="home").specific
