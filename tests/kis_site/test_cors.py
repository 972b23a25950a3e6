"""A front end on another origin may call the APIs from the browser, if the site lists it.

The example site answers cross-origin requests (preflight included) on `/api/v2/` and
`/api/v3/` only, and only from the origins in `CORS_ALLOWED_ORIGINS` (empty by default:
no CORS at all). The admin and the pages never say another origin may read them.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from kis_forms.models import EnquiryFormPage, EnquirySubmission

from ..conftest import KK_HOST
from ..utils import enquiry_answers

pytestmark = pytest.mark.django_db

FRONT_END = "https://www.kis-kedzierzyn-kozle.example"
OTHER = "https://evil.example"


@pytest.fixture
def front_end_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0}
    cache.clear()  # rate-limit counters


@pytest.fixture
def browser():
    """A browser on the front end's page; Django checks CSRF as it would for a real one."""
    return Client(HTTP_HOST=KK_HOST, enforce_csrf_checks=True)


@pytest.fixture
def form_url():
    form = EnquiryFormPage.objects.get(url_path__contains="kedzierzyn")
    return f"/api/v3/enquiries/forms/{form.pk}/"


def preflight(client, url, origin, method="POST"):
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )


def cors_headers(response):
    return {name for name in response.headers if name.lower().startswith("access-control-")}


def test_a_preflight_from_the_listed_front_end_is_answered_with_its_origin(
    front_end_allowed, browser, form_url
):
    response = preflight(browser, form_url, FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "content-type" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_from_another_origin_gets_no_cors_headers(front_end_allowed, browser, form_url):
    response = preflight(browser, form_url, OTHER)
    assert cors_headers(response) == set()


def test_without_listed_origins_no_origin_gets_cors_headers(browser, form_url):
    response = preflight(browser, form_url, FRONT_END)
    assert cors_headers(response) == set()
    assert cors_headers(browser.get(form_url, HTTP_ORIGIN=FRONT_END)) == set()


def test_an_enquiry_posted_from_the_front_end_is_stored_and_readable_there(
    front_end_allowed, browser, form_url
):
    definition = browser.get(form_url, HTTP_ORIGIN=FRONT_END)
    assert definition["Access-Control-Allow-Origin"] == FRONT_END
    answers = enquiry_answers()
    del answers["consent"]
    body = {"token": definition.json()["token"], "answers": answers, "consent": True}
    response = browser.post(form_url, body, content_type="application/json", HTTP_ORIGIN=FRONT_END)
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert EnquirySubmission.objects.get().reference == response.json()["reference"]


@pytest.mark.parametrize("url", ["/api/v2/pages/?type=kis_pages.ClubPage", "/api/v3/pages/"])
def test_the_page_apis_are_readable_from_the_front_end(front_end_allowed, browser, url):
    assert preflight(browser, url, FRONT_END, "GET")["Access-Control-Allow-Origin"] == FRONT_END
    response = browser.get(url, HTTP_ORIGIN=FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END


@pytest.mark.parametrize("url", ["/", "/napisz-do-nas/", "/admin/login/", "/api-nie/"])
def test_the_admin_and_the_pages_get_no_cors_headers_even_for_the_front_end(
    front_end_allowed, browser, url
):
    assert cors_headers(browser.get(url, HTTP_ORIGIN=FRONT_END)) == set()
    assert cors_headers(preflight(browser, url, FRONT_END, "GET")) == set()
