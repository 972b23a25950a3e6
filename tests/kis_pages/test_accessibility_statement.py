"""The deklaracja dostępności: its official structure, its checks, its links and its review."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import GroupPagePermission
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kis_pages.models import AccessibilityStatementPage, ClubPage, ClubSettings

from ..conftest import KK_HOST
from ..utils import (
    demo_pages,
    in_polish,
    make_accessibility_statement,
    make_club,
    make_worker,
    page_html,
)

MANDATORY_IDS = [
    "wstep",
    "podmiot",
    "zakres",
    "url",
    "data-publikacja",
    "data-aktualizacja",
    "status",
    "data-sporzadzenie",
    "kontakt",
    "email",
    "telefon",
    "procedura",
    "architektura",
    "komunikacja",
]
OPTIONAL_IDS = ["ocena", "data-przeglad", "aplikacje"]
OFFICIAL_H2 = [
    "Stan dostępności cyfrowej",
    "Niedostępne treści",
    "Przygotowanie deklaracji dostępności",
    "Informacje zwrotne i dane kontaktowe",
    "Obsługa wniosków i skarg związanych z dostępnością",
    "Pozostałe informacje",
]
STATUS_PATTERN = re.compile(r"jest (częściowo zgodna|niezgodna|zgodna) z ustawą")
VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class StatementParser(HTMLParser):
    """Collects, inside <main>, the headings, the a11y-* elements and the <time> elements."""

    def __init__(self):
        super().__init__()
        self.open = []  # [tag, attrs, id, collected text]
        self.in_main = False
        self.headings = []  # (tag, text)
        self.ids = {}  # a11y id -> list of (tag, attrs, text)
        self.times = []  # (attrs, text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag in VOID_ELEMENTS or not self.in_main:
            return
        element_id = attrs.get("id") or ""
        self.open.append([tag, attrs, element_id, ""])

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        while self.open:
            open_tag, attrs, element_id, text = self.open.pop()
            text = " ".join(text.split())
            if open_tag in ("h1", "h2", "h3"):
                self.headings.append((open_tag, text))
            if element_id.startswith("a11y-"):
                self.ids.setdefault(element_id.removeprefix("a11y-"), []).append(
                    (open_tag, attrs, text)
                )
            if open_tag == "time":
                self.times.append((attrs, text))
            if open_tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element[3] += data


def statement_problems(html):
    """Everything in a rendered statement that departs from the official structure."""
    parser = StatementParser()
    parser.feed(html)
    problems = []
    h1s = [text for tag, text in parser.headings if tag == "h1"]
    if h1s != ["Deklaracja dostępności"]:
        problems.append(f"h1 should be 'Deklaracja dostępności' once, is {h1s}")
    for name in MANDATORY_IDS:
        if len(parser.ids.get(name, [])) != 1:
            problems.append(f"a11y-{name} appears {len(parser.ids.get(name, []))} times")
    for name in OPTIONAL_IDS:
        if len(parser.ids.get(name, [])) > 1:
            problems.append(f"a11y-{name} appears more than once")
    unknown = set(parser.ids) - set(MANDATORY_IDS) - set(OPTIONAL_IDS)
    if unknown:
        problems.append(f"unknown a11y ids: {sorted(unknown)}")
    for name, elements in parser.ids.items():
        if name.startswith("data-") and any(tag != "time" for tag, _a, _t in elements):
            problems.append(f"a11y-{name} is not a <time> element")
    for attrs, text in parser.times:
        value = attrs.get("datetime", "")
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            problems.append(f"<time> '{text}' has datetime '{value}', not YYYY-MM-DD")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            problems.append(f"<time> datetime '{value}' is not YYYY-MM-DD")
    status_texts = [text for _tag, _attrs, text in parser.ids.get("status", [])]
    statuses = STATUS_PATTERN.findall(" ".join(status_texts))
    if len(statuses) != 1:
        problems.append(f"the status should name one of the three statuses: {status_texts}")
    compliant = statuses == ["zgodna"]
    expected_h2 = [h for h in OFFICIAL_H2 if not (compliant and h == "Niedostępne treści")]
    h2s = [text for tag, text in parser.headings if tag == "h2"]
    if h2s != expected_h2:
        problems.append(f"h2 headings {h2s}, expected {expected_h2}")
    return problems


def statement_of(site):
    return AccessibilityStatementPage.objects.descendant_of(site.root_page).get()


# The structure, read from the rendered HTML of both demo clubs


def test_nysa_statement_has_the_official_structure(client, nysa_site):
    statement = statement_of(nysa_site)
    assert statement.status == "partially_compliant"
    html = page_html(client, statement.url)
    assert statement_problems(html) == []
    assert "Niedostępne treści" in html and "częściowo zgodna" in html


def test_kedzierzyn_kozle_statement_has_the_official_structure(client, kk_site):
    statement = statement_of(kk_site)
    assert statement.status == "compliant"
    html = page_html(client, statement.url, KK_HOST)
    assert statement_problems(html) == []
    assert "Niedostępne treści" not in html


def test_demo_statements_give_the_clubs_own_body_contact_and_dates(client, kk_site):
    html = page_html(client, statement_of(kk_site).url, KK_HOST)
    assert '<span id="a11y-podmiot">Miejski Ośrodek Pomocy Społecznej w Kędzierzynie-Koźlu' in html
    assert '<span id="a11y-kontakt">Agnieszka Jarońska</span>' in html
    assert (
        '<a id="a11y-telefon" href="tel:+48-77-483-77-23;ext=103">77 483 77 23 wew. 103</a>' in html
    )
    assert '<a id="a11y-url" href="http://kedzierzyn-kozle.localhost:8000/">' in html
    assert '<time id="a11y-data-przeglad" datetime="2026-10-12">2026-10-12</time>' in html
    assert "Rzecznika Praw Obywatelskich" in html


def test_the_validator_finds_what_breaks_the_structure(client, kk_site):
    html = page_html(client, statement_of(kk_site).url, KK_HOST)
    broken = html.replace('id="a11y-email"', "").replace(
        'datetime="2026-10-12"', 'datetime="12.10"'
    )
    broken = broken.replace("Pozostałe informacje", "Inne")
    problems = statement_problems(broken)
    assert "a11y-email appears 0 times" in problems
    assert any("12.10" in problem for problem in problems)
    assert any(problem.startswith("h2 headings") for problem in problems)


def test_a_statement_with_an_excessive_burden_links_the_analysis_once(client):
    club = make_club(hostname="ciezar.localhost")
    item = {
        "content": "Nagrania wideo z lat 2019–2020 bez napisów",
        "reason_kind": "excessive_burden",
        "reason": "Koszt napisów przekracza możliwości Ośrodka.",
        "alternative": "",
    }
    make_accessibility_statement(
        club,
        status="non_compliant",
        inaccessible_content=[{"type": "item", "value": item}],
        burden_analysis_url="https://bip.example.org/analiza",
        mobile_apps="<p>Aplikacja „OPS”.</p>",
    )
    html = page_html(client, "/deklaracja-dostepnosci/", "ciezar.localhost")
    assert statement_problems(html) == []
    assert '<a id="a11y-ocena" href="https://bip.example.org/analiza">' in html
    assert 'id="a11y-aplikacje"' in html and "jest niezgodna z ustawą" in html


# Validation through the real admin views


def statement_form_data(**overrides):
    data = {
        "title": "Deklaracja dostępności",
        "slug": "deklaracja-dostepnosci",
        "entity_name": "Miejski Ośrodek Pomocy Rodzinie w Opolu",
        "scope": "strony internetowej Klubu Integracji Społecznej w Opolu",
        "site_url": "",
        "site_published_on": "2025-01-15",
        "site_updated_on": "2026-02-01",
        "prepared_on": "2025-01-15",
        "last_reviewed_on": "2026-03-20",
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
        "contact_name": "Jan Kowalski",
        "contact_email": "dostepnosc@example.org",
        "contact_phone": "77 483 77 23",
        "contact_phone_extension": "103",
        "complaints_procedure": rich_text("<p>Procedura skargowa.</p>"),
        "architectural_accessibility": rich_text("<p>Wejście bez schodów.</p>"),
        "communication_accessibility": rich_text("<p>Tłumacz PJM po zgłoszeniu.</p>"),
        "mobile_apps": rich_text(""),
    }
    return nested_form_data({**data, **overrides})


def burden_item():
    item = {
        "content": "Nagrania bez napisów",
        "reason_kind": "excessive_burden",
        "reason": "Zbyt duży koszt.",
        "alternative": "",
    }
    return streamfield([("item", item)])


class StatementAdminTests(WagtailPageTestCase):
    """An editor creates a consistent statement; an inconsistent one is refused in Polish."""

    def setUp(self):
        self.login()
        self.club = make_club()

    def add_url(self):
        return reverse(
            "wagtailadmin_pages:add",
            args=("kis_pages", "accessibilitystatementpage", self.club.pk),
        )

    def publish(self, url, **overrides):
        return self.client.post(url, {**statement_form_data(**overrides), "action-publish": "1"})

    def assert_refused(self, response, field, message):
        polish = in_polish(message)
        self.assertEqual(response.status_code, 200)
        self.assertIn(polish, " ".join(str(m) for m in response.context["form"].errors[field]))
        if field != "inaccessible_content":  # a StreamField shows its errors through JSON
            self.assertContains(response, escape(polish))

    def test_editor_creates_a_statement(self):
        self.assertCanCreate(self.club, AccessibilityStatementPage, statement_form_data())
        statement = AccessibilityStatementPage.objects.child_of(self.club).get()
        self.assertEqual(statement.contact_phone, "+48774837723")
        self.assertEqual(len(statement.inaccessible_content), 1)

    def test_an_excessive_burden_with_its_analysis_is_accepted(self):
        self.assertCanCreate(
            self.club,
            AccessibilityStatementPage,
            statement_form_data(
                inaccessible_content=burden_item(),
                burden_analysis_url="https://bip.example.org/analiza",
            ),
        )

    def test_partial_compliance_without_inaccessible_content_is_refused(self):
        response = self.publish(self.add_url(), inaccessible_content=streamfield([]))
        self.assert_refused(
            response,
            "inaccessible_content",
            "List what is not accessible and why, or choose the status 'compliant'.",
        )
        self.assertFalse(AccessibilityStatementPage.objects.child_of(self.club).exists())

    def test_non_compliance_without_inaccessible_content_is_refused(self):
        response = self.publish(
            self.add_url(), status="non_compliant", inaccessible_content=streamfield([])
        )
        self.assertIn("inaccessible_content", response.context["form"].errors)

    def test_compliance_with_inaccessible_content_listed_is_refused(self):
        response = self.publish(self.add_url(), status="compliant")
        self.assert_refused(
            response,
            "status",
            "A compliant website has no inaccessible content: choose 'partially compliant' "
            "or remove the listed content.",
        )

    def test_an_update_before_the_publication_is_refused(self):
        response = self.publish(self.add_url(), site_updated_on="2024-12-31")
        self.assert_refused(
            response,
            "site_updated_on",
            "The last update cannot come before the website was published.",
        )

    def test_a_review_before_the_preparation_is_refused(self):
        response = self.publish(self.add_url(), last_reviewed_on="2025-01-14")
        self.assert_refused(
            response,
            "last_reviewed_on",
            "The review cannot come before the statement was prepared.",
        )

    def test_dates_in_the_future_are_refused_on_each_field(self):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = self.publish(
            self.add_url(),
            site_updated_on=tomorrow,
            last_reviewed_on=tomorrow,
        )
        for field in ("site_updated_on", "last_reviewed_on"):
            self.assert_refused(response, field, "The date cannot be in the future.")

    def test_an_excessive_burden_without_the_analysis_is_refused(self):
        response = self.publish(self.add_url(), inaccessible_content=burden_item())
        self.assert_refused(
            response,
            "burden_analysis_url",
            "Some content is inaccessible because of an excessive burden: link the analysis "
            "of that burden.",
        )

    def test_an_external_assessment_without_the_assessor_is_refused(self):
        response = self.publish(self.add_url(), assessment="external")
        self.assert_refused(response, "assessor_name", "Name the body that assessed the website.")

    def test_editing_a_published_statement_into_an_inconsistent_one_is_refused(self):
        statement = make_accessibility_statement(self.club)
        url = reverse("wagtailadmin_pages:edit", args=(statement.pk,))
        response = self.publish(url, status="compliant")
        self.assert_refused(
            response,
            "status",
            "A compliant website has no inaccessible content: choose 'partially compliant' "
            "or remove the listed content.",
        )
        statement.refresh_from_db()
        self.assertEqual(statement.status, "partially_compliant")

    def test_a_new_statement_starts_with_the_club_settings_and_contact_worker(self):
        worker = make_worker(name="Ewa Nowak", email="ewa@example.org", phone="+48774837700")
        self.club.contact_worker = worker
        self.club.save()
        settings = ClubSettings.for_site(self.club.get_site())
        settings.institution_name = "Ośrodek Pomocy Społecznej w Testowie"
        settings.save()
        form = self.client.get(self.add_url()).context["form"]
        self.assertEqual(form.initial["entity_name"], "Ośrodek Pomocy Społecznej w Testowie")
        self.assertEqual(form.initial["contact_name"], "Ewa Nowak")
        self.assertEqual(form.initial["contact_phone"], "+48774837700")

    def test_a_club_has_one_statement_at_most(self):
        make_accessibility_statement(self.club)
        self.assertFalse(AccessibilityStatementPage.can_create_at(self.club))
        self.assertEqual(self.client.get(self.add_url()).status_code, 302)  # refused, redirected
        with self.assertRaises(ValidationError) as error:
            make_accessibility_statement(self.club, slug="druga-deklaracja")
        self.assertEqual(
            error.exception.message_dict[NON_FIELD_ERRORS],
            [in_polish("This club already has an accessibility statement.")],
        )


# Links from every page of the club


def meta_statement_url(html):
    found = re.findall(r'<meta name="deklaracja-dostępności" content="([^"]*)">', html)
    assert len(found) <= 1
    return found[0] if found else None


def footer_statement_href(html):
    footer = html[html.index('<footer class="site-footer">') :]
    found = re.findall(r'<a href="([^"]+)"[^>]*>Deklaracja dostępności</a>', footer)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("host", ["localhost", KK_HOST])
def test_every_page_of_a_club_links_to_its_own_statement(client, nysa_site, kk_site, host):
    site = {"localhost": nysa_site, KK_HOST: kk_site}[host]
    statement = statement_of(site)
    absolute = statement.get_full_url()
    assert absolute.startswith(site.root_url)
    for page in demo_pages(site).values():
        html = page_html(client, page.url, host)
        assert meta_statement_url(html) == absolute, page.url
        href = footer_statement_href(html)
        assert href == statement.relative_url(site), page.url
    followed = page_html(client, href, host)
    assert statement.entity_name in followed


def test_the_two_clubs_statement_addresses_differ(nysa_site, kk_site):
    assert statement_of(nysa_site).get_full_url() != statement_of(kk_site).get_full_url()


def test_the_missing_page_links_to_the_statement_too(client):
    response = client.get("/nie-ma-takiej-strony/", HTTP_HOST=KK_HOST)
    assert response.status_code == 404
    html = response.content.decode()
    assert (
        meta_statement_url(html) == "http://kedzierzyn-kozle.localhost:8000/deklaracja-dostepnosci/"
    )


def test_a_club_without_a_published_statement_renders_without_the_link(client):
    club = make_club(hostname="bez.localhost")
    html = page_html(client, "/", "bez.localhost")
    assert meta_statement_url(html) is None and footer_statement_href(html) is None
    make_accessibility_statement(club)
    assert (
        footer_statement_href(page_html(client, "/", "bez.localhost")) == "/deklaracja-dostepnosci/"
    )
    AccessibilityStatementPage.objects.child_of(club).get().unpublish()
    html = page_html(client, "/", "bez.localhost")
    assert meta_statement_url(html) is None and "Deklaracja dostępności" not in html


@pytest.mark.parametrize("path", ["/", "/zajecia/", "/napisz-do-nas/"])
def test_the_links_cost_at_most_one_query_more(client, monkeypatch, path):
    def queries_for_page():
        page_html(client, path, KK_HOST)  # warms per-process caches (content types, site roots)
        with CaptureQueriesContext(connection) as queries:
            html = page_html(client, path, KK_HOST)
        return len(queries), html

    with_links, html = queries_for_page()
    assert footer_statement_href(html) and "Tekst łatwy do czytania" in html
    monkeypatch.setattr(
        ClubPage, "accessibility_pages", lambda self: {"statement": None, "easy_read": None}
    )
    without_links, html = queries_for_page()
    assert footer_statement_href(html) is None
    assert with_links - without_links <= 1, (with_links, without_links)


# The dashboard's review warning


def months_ago(months):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, min(today.day, 28))


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def edit_link(page):
    return f'href="{reverse("wagtailadmin_pages:edit", args=(page.pk,))}"'


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("redaktor", "r@example.org", "haslo")
    client.force_login(user)
    return client


def reviewed(months, club=None):
    return make_accessibility_statement(
        club or make_club(), prepared_on=months_ago(30), last_reviewed_on=months_ago(months)
    )


def test_dashboard_warns_about_a_statement_reviewed_13_months_ago(editor):
    statement = reviewed(13)
    html = dashboard(editor)
    assert edit_link(statement) in html
    assert statement.get_parent().title in html


def test_dashboard_names_the_clubs_in_the_same_queries_however_many_statements(editor):
    def queries():
        dashboard(editor)  # refills per-process caches, such as the sites a new club empties
        with CaptureQueriesContext(connection) as captured:
            dashboard(editor)
        return len(captured)

    reviewed(13)
    with_one = queries()
    reviewed(13)
    reviewed(13)
    assert queries() == with_one


def test_dashboard_warns_about_a_statement_never_reviewed(editor):
    club = make_club()
    statement = make_accessibility_statement(club, last_reviewed_on=None)
    assert edit_link(statement) in dashboard(editor)


def test_dashboard_does_not_warn_about_a_statement_reviewed_11_months_ago(editor):
    statement = reviewed(11)
    assert edit_link(statement) not in dashboard(editor)


def test_dashboard_warns_only_users_who_may_edit_the_statement(client):
    overdue = reviewed(13)
    own_club = make_club()
    own_overdue = reviewed(14, own_club)
    group = Group.objects.create(name="Redakcja klubu")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission_type in ("add", "change", "publish"):
        GroupPagePermission.objects.create(
            group=group, page=own_club, permission_type=permission_type
        )
    user = get_user_model().objects.create_user("redaktor-klubu", password="haslo")
    user.groups.add(group)
    client.force_login(user)

    html = dashboard(client)

    assert edit_link(own_overdue) in html
    assert edit_link(overdue) not in html
