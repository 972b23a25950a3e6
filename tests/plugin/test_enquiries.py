"""A resident's enquiry, sent through the HTML form or the JSON endpoint, gets a reference
number, and the task worker e-mails it to the routed social worker, in Polish.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"KIS-\d{4}-\d{6}")
TOKEN = re.compile(r'name="kis_token" value="([^"]+)"')
ANSWERS = {
    "imie_i_nazwisko": "Zażółć Gęślą",
    "e_mail": "mieszkaniec@example.org",
    "wiadomosc": "Chcę zapytać, jak dołączyć do Klubu.",
}


def send_through_the_form(club_tree):
    """Open the form as a browser would, then send it with the token it was given."""
    resident = Client()
    path = club_tree.form.get_url()
    form = resident.get(path)
    assert form.status_code == 200
    (token,) = TOKEN.findall(form.content.decode())
    response = resident.post(path, {"kis_token": token, "website": "", "consent": "on", **ANSWERS})
    return resident, response


def test_an_enquiry_sent_through_the_form_lands_on_its_reference_number(club_tree):
    from kis_forms.models import EnquirySubmission

    resident, response = send_through_the_form(club_tree)
    assert response.status_code == 303
    landing = resident.get(response["Location"])
    assert landing.status_code == 200
    submission = EnquirySubmission.objects.get()
    assert REFERENCE.fullmatch(submission.reference)
    assert submission.reference.startswith(f"KIS-{timezone.localdate().year}-")
    html = landing.content.decode()
    assert submission.reference in html and club_tree.worker.name in html
    assert '<html lang="pl"' in html
    assert submission.worker == club_tree.worker


def test_an_enquiry_sent_as_json_gets_201_with_its_reference(club_tree):
    from kis_forms.models import EnquirySubmission

    front_end = Client()
    url = f"/api/v3/enquiries/forms/{club_tree.form.pk}/"
    definition = front_end.get(url)
    assert definition.status_code == 200
    fields = [field["name"] for field in definition.json()["fields"]]
    assert fields == list(ANSWERS)
    body = {"token": definition.json()["token"], "answers": ANSWERS, "consent": True}
    response = front_end.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert REFERENCE.fullmatch(reference)
    assert EnquirySubmission.objects.get().reference == reference


def test_the_task_worker_emails_the_routed_worker_in_polish(club_tree, in_polish):
    from kis_forms.models import EnquirySubmission

    _resident, response = send_through_the_form(club_tree)
    assert response.status_code == 303
    assert mail.outbox == []  # nothing is sent in the request
    call_command("kis_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())

    reference = EnquirySubmission.objects.get().reference
    (message,) = mail.outbox
    assert message.to == [club_tree.worker.email]
    assert message.reply_to == [ANSWERS["e_mail"]]
    names = {"reference": reference, "form": club_tree.form.title}
    assert message.subject == in_polish("[%(reference)s] New enquiry: %(form)s") % names
    polish_lead = in_polish('A new enquiry %(reference)s has arrived through the form "%(form)s".')
    assert polish_lead % names in message.body


def test_the_statistics_api_is_wired_and_refuses_callers_without_a_token(club_tree):
    response = Client().get("/api/v3/statistics/")
    assert response.status_code == 401, response.content
