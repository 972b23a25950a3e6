"""Shared fixtures: the demo clubs are loaded once into the test database."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

KK_HOST = "kedzierzyn-kozle.localhost"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Both demo clubs, loaded once per run; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        call_command("kis_demo", stdout=io.StringIO())


@pytest.fixture
def nysa_site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def kk_site(db):
    return Site.objects.get(hostname=KK_HOST)


@pytest.fixture
def kk_client():
    """A test client whose requests go to the Kędzierzyn-Koźle site."""
    return Client(HTTP_HOST=KK_HOST)
