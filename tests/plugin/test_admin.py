"""A superuser builds a whole club in the host's admin, and the admin keeps working.

The club is a section under the page `wagtail start` made, not a Site root; every page of
it was created and published by posting the admin's own forms (see conftest.build_club).
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_club_may_be_added_under_the_host_home_page(editor_client, home_page):
    from kis_pages.models import ClubPage

    assert ClubPage.can_create_at(home_page)
    response = editor_client.get(reverse("wagtailadmin_pages:add_subpage", args=[home_page.pk]))
    assert response.status_code == 200
    assert reverse("wagtailadmin_pages:add", args=("kis_pages", "clubpage", home_page.pk)) in (
        response.content.decode()
    )


def test_the_superuser_built_every_page_type_live_under_the_club(club_tree):
    expected = {
        "activities": "activityindexpage",
        "activity": "activitypage",
        "workplaces": "workplacelistpage",
        "announcements": "announcementindexpage",
        "crisis": "announcementpage",
        "form": "enquiryformpage",
        "statement": "accessibilitystatementpage",
        "easy_read": "easyreadpage",
    }
    club = club_tree.club
    assert club.get_parent().pk == club_tree.home.pk
    for key, model_name in expected.items():
        page = getattr(club_tree, key)
        page.refresh_from_db()
        assert page.live and page.specific_class._meta.model_name == model_name
        assert page.is_descendant_of(club)
    assert [w.unit_name for w in club_tree.workplaces.workplaces.all()] == [
        "Żłobek nr 10",
        "Urząd Miasta",
    ]
    assert [f.clean_name for f in club_tree.form.form_fields.all()] == [
        "imie_i_nazwisko",
        "e_mail",
        "wiadomosc",
    ]


@pytest.mark.parametrize(
    "url_name",
    ["wagtailadmin_home", "enquiries:index", "kis_statistics:index", "wagtailusers_groups:add"],
)
def test_the_dashboard_inbox_statistics_and_new_group_views_answer(editor_client, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="pl"' in response.content.decode()


def test_an_existing_groups_edit_view_answers(editor_client):
    group = Group.objects.get(name="Editors")  # made by Wagtail's migrations
    response = editor_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    assert response.status_code == 200


def test_the_social_worker_snippet_list_shows_the_worker(editor_client, club_tree):
    response = editor_client.get(reverse("wagtailsnippets_kis_pages_socialworker:list"))
    assert response.status_code == 200
    assert club_tree.worker.name in response.content.decode()
