"""Editors build enquiry forms in the admin; the admin refuses forms that could reach nobody."""

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kis_forms.models import EnquiryFormPage

from ..utils import make_club, make_worker


def form_page_data(worker, rules=(), **overrides):
    data = {
        "title": "Zapytaj o Klub",
        "slug": "zapytaj",
        "intro": rich_text("<p>Odpowiemy w trzy dni.</p>"),
        "thank_you_text": rich_text("<p>Dziękujemy.</p>"),
        "reply_within_days": 3,
        "default_worker": worker.pk,
        "form_fields": inline_formset(
            [
                {"label": "Imię", "field_type": "singleline", "required": "on"},
                {
                    "label": "Temat",
                    "field_type": "dropdown",
                    "required": "on",
                    "choices": "udział w Klubie\nprace społecznie użyteczne",
                },
                {"label": "Wiadomość", "field_type": "multiline", "required": "on"},
            ]
        ),
        "routing_rules": inline_formset(list(rules)),
    }
    return nested_form_data({**data, **overrides})


class EditorBuildsEnquiryFormsTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.club = make_club()
        self.worker = make_worker(email="kis@example.org")

    def post_form_page(self, data):
        url = reverse("wagtailadmin_pages:add", args=("kis_forms", "enquiryformpage", self.club.pk))
        return self.client.post(url, data)

    def test_editor_creates_an_enquiry_form_with_fields_and_a_routing_rule(self):
        other = make_worker(name="Jan Kowalski", email="psu@example.org")
        rule = {"field_label": "Temat", "value": "prace społecznie użyteczne", "worker": other.pk}
        self.assertCanCreate(self.club, EnquiryFormPage, form_page_data(self.worker, [rule]))
        page = EnquiryFormPage.objects.child_of(self.club).get()
        self.assertEqual([f.label for f in page.form_fields.all()], ["Imię", "Temat", "Wiadomość"])
        self.assertEqual(page.routing_rules.get().worker, other)

    def test_a_worker_without_an_email_cannot_receive_enquiries(self):
        no_email = make_worker(name="Bez Adresu", email="")
        response = self.post_form_page(form_page_data(no_email))
        self.assertEqual(response.status_code, 200)
        self.assertIn("default_worker", response.context["form"].errors)
        self.assertFalse(EnquiryFormPage.objects.child_of(self.club).exists())

    def test_a_rule_must_name_a_choice_field_and_one_of_its_choices(self):
        for rule, bad_field in [
            ({"field_label": "Imię", "value": "x", "worker": self.worker.pk}, "field_label"),
            ({"field_label": "Temat", "value": "inna", "worker": self.worker.pk}, "value"),
        ]:
            response = self.post_form_page(form_page_data(self.worker, [rule]))
            self.assertEqual(response.status_code, 200)
            rule_form = response.context["form"].formsets["routing_rules"].forms[0]
            self.assertIn(bad_field, rule_form.errors)
        self.assertFalse(EnquiryFormPage.objects.child_of(self.club).exists())

    def test_editors_can_preview_the_form_and_its_landing_page(self):
        page = EnquiryFormPage.objects.get(slug="napisz-do-nas", url_path__contains="kedzierzyn")
        self.assertPageIsPreviewable(page, mode="form")
        self.assertPageIsPreviewable(page, mode="landing")

    def test_a_preview_shows_the_fields_being_edited_and_the_live_page_keeps_its_own(self):
        page = EnquiryFormPage.objects.get(slug="napisz-do-nas", url_path__contains="kedzierzyn")
        live_html = self.client.get(page.url).content.decode()  # the live fields, read once
        edited = form_page_data(
            self.worker,
            slug=page.slug,
            form_fields=inline_formset(
                [{"label": "Pytanie do zespołu", "field_type": "multiline", "required": "on"}]
            ),
        )
        preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        self.assertEqual(self.client.post(preview, edited).json()["is_valid"], True)

        shown = self.client.get(preview, {"mode": "form"}).content.decode()

        self.assertIn("Pytanie do zespołu", shown)
        self.assertNotIn("Pytanie do zespołu", live_html)
        self.assertNotIn("Pytanie do zespołu", self.client.get(page.url).content.decode())
