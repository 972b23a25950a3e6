"""Headless front ends send enquiries as JSON through the same gate, checks and transaction."""

import pytest
from django.core import mail

from kis_forms.intake import gate
from kis_forms.models import EnquiryFormPage, EnquirySubmission, Notification

from ..utils import enquiry_answers


@pytest.fixture
def form_url(kk_form):
    return f"/api/v3/enquiries/forms/{kk_form.pk}/"


@pytest.fixture
def send(resident, form_url):
    """Fetch the form's token like a front end, then post `overrides` on top of valid answers."""

    def send_(token=None, consent=True, website="", **overrides):
        if token is None:
            token = resident.get(form_url).json()["token"]
        answers = enquiry_answers(**overrides)
        answers.pop("consent")
        body = {"token": token, "answers": answers, "consent": consent, "website": website}
        return resident.post(form_url, body, content_type="application/json")

    return send_


def errors_by_location(response):
    return {tuple(error["loc"]): error["msg"] for error in response.json()["errors"]}


def test_the_definition_lists_fields_choices_consent_and_a_token(resident, form_url):
    definition = resident.get(form_url).json()
    fields = {field["name"]: field for field in definition["fields"]}
    assert list(fields) == ["imie_i_nazwisko", "telefon", "e_mail", "temat", "wiadomosc"]
    assert fields["temat"]["choices"][0] == "udział w Klubie"
    assert "prace społecznie użyteczne" in fields["temat"]["choices"]
    assert fields["imie_i_nazwisko"]["required"] is True
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in definition["consent_text"]
    assert definition["token"]


def test_a_valid_enquiry_gets_201_with_the_reference_and_who_will_answer(send):
    response = send()
    assert response.status_code == 201
    body = response.json()
    submission = EnquirySubmission.objects.get()
    assert body["reference"] == submission.reference and body["reference"].startswith("KIS-")
    assert body["worker"]["name"] == "Agnieszka Jarońska"
    assert body["worker"]["phone_href"].startswith("tel:+48")
    assert submission.consent is not None
    (message,) = mail.outbox
    assert message.to == ["kis.kedzierzyn-kozle@example.org"]
    assert submission.notifications.get().state == Notification.State.SENT


def test_the_same_token_sent_twice_stores_one_enquiry(send, resident, form_url):
    token = resident.get(form_url).json()["token"]
    first, second = send(token=token), send(token=token)
    assert first.json()["reference"] == second.json()["reference"]
    assert EnquirySubmission.objects.count() == 1 and len(mail.outbox) == 1


def test_the_same_token_sent_with_other_answers_is_409_and_stores_nothing(send, resident, form_url):
    token = resident.get(form_url).json()["token"]
    assert send(token=token).status_code == 201
    response = send(token=token, wiadomosc="Inna wiadomość")
    assert response.status_code == 409
    assert "został już wysłany" in response.json()["detail"]
    assert EnquirySubmission.objects.get().form_data["wiadomosc"] != "Inna wiadomość"


def test_a_token_of_another_clubs_form_is_refused_there(send, resident, form_url, clubs):
    token = resident.get(form_url).json()["token"]
    assert send(token=token).status_code == 201
    nysa_form = EnquiryFormPage.objects.descendant_of(clubs["nysa"]).get()
    answers = enquiry_answers()
    del answers["consent"]
    body = {"token": token, "answers": answers, "consent": True}
    response = resident.post(
        f"/api/v3/enquiries/forms/{nysa_form.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "reference" not in response.json()
    assert EnquirySubmission.objects.count() == 1


def test_missing_consent_and_bad_answers_are_422_errors_per_field(send):
    response = send(consent=False, e_mail="nie-adres", imie_i_nazwisko="")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = errors_by_location(response)
    assert set(errors) == {("consent",), ("answers", "e_mail"), ("answers", "imie_i_nazwisko")}
    assert "danych osobowych" in errors[("consent",)]
    assert EnquirySubmission.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("name", "value"), [("consent", True), (gate.HONEYPOT_FIELD, ""), (gate.TOKEN_FIELD, "x")]
)
def test_an_answer_named_like_a_field_of_the_body_is_refused(resident, form_url, name, value):
    token = resident.get(form_url).json()["token"]
    answers = enquiry_answers()
    del answers["consent"]
    answers[name] = value
    body = {"token": token, "answers": answers, "consent": False, "website": ""}
    response = resident.post(form_url, body, content_type="application/json")
    assert response.status_code == 422
    assert "nie jest odpowiedzią" in errors_by_location(response)[("answers", name)]
    assert EnquirySubmission.objects.count() == 0 and mail.outbox == []


def test_a_header_injection_in_the_email_is_refused(send):
    response = send(e_mail="a@example.org\r\nBcc: evil@example.org")
    assert ("answers", "e_mail") in errors_by_location(response)
    assert EnquirySubmission.objects.count() == 0 and mail.outbox == []


def test_oversize_answers_are_refused_per_field_and_in_total(send, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000, "MAX_ANSWER_LENGTH": 100}
    assert ("answers", "wiadomosc") in errors_by_location(send(wiadomosc="ą" * 101))
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000, "MAX_TOTAL_LENGTH": 50}
    assert ("answers", "__all__") in errors_by_location(send())
    assert EnquirySubmission.objects.count() == 0


def test_a_filled_honeypot_is_400_and_kept_as_spam_without_mail(send):
    response = send(website="http://spam.example")
    assert response.status_code == 400
    assert "Prosimy sprawdzić odpowiedzi" in response.json()["detail"]
    spam = EnquirySubmission.objects.get()
    assert spam.status == EnquirySubmission.Status.SPAM and spam.spam_reason == "honeypot"
    assert spam.notifications.count() == 0 and mail.outbox == []


