"""A resident's enquiry is stored, routed to the named worker, and answered with a reference."""

import re

from django.core import mail
from django.test import Client

from kis_forms.intake import gate
from kis_forms.models import ConsentText, EnquirySubmission, Notification, RoutingRule
from kis_pages.models import SocialWorker

from ..utils import enquiry_answers, make_worker, post_enquiry
from .conftest import FORM_PATH


def test_the_form_shows_the_fields_the_consent_clause_and_a_privacy_hint(resident):
    html = resident.get(FORM_PATH).content.decode()
    for label in ("Imię i nazwisko", "Telefon", "E-mail", "Temat", "Wiadomość"):
        assert label in html
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in html
    assert "Miejski Ośrodek Pomocy Społecznej w Kędzierzynie-Koźlu" in html
    assert 'aria-describedby="id_wiadomosc_hint"' in html
    assert f'name="{gate.TOKEN_FIELD}"' in html


def test_a_valid_enquiry_redirects_303_to_a_landing_page_with_reference_and_worker(resident):
    response = post_enquiry(resident, FORM_PATH)
    assert response.status_code == 303

    landing = resident.get(response["Location"])
    html = landing.content.decode()
    submission = EnquirySubmission.objects.get()
    assert re.fullmatch(r"KIS-\d{4}-\d{6}", submission.reference)
    assert submission.reference in html
    assert "Agnieszka Jarońska" in html
    assert 'href="tel:+48-77-483-77-23;ext=103"' in html
    assert "I piętro, pokój 102" in html
    assert landing.context["reply_by"] > submission.submit_time.date()


def test_the_enquiry_is_stored_with_worker_consent_version_and_status_new(resident, kk_form):
    post_enquiry(resident, FORM_PATH)
    submission = EnquirySubmission.objects.get()
    assert submission.page_id == kk_form.pk
    assert submission.status == EnquirySubmission.Status.NEW
    assert submission.worker == SocialWorker.objects.get(name="Agnieszka Jarońska")
    assert submission.resident_email == "mieszkaniec@example.org"
    assert submission.resident_name == "Zażółć Gęślą"
    assert submission.resident_phone == "+48600100200"
    assert submission.form_data["wiadomosc"] == "Chcę zapytać, jak dołączyć do Klubu."
    assert submission.consent == ConsentText.objects.get()
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in submission.consent.text


def test_a_phone_number_that_is_not_polish_is_refused_and_the_answers_kept(resident):
    response = post_enquiry(resident, FORM_PATH, telefon="12 34")
    html = response.content.decode()
    assert response.status_code == 200 and not EnquirySubmission.objects.exists()
    assert "Podaj polski numer" in html and 'type="tel"' in html
    assert "Chcę zapytać, jak dołączyć do Klubu." in html and 'value="12 34"' in html


def test_a_form_shown_after_one_with_errors_shows_none_of_its_errors(resident):
    refused = post_enquiry(resident, FORM_PATH, telefon="12 34", wiadomosc="")
    assert refused.content.decode().count('aria-invalid="true"') == 2
    html = resident.get(FORM_PATH).content.decode()
    assert "aria-invalid" not in html and "_errors" not in html and "12 34" not in html
    assert 'aria-describedby="id_telefon_helptext" id="id_telefon"' in html


def test_the_worker_gets_a_polish_email_with_a_link_but_not_the_message(resident):
    post_enquiry(resident, FORM_PATH)
    (message,) = mail.outbox
    submission = EnquirySubmission.objects.get()
    assert message.to == ["kis.kedzierzyn-kozle@example.org"]
    assert message.reply_to == ["mieszkaniec@example.org"]
    assert submission.reference in message.subject
    assert "Nowe zgłoszenie" in message.subject
    assert f"/admin/enquiries/inspect/{submission.pk}/" in message.body
    assert "jak dołączyć" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "jak dołączyć" not in html
    notification = submission.notifications.get()
    assert notification.state == Notification.State.SENT and notification.attempts == 1


def test_the_email_link_carries_the_admins_port_and_the_api_urls_the_sites_host_and_port(
    resident, settings, kk_site
):
    # What `make run PORT=8123` gives: the admin's base URL and the demo Sites on that port.
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    kk_site.port = 8123
    kk_site.save()
    post_enquiry(resident, FORM_PATH)
    (message,) = mail.outbox
    submission = EnquirySubmission.objects.get()
    assert f"http://127.0.0.1:8123/admin/enquiries/inspect/{submission.pk}/" in message.body
    listing = resident.get("/api/v2/pages/", {"type": "kis_forms.EnquiryFormPage"}).json()
    meta = listing["items"][0]["meta"]
    assert meta["detail_url"].startswith(f"http://{kk_site.hostname}:8123/api/v2/pages/")
    assert meta["html_url"] == f"http://{kk_site.hostname}:8123/napisz-do-nas/"


