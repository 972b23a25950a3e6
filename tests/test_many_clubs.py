"""One install hosts many clubs (a voivodeship's, or the country's): an admin page makes the
same queries with five clubs as with the two demo clubs, whatever it lists of them.
"""

import copy

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from kis_forms.permissions import VIEW, grant

from kis_site.demo.loader import DemoLoader, read_clubs

ADDED_CLUBS = 3


@pytest.fixture
def regional_group(db):
    """A group that reads the enquiries of every club, as a voivodeship's staff would."""
    group = Group.objects.create(name="Administratorzy regionalni")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for site in Site.objects.all():
        grant(group, site.root_page, VIEW)
    return group


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    return client


def add_clubs(group):
    """Three more clubs, copies of the demo clubs' trees, each its own Site, granted to
    `group`."""
    seeds = read_clubs()
    loader = DemoLoader(lambda kind, name: None)
    for number in range(ADDED_CLUBS):
        data = copy.deepcopy(seeds[number % len(seeds)])
        data["club"].update(title=f"{data['club']['title']} ({number})", slug=f"klub-{number}")
        data["site"].update(hostname=f"klub-{number}.localhost", is_default_site=False)
        grant(group, loader.load_club(data).root_page, VIEW)


def queries(client, url):
    """The queries of `url` served a second time, as a warm server serves it."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_editing_a_group_of_every_club_makes_the_same_queries_with_more_clubs(
    superuser_client, regional_group, django_assert_num_queries
):
    """Settings › Groups › edit of a group with a row per club: no query per row."""
    url = reverse("wagtailusers_groups:edit", args=[regional_group.pk])
    with_two = queries(superuser_client, url)
    add_clubs(regional_group)
    superuser_client.get(url)
    with django_assert_num_queries(with_two):
        superuser_client.get(url)


def test_the_page_explorer_makes_the_same_queries_with_more_clubs(
    superuser_client, regional_group, django_assert_num_queries
):
    """The explorer's root, which lists every club's home: no query per club."""
    url = reverse("wagtailadmin_explore_root")
    with_two = queries(superuser_client, url)
    add_clubs(regional_group)
    superuser_client.get(url)
    with django_assert_num_queries(with_two):
        superuser_client.get(url)
