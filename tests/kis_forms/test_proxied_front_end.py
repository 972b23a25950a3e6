"""A front end's server that passes residents' enquiries on keeps them apart in the rate limit.

The resident's browser posts to the front end (say Next.js), whose server posts the JSON
to the site through the site's reverse proxy. Each appends the address it was called from
to `X-Forwarded-For`; with `KIS_FORMS["PROXY_COUNT"]` counting both, the rate limit sees
the resident's address, and whatever the resident wrote there before the front end's
entry is never taken for it.
"""

import pytest
from django.test import Client

from kis_forms.models import EnquirySubmission

from ..conftest import KK_HOST
from ..utils import enquiry_answers

REVERSE_PROXY = "10.0.0.1"
FRONT_END_SERVER = "10.1.0.5"
RESIDENT_A = "198.51.100.7"
RESIDENT_B = "203.0.113.9"


@pytest.fixture
def front_end(kk_form, settings):
    """The front end's server posting one enquiry for a resident who wrote `forwarded`."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 1, "PROXY_COUNT": 2}
    url = f"/api/v3/enquiries/forms/{kk_form.pk}/"
    server = Client(HTTP_HOST=KK_HOST, REMOTE_ADDR=REVERSE_PROXY)

    def post(forwarded):
        token = server.get(url, HTTP_X_FORWARDED_FOR=FRONT_END_SERVER).json()["token"]
        answers = enquiry_answers()
        del answers["consent"]
        body = {"token": token, "answers": answers, "consent": True}
        # The front end's server appends its caller, the reverse proxy the front end's server.
        chain = ", ".join([*forwarded, FRONT_END_SERVER])
        return server.post(url, body, content_type="application/json", HTTP_X_FORWARDED_FOR=chain)

    return post


def test_two_residents_behind_one_front_end_server_are_counted_apart(front_end):
    assert front_end([RESIDENT_A]).status_code == 201
    assert front_end([RESIDENT_A]).status_code == 429
    assert front_end([RESIDENT_B]).status_code == 201
    assert EnquirySubmission.objects.count() == 2


def test_an_address_the_resident_adds_to_x_forwarded_for_does_not_reset_the_count(front_end):
    assert front_end([RESIDENT_A]).status_code == 201
    assert front_end(["192.0.2.99", RESIDENT_A]).status_code == 429
    assert front_end([RESIDENT_B, RESIDENT_A]).status_code == 429
    assert EnquirySubmission.objects.count() == 1
