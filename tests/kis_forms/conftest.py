import pytest
from django.core.cache import cache
from django.test import Client

from kis_forms.models import EnquiryFormPage

from ..conftest import KK_HOST

FORM_PATH = "/napisz-do-nas/"


@pytest.fixture(autouse=True)
def _database_and_gate(db, settings):
    """Every test reads the demo forms; the gate's timing and rate limit are tested apart."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    cache.clear()  # rate-limit counters; with Redis they outlive a test run


@pytest.fixture
def kk_form():
    return EnquiryFormPage.objects.get(slug="napisz-do-nas", url_path__contains="kedzierzyn")


@pytest.fixture
def resident():
    """A resident's browser on the Kędzierzyn-Koźle site."""
    return Client(HTTP_HOST=KK_HOST)