def test_a_form_may_put_the_answers_in_the_email_escaped(resident, kk_form):
    kk_form.include_answers_in_email = True
    kk_form.save()
    post_enquiry(resident, FORM_PATH, wiadomosc="<script>alert('x')</script> Proszę o kontakt")
    (message,) = mail.outbox
    assert "<script>alert('x')</script> Proszę o kontakt" in message.body
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_without_an_email_address_there_is_no_reply_to_and_no_confirmation(resident, kk_form):
    kk_form.send_confirmation = True
    kk_form.save()
    post_enquiry(resident, FORM_PATH, e_mail="")
    (message,) = mail.outbox
    assert message.reply_to == []


def test_the_resident_may_get_a_confirmation_with_the_reference(resident, kk_form):
    kk_form.send_confirmation = True
    kk_form.save()
    post_enquiry(resident, FORM_PATH)
    submission = EnquirySubmission.objects.get()
    to_worker, to_resident = sorted(mail.outbox, key=lambda m: m.to[0] == "mieszkaniec@example.org")
    assert to_resident.to == ["mieszkaniec@example.org"]
    assert submission.reference in to_resident.subject
    assert "Agnieszka Jarońska" in to_resident.body and "77 483 77 23 wew. 103" in to_resident.body


def test_a_routing_rule_sends_the_topic_to_another_worker(resident, kk_form):
    psu_worker = make_worker(name="Jan Kowalski", email="psu@example.org")
    RoutingRule.objects.create(
        page=kk_form, field_label="Temat", value="prace społecznie użyteczne", worker=psu_worker
    )
    post_enquiry(resident, FORM_PATH, temat="prace społecznie użyteczne")
    post_enquiry(resident, FORM_PATH, temat="udział w Klubie")
    first, second = EnquirySubmission.objects.order_by("pk")
    assert first.worker == psu_worker
    assert second.worker.name == "Agnieszka Jarońska"
    assert [m.to for m in mail.outbox] == [
        ["psu@example.org"],
        ["kis.kedzierzyn-kozle@example.org"],
    ]


def test_while_the_worker_is_inactive_the_deputy_gets_the_enquiry(resident, kk_form):
    deputy = make_worker(name="Ewa Zastępczyni", email="zastepca@example.org")
    worker = kk_form.default_worker
    worker.deputy, worker.active = deputy, False
    worker.save()
    response = post_enquiry(resident, FORM_PATH)
    assert EnquirySubmission.objects.get().worker == deputy
    assert mail.outbox[0].to == ["zastepca@example.org"]
    assert "Ewa Zastępczyni" in resident.get(response["Location"]).content.decode()


def test_sending_the_same_form_twice_stores_one_enquiry(resident):
    page = resident.get(FORM_PATH)
    data = {gate.TOKEN_FIELD: page.context["form"].initial[gate.TOKEN_FIELD], **enquiry_answers()}
    first = resident.post(FORM_PATH, data)
    second = resident.post(FORM_PATH, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert EnquirySubmission.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_token_sent_again_with_other_answers_is_refused_and_stores_nothing(resident):
    page = resident.get(FORM_PATH)
    token = page.context["form"].initial[gate.TOKEN_FIELD]
    answers = {gate.TOKEN_FIELD: token, **enquiry_answers()}
    assert resident.post(FORM_PATH, answers).status_code == 303
    changed = resident.post(FORM_PATH, {**answers, **enquiry_answers(wiadomosc="Inna")})
    assert changed.status_code == 200
    assert "został już wysłany" in changed.context["refusal"]
    assert changed.context["form"]["wiadomosc"].value() == "Inna"
    assert EnquirySubmission.objects.get().form_data["wiadomosc"] != "Inna"
    resent = resident.post(FORM_PATH, changed.context["form"].data.dict())
    assert resent.status_code == 303 and EnquirySubmission.objects.count() == 2


def test_a_token_of_another_clubs_form_is_refused_there(resident):
    kk_token = resident.get(FORM_PATH).context["form"].initial[gate.TOKEN_FIELD]
    data = {gate.TOKEN_FIELD: kk_token, **enquiry_answers()}
    assert resident.post(FORM_PATH, data).status_code == 303
    nysa = Client()
    refused = nysa.post(FORM_PATH, data)
    assert refused.status_code == 200 and refused.context["refusal"]
    assert EnquirySubmission.objects.count() == 1
    assert nysa.post(FORM_PATH, refused.context["form"].data).status_code == 303
    assert EnquirySubmission.objects.count() == 2


def test_the_landing_page_is_only_for_whoever_sent_the_enquiry(resident):
    response = post_enquiry(resident, FORM_PATH)
    assert resident.get(response["Location"]).status_code == 200
    forged = re.sub(r"wyslano/[^/]+/", "wyslano/zgadywany-token/", response["Location"])
    assert resident.get(forged).status_code == 404
