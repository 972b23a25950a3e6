import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Site

from kis_forms.intake import gate
from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.permissions import HANDLE, grant

from ..conftest import KK_HOST
from ..utils import post_enquiry

FORM_PATH = "/napisz-do-nas/"


@pytest.fixture(autouse=True)
def _database_and_gate(db, settings):
    """Every test reads the demo forms; the gate's timing and rate limit are tested apart."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    cache.clear()  # rate-limit counters; with Redis they outlive a test run


@pytest.fixture
def clock(monkeypatch):
    """The clock of the gate and of the token's signature, which a test moves on by hand."""
    fake = SimpleNamespace(now=1_800_000_000.0)
    fake.time = lambda: fake.now
    monkeypatch.setattr(gate, "time", fake)
    monkeypatch.setattr(signing, "time", fake)
    return fake


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Jobs go to the database queue and run only when the test runs the worker.

    The worker closes connections it thinks stale; inside a test's transaction that would
    close the test's own connection (Django's test client skips the same check).
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    """Run every due job of the database queue, then stop."""
    call_command("kis_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


@pytest.fixture
def kk_form():
    return EnquiryFormPage.objects.get(slug="napisz-do-nas", url_path__contains="kedzierzyn")


def admin_user(django_user_model, name, club=None, codename=None):
    """A user who may open the admin; with `club`, granted `codename` on its enquiries."""
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if club is not None:
        grant(group, club, codename)
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "x")
    user.groups.add(group)
    return user


def may_edit_pages(user, *clubs):
    """Let the user's group add, change and publish the pages of `clubs`."""
    for club in clubs:
        for permission_type in ("add", "change", "publish"):
            GroupPagePermission.objects.create(
                group=user.groups.get(), page=club, permission_type=permission_type
            )
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clubs():
    return {
        "nysa": Site.objects.get(is_default_site=True).root_page,
        "kk": Site.objects.get(hostname=KK_HOST).root_page,
    }


@pytest.fixture
def enquiries(clubs):
    """One enquiry sent to each club's form."""
    post_enquiry(Client(), FORM_PATH, imie_i_nazwisko="Mieszkanka Nysy")
    post_enquiry(Client(HTTP_HOST=KK_HOST), FORM_PATH, imie_i_nazwisko="Mieszkaniec Koźla")
    by_club = {}
    for key, club in clubs.items():
        by_club[key] = EnquirySubmission.objects.get(page__path__startswith=club.path)
    return by_club


@pytest.fixture
def kk_moderator(django_user_model, clubs):
    return admin_user(django_user_model, "moderator-kk", clubs["kk"], HANDLE)


@pytest.fixture
def nysa_moderator(django_user_model, clubs):
    return admin_user(django_user_model, "moderator-nysa", clubs["nysa"], HANDLE)


def assert_refused(response):
    """Not found, forbidden, or Wagtail's way of refusing: back to the dashboard."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code in (403, 404)


def url(name, enquiry=None):
    return reverse(f"enquiries:{name}", args=[enquiry.pk] if enquiry else [])
