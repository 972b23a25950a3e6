"""An editor can create every page type through the admin's own page form."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kis_pages.models import (
    ActivityIndexPage,
    ActivityPage,
    AnnouncementIndexPage,
    AnnouncementPage,
    ClubPage,
    SocialWorker,
    WorkplaceListPage,
)

from ..utils import make_club


def paragraph(text):
    return streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])


def edition_form_data(**overrides):
    data = {
        "title": "Prace społecznie użyteczne 2026",
        "slug": "psu-2026",
        "year": 2026,
        "as_of": "2026-06-01",
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
                {"unit_name": "Żłobek nr 10", "unit_kind": "nursery", "address": "", "places": 2},
                {"unit_name": "Urząd Miasta", "unit_kind": "office", "address": "", "places": 1},
            ]
        ),
    }
    return nested_form_data({**data, **overrides})


class EditorCreatesPagesTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.club = make_club()

    def test_editor_creates_a_club_home_page(self):
        worker = SocialWorker.objects.get(name="Agnieszka Jarońska")
        self.assertCanCreate(
            Page.get_first_root_node(),
            ClubPage,
            nested_form_data(
                {
                    "title": "Klub Integracji Społecznej w Opolu",
                    "slug": "kis-opole",
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

    def test_editor_creates_an_activity_index_and_an_activity(self):
        self.assertCanCreate(
            self.club,
            ActivityIndexPage,
            nested_form_data({"title": "Zajęcia", "slug": "zajecia", "intro": ""}),
        )
        index = ActivityIndexPage.objects.child_of(self.club).get()
        self.assertCanCreate(
            index,
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

    def test_editor_creates_a_workplace_edition_with_inline_workplaces(self):
        self.assertCanCreate(self.club, WorkplaceListPage, edition_form_data())
        edition = WorkplaceListPage.objects.child_of(self.club).get()
        self.assertEqual(
            [w.unit_name for w in edition.workplaces.all()], ["Żłobek nr 10", "Urząd Miasta"]
        )

    def test_editor_creates_an_announcement_index_and_an_announcement(self):
        self.assertCanCreate(
            self.club,
            AnnouncementIndexPage,
            nested_form_data({"title": "Ogłoszenia", "slug": "ogloszenia", "intro": ""}),
        )
        index = AnnouncementIndexPage.objects.child_of(self.club).get()
        self.assertCanCreate(
            index,
            AnnouncementPage,
            nested_form_data(
                {
                    "title": "Zamknięte 24 grudnia",
                    "slug": "wigilia",
                    "date": "2026-12-01",
                    "valid_from": "2026-12-01",
                    "valid_until": "2026-12-24",
                    "category": "club",
                    "summary": "Klub nieczynny w Wigilię.",
                    "body": paragraph("Zapraszamy 27 grudnia."),
                }
            ),
        )


class EditorMeetsClearErrorsTests(WagtailPageTestCase):
    """The admin refuses inconsistent editions with a message on the field at fault."""

    def setUp(self):
        self.login()
        self.club = make_club()

    def post_edition(self, **overrides):
        url = reverse(
            "wagtailadmin_pages:add", args=("kis_pages", "workplacelistpage", self.club.pk)
        )
        return self.client.post(url, edition_form_data(**overrides))

    def assert_refused_with(self, response, field, message):
        self.assertEqual(response.status_code, 200)
        self.assertFalse(WorkplaceListPage.objects.child_of(self.club).exists())
        form = response.context["form"]
        self.assertIn(message, " ".join(form.errors.get(field, [])))

    def test_more_hours_a_week_than_the_limit_is_refused(self):
        response = self.post_edition(hours_per_week=12)
        self.assert_refused_with(response, "hours_per_week", "10")

    def test_more_places_at_workplaces_than_in_the_edition_is_refused(self):
        response = self.post_edition(places=2)
        self.assert_refused_with(response, "places", "3")

    def test_a_second_edition_for_the_same_year_is_refused(self):
        self.assertEqual(self.post_edition().status_code, 302)
        response = self.post_edition(slug="psu-2026-bis")
        self.assertEqual(response.status_code, 200)
        self.assertIn("2026", " ".join(response.context["form"].errors["year"]))
