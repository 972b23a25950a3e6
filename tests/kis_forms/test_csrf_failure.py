"""A post refused by the CSRF check: the resident keeps what they typed and can send again."""

import re

from django.core import mail
from django.test import Client

from kis_forms.intake import gate
from kis_forms.models import EnquirySubmission

from ..conftest import KK_HOST
from ..utils import enquiry_answers
from .conftest import FORM_PATH

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_tokens(response):
    """The CSRF and one-time tokens of the form a page shows."""
    return {
        "csrfmiddlewaretoken": CSRF_INPUT.search(response.content.decode()).group(1),
        gate.TOKEN_FIELD: response.context["form"][gate.TOKEN_FIELD].value(),
    }


def test_an_expired_csrf_cookie_shows_the_form_again_filled_in(settings):
    resident = Client(enforce_csrf_checks=True, HTTP_HOST=KK_HOST)
    tokens = form_tokens(resident.get(FORM_PATH))
    del resident.cookies[settings.CSRF_COOKIE_NAME]

    refused = resident.post(FORM_PATH, {**tokens, **enquiry_answers(wiadomosc="Długi tekst")})
    assert refused.status_code == 403
    assert "Twoje odpowiedzi są poniżej" in refused.content.decode()
    assert refused.context["form"]["wiadomosc"].value() == "Długi tekst"
    assert not EnquirySubmission.objects.exists() and mail.outbox == []

    sent = resident.post(FORM_PATH, {**form_tokens(refused), **enquiry_answers()})
    assert sent.status_code == 303
    assert EnquirySubmission.objects.count() == 1


def test_any_other_refused_post_gets_a_polish_page():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="pl">' in page and "Nie udało się wysłać formularza" in page


def test_a_query_string_with_nul_gets_a_polish_page():
    response = Client(HTTP_HOST=KK_HOST).get("/", {"szukaj": "a\x00b"})
    assert response.status_code == 400
    assert "Nieprawidłowy adres" in response.content.decode()
