"""Statistics keep to the inbox's per-club scope: a moderator of Nysa reads no figure of
Kędzierzyn-Koźle in the page, its exports, its history or the API, whatever club or form
they ask for; without a grant there is no report, and the API wants a staff token."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken, PageLogEntry

from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.permissions import VIEW
from kis_pages.models import WorkplaceListPage

from ..utils import make_enquiry
from .conftest import admin_user, assert_refused, logged_in

YEAR = 2025
REPORT = "kis_statistics:index"
API = "/api/v3/statistics/"
KK_ENQUIRIES = 4
IN_YEAR = datetime.datetime(YEAR, 5, 5, 12, tzinfo=datetime.UTC)


@pytest.fixture
def kk_year(kk_form):
    """Kędzierzyn-Koźle's enquiries of the year; Nysa has none."""
    for _number in range(KK_ENQUIRIES):
        make_enquiry(kk_form, submit_time=IN_YEAR)


@pytest.fixture
def nysa_viewer(django_user_model, clubs):
    return admin_user(django_user_model, "statystyki-nysa", clubs["nysa"], VIEW)


def bearer(user):
    _token, key = APIToken.create_token(user=user, name="statystyki")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def total_of(response):
    return response.context["figures"].total


def test_a_moderator_of_another_club_counts_none_of_its_enquiries(kk_year, nysa_viewer, clubs):
    """Nysa's moderator sees zero, also when asking for Kędzierzyn-Koźle or its form."""
    kk_form = EnquiryFormPage.objects.descendant_of(clubs["kk"]).get()
    client = logged_in(nysa_viewer)
    for choice in ({}, {"club": clubs["kk"].pk}, {"form": kk_form.pk}):
        response = client.get(reverse(REPORT), {"year": YEAR, **choice})
        assert response.status_code == 200
        assert total_of(response) == 0
        assert clubs["kk"].title not in response.content.decode()


@pytest.mark.parametrize("view", [REPORT, "kis_statistics:results"])
def test_the_club_of_the_moderator_is_counted(kk_year, kk_moderator, view):
    """The same report (and its results, which the filters reload), for Kędzierzyn-Koźle's
    moderator, counts its enquiries."""
    response = logged_in(kk_moderator).get(reverse(view), {"year": YEAR})
    assert total_of(response) == KK_ENQUIRIES


def test_another_clubs_socially_useful_work_is_left_out(nysa_viewer, clubs):
    """The editions of Kędzierzyn-Koźle's socially useful work stay out of Nysa's report."""
    response = logged_in(nysa_viewer).get(reverse(REPORT))
    kk_editions = WorkplaceListPage.objects.descendant_of(clubs["kk"])
    shown = {row["title"] for row in response.context["figures"].editions}
    assert kk_editions.exists()
    assert shown.isdisjoint(kk_editions.values_list("title", flat=True))


def test_an_export_leaves_other_clubs_out_and_their_history_alone(kk_year, nysa_viewer, clubs):
    """Nysa's CSV holds no Kędzierzyn-Koźle figure; only Nysa's history records it."""
    response = logged_in(nysa_viewer).get(
        reverse(REPORT), {"year": YEAR, "club": clubs["kk"].pk, "export": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert f";{KK_ENQUIRIES}" not in text
    logged = PageLogEntry.objects.filter(action="kis_forms.statistics.export")
    assert list(logged.values_list("page_id", flat=True)) == [clubs["nysa"].pk]


@pytest.mark.parametrize("export", [None, "csv", "xlsx"])
@pytest.mark.parametrize("view", [REPORT, "kis_statistics:results"])
def test_without_a_grant_there_is_no_report(django_user_model, view, export):
    """An editor with no enquiry grant gets neither the page, its results nor an export."""
    editor = admin_user(django_user_model, "redaktor")
    params = {"export": export} if export else {}
    assert_refused(logged_in(editor).get(reverse(view), params))
    assert not PageLogEntry.objects.filter(action="kis_forms.statistics.export").exists()


def test_an_anonymous_visitor_is_sent_to_the_login(db):
    response = Client().get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_menu_offers_statistics_only_to_those_with_a_grant(django_user_model, nysa_viewer):
    """Reports › Statistics is listed for a moderator, not for an editor without a grant."""
    editor = admin_user(django_user_model, "redaktor")
    link = reverse(REPORT)
    assert link in logged_in(nysa_viewer).get(reverse("wagtailadmin_home")).content.decode()
    assert link not in logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()


def test_the_api_wants_a_token(db):
    """Without a token the figures are a 401, a session cookie notwithstanding."""
    assert Client().get(API).status_code == 401


def test_the_api_refuses_a_token_without_a_grant(django_user_model):
    editor = admin_user(django_user_model, "redaktor")
    assert Client().get(API, **bearer(editor)).status_code == 403


def test_the_api_keeps_to_the_tokens_clubs(kk_year, nysa_viewer, clubs):
    """Nysa's token counts none of Kędzierzyn-Koźle's, and asking for that club is a 404."""
    client = Client()
    mine = client.get(API, {"year": YEAR}, **bearer(nysa_viewer))
    assert mine.json()["enquiries"] == 0
    kk_form = EnquiryFormPage.objects.descendant_of(clubs["kk"]).get()
    for choice in ({"club": clubs["kk"].pk}, {"form": kk_form.pk}):
        refused = client.get(API, {"year": YEAR, **choice}, **bearer(nysa_viewer))
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/problem+json"
    assert EnquirySubmission.objects.count() == KK_ENQUIRIES