def test_a_form_sent_too_fast_is_400_and_kept_as_spam(send, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 60, "RATE_LIMIT": 10_000}
    assert send().status_code == 400
    assert EnquirySubmission.objects.get().spam_reason == "sent too fast"


def test_an_invalid_enquiry_sent_too_fast_is_422_and_stores_nothing(send, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 60, "RATE_LIMIT": 10_000}
    response = send(consent=False, imie_i_nazwisko="", wiadomosc="")
    assert response.status_code == 422
    assert ("answers", "wiadomosc") in errors_by_location(response)
    assert not EnquirySubmission.objects.exists()


def test_a_forged_token_is_400_and_stores_nothing(send):
    response = send(token="forged")
    assert response.status_code == 400
    assert "otwarty bardzo długo" in response.json()["detail"]
    assert EnquirySubmission.objects.count() == 0


def test_posts_over_the_rate_limit_get_429(send, resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 2}
    resident.defaults["REMOTE_ADDR"] = "192.0.2.90"
    assert [send().status_code for _ in range(3)] == [201, 201, 429]
    assert EnquirySubmission.objects.count() == 2


@pytest.mark.parametrize("debug", [True, False], ids=["dev", "production"])
def test_a_body_over_djangos_upload_limit_is_413_problem_json(send, settings, debug):
    settings.DEBUG = debug
    response = send(wiadomosc="a" * 3_000_000)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413 and "2621440" in problem["detail"]
    assert EnquirySubmission.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    ["not json", '{"answers": "text"}', '{"token": 1, "answers": {"a": {"b": 1}}}', "[]"],
)
def test_malformed_bodies_are_client_errors_not_500(resident, form_url, body):
    response = resident.post(form_url, body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert EnquirySubmission.objects.count() == 0


def test_an_unknown_or_unpublished_form_is_404(resident, kk_form, send):
    assert resident.get("/api/v3/enquiries/forms/999999/").status_code == 404
    kk_form.unpublish()
    assert send(token="x").status_code == 404


def test_the_endpoint_is_in_the_openapi_description(resident):
    schema = resident.get("/api/v3/openapi.json").json()
    operation = schema["paths"]["/api/v3/enquiries/forms/{page_id}/"]["post"]
    assert set(operation["responses"]) >= {"201", "422", "429"}
    assert "EnquiryFormPageSchema" in schema["components"]["schemas"]


def test_fields_without_choices_have_an_empty_list_of_choices(resident, form_url):
    fields = {field["name"]: field for field in resident.get(form_url).json()["fields"]}
    assert fields["imie_i_nazwisko"]["choices"] == []
    assert fields["temat"]["choices"]


@pytest.mark.parametrize(
    ("body", "location", "words"),
    [
        ({"answers": {"wiadomosc": {"b": 1}}}, ("answers", "wiadomosc"), "tekstem"),
        ({"answers": {"temat": [1, {"x": 2}]}}, ("answers", "temat"), "tekstem"),
        ({"answers": {}, "consent": "być może"}, ("consent",), "true"),
        ({"answers": {}, "token": 7}, ("token",), "tekstem"),
        ({"answers": "text"}, ("answers",), "obiektem"),
        ({"token": "x"}, ("answers",), "wymagane"),
        ([], (), "obiektem"),
    ],
)
def test_a_body_of_the_wrong_shape_gets_errors_by_answer_in_polish(
    resident, form_url, body, location, words
):
    if isinstance(body, dict):
        body = {"token": "x", **body}
    response = resident.post(form_url, body, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "Prosimy poprawić wskazane odpowiedzi."
    assert words in errors_by_location(response)[location]
    assert all(error["loc"][:1] != ["body"] for error in problem["errors"])
    assert EnquirySubmission.objects.count() == 0


def test_a_body_that_is_not_json_is_400_in_polish(resident, form_url):
    response = resident.post(form_url, "not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "JSON" in response.json()["detail"] and "Prosimy" in response.json()["detail"]


def enquiry_operations(client):
    document = client.get("/api/v3/openapi.json").json()
    return document, document["paths"]["/api/v3/enquiries/forms/{page_id}/"]


@pytest.mark.parametrize(
    ("method", "statuses"),
    [("get", {"400", "404", "422"}), ("post", {"400", "404", "409", "413", "422", "429"})],
)
def test_every_error_the_endpoint_sends_is_documented_as_problem_json(resident, method, statuses):
    document, operations = enquiry_operations(resident)
    responses = operations[method]["responses"]
    errors = {status: response for status, response in responses.items() if status >= "400"}
    assert set(errors) == statuses
    for response in errors.values():
        (content_type,) = response["content"]
        assert content_type == "application/problem+json"
        schema = response["content"][content_type]["schema"]
        if "$ref" in schema:  # the example site's corrections refer to Wagtail's schema
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        assert set(schema["properties"]) == {"type", "title", "status", "detail", "errors"}


def test_the_request_body_is_documented_with_its_fields(resident):
    body = enquiry_operations(resident)[1]["post"]["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"token", "answers"}
    assert set(schema["properties"]) == {"token", "answers", "consent", "website"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_operations_have_english_summaries_and_descriptions(resident, method):
    operation = enquiry_operations(resident)[1][method]
    for text in (operation["summary"], operation["description"]):
        assert text.isascii() and len(text) > 20
    assert operation["tags"] == ["enquiries"]
