"""One install hosts many clubs (a voivodeship's, or the country's): an admin page makes the
same queries with five clubs as with the two demo clubs, whatever it lists of them.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from kis_forms.models import EnquiryFormPage
from kis_forms.permissions import HANDLE, VIEW, grant

from .utils import copy_demo_clubs, make_enquiry

ADDED_CLUBS = 3


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def member_of(django_user_model, name, clubs, codename):
    """A user of a new group granted `codename` on each of `clubs`."""
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for club in clubs:
        grant(group, club, codename)
    user = django_user_model.objects.create_user(name)
    user.groups.add(group)
    return user, group


def queries(client, url):
    """The queries of `url` served a second time, as a warm server serves it."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def with_enquiry(club):
    """`club`, with an enquiry sent to its form."""
    make_enquiry(EnquiryFormPage.objects.descendant_of(club).get())
    return club


def assert_same_queries_with_more_clubs(client, url, assert_num_queries, grant_to=None):
    """`url` makes as many queries with three more clubs (granted to `grant_to`) as with two,
    each club with an enquiry."""
    for site in Site.objects.all():
        with_enquiry(site.root_page)
    with_two = queries(client, url)
    for club in copy_demo_clubs(ADDED_CLUBS):
        with_enquiry(club)
        if grant_to is not None:
            grant(grant_to, club, VIEW)
    client.get(url)
    with assert_num_queries(with_two):
        client.get(url)


@pytest.mark.django_db
def test_the_page_explorer_makes_the_same_queries_with_more_clubs(
    django_user_model, django_assert_num_queries
):
    """The explorer's root lists every club's home: no query per club."""
    superuser = django_user_model.objects.create_superuser("admin", "a@example.org", "x")
    assert_same_queries_with_more_clubs(
        logged_in(superuser), reverse("wagtailadmin_explore_root"), django_assert_num_queries
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["enquiries:index", "wagtailadmin_home"])
def test_a_regional_admins_inbox_and_dashboard_make_the_same_queries_with_more_clubs(
    django_user_model, django_assert_num_queries, url_name
):
    """A regional admin reads every club's enquiries: no query per club."""
    clubs = [site.root_page for site in Site.objects.all()]
    regional, group = member_of(django_user_model, "regional", clubs, VIEW)
    assert_same_queries_with_more_clubs(
        logged_in(regional), reverse(url_name), django_assert_num_queries, grant_to=group
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["enquiries:index", "wagtailadmin_home"])
def test_a_club_moderators_inbox_and_dashboard_make_the_same_queries_with_more_clubs(
    django_user_model, django_assert_num_queries, url_name
):
    """A club's moderator reads one club's enquiries however many clubs the install holds."""
    moderator, _group = member_of(
        django_user_model, "moderator", [Site.objects.get(is_default_site=True).root_page], HANDLE
    )
    assert_same_queries_with_more_clubs(
        logged_in(moderator), reverse(url_name), django_assert_num_queries
    )
