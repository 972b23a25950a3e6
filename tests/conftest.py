"""Shared fixtures: the demo clubs are loaded once into the test database."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings
from wagtail.models import Site

from kis_site.settings.security import security_settings

KK_HOST = "kedzierzyn-kozle.localhost"

# Property-based tests. "ci" (the default) tries the same examples on every run, so a failure
# in CI reproduces anywhere from the same code; "dev" (`pytest --hypothesis-profile=dev`)
# tries new random examples each run, many more of them, and prints a blob to reproduce a
# failure with @reproduce_failure. Requests take varying time, so there is no deadline. No
# examples are saved; hypothesis still caches Unicode tables in .hypothesis/ (git-ignored).
hypothesis_settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.register_profile(
    "dev", max_examples=400, deadline=None, database=None, print_blob=True
)
hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped on SQLite, saying so; on the PostgreSQL leg of
    .ci/run (KIS_POSTGRESQL_REQUIRED) a database that is not PostgreSQL is an error."""
    postgresql_only = [item for item in items if item.get_closest_marker("postgresql")]
    if not postgresql_only or connection.vendor == "postgresql":
        return
    if os.environ.get("KIS_POSTGRESQL_REQUIRED"):
        raise pytest.UsageError(
            f"{len(postgresql_only)} tests need PostgreSQL, and the database is "
            f"{connection.vendor}: set DATABASE_URL."
        )
    for item in postgresql_only:
        item.add_marker(pytest.mark.skip(reason="PostgreSQL only: run on .ci/run's PostgreSQL leg"))


def pytest_terminal_summary(terminalreporter):
    ran = [
        report
        for report in terminalreporter.stats.get("passed", [])
        if "postgresql" in report.keywords
    ]
    if ran:
        terminalreporter.write_line(f"PostgreSQL-only tests run and passed: {len(ran)}")


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
def resident():
    """A resident's browser on the Kędzierzyn-Koźle site."""
    return Client(HTTP_HOST=KK_HOST)


@pytest.fixture
def hardened(settings):
    """The test settings with production's hardening applied (headers, CSP, login lockout)."""
    for name, value in security_settings(settings.MIDDLEWARE).items():
        setattr(settings, name, value)
    return settings
