"""The enquiry form served from the page cache: each visitor still gets tokens of their own."""

import re
import time

import pytest
from django.test import Client

from kis_forms.intake import gate
from kis_forms.models import EnquirySubmission

from ..conftest import KK_HOST
from ..utils import enquiry_answers
from .conftest import FORM_PATH


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.KIS_PAGES = {"PAGE_CACHE": True}  # the cache is emptied by _database_and_gate


def browser():
    """A resident's browser: it keeps cookies, and Django checks its CSRF token."""
    return Client(enforce_csrf_checks=True, HTTP_HOST=KK_HOST)


def hidden_value(html, name):
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html).group(1)


def open_form(client):
    """GET the form: the response and the two per-visitor tokens in it."""
    response = client.get(FORM_PATH)
    assert response.status_code == 200
    html = response.content.decode()
    return response, hidden_value(html, "csrfmiddlewaretoken"), hidden_value(html, gate.TOKEN_FIELD)


def send(client, csrf_token, form_token):
    data = {"csrfmiddlewaretoken": csrf_token, gate.TOKEN_FIELD: form_token, **enquiry_answers()}
    return client.post(FORM_PATH, data)


def test_two_visitors_of_a_kept_form_get_their_own_tokens_and_both_can_send(
    django_assert_num_queries,
):
    first, second = browser(), browser()
    kept, first_csrf, first_token = open_form(first)
    before_second_visit = time.time()
    with django_assert_num_queries(0):
        hit, second_csrf, second_token = open_form(second)

    assert (kept["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    assert first_token not in hit.content.decode() and first_csrf not in hit.content.decode()
    assert gate.read_token(second_token, f"{KK_HOST}{FORM_PATH}")["shown"] >= before_second_visit
    assert second.cookies["csrftoken"].value  # the hit gave the new visitor a CSRF cookie

    assert send(first, first_csrf, first_token).status_code == 303
    assert send(second, second_csrf, second_token).status_code == 303
    assert EnquirySubmission.objects.filter(status="new").count() == 2


def test_a_post_to_a_kept_form_reaches_the_form_and_is_not_kept():
    resident = browser()
    open_form(browser())
    open_form(browser())  # now kept
    _response, csrf_token, form_token = open_form(resident)

    sent = send(resident, csrf_token, form_token)

    assert sent.status_code == 303 and "X-Cache" not in sent
    assert EnquirySubmission.objects.filter(status="new").count() == 1


def test_the_landing_page_is_never_kept():
    resident = browser()
    _response, csrf_token, form_token = open_form(resident)
    landing_url = send(resident, csrf_token, form_token)["Location"]

    for _visit in range(2):
        landing = resident.get(landing_url)
        assert landing.status_code == 200 and "X-Cache" not in landing
        assert "no-store" in landing["Cache-Control"] and "private" in landing["Cache-Control"]
