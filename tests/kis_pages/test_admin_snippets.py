"""Editors manage social workers and the club settings in the Wagtail admin."""

from django.urls import reverse

from kis_pages.models import ClubSettings, SocialWorker

from ..utils import make_worker


def worker_list(client, **params):
    response = client.get(reverse("wagtailsnippets_kis_pages_socialworker:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_social_workers_are_listed_with_their_work_phone(admin_client):
    html = worker_list(admin_client)
    assert "Agnieszka Jarońska" in html
    assert "77 483 77 23" in html


def test_social_workers_can_be_searched_by_name(admin_client):
    make_worker(name="Barbara Nowak")
    html = worker_list(admin_client, q="Jaroń")
    assert "Agnieszka Jarońska" in html and "Barbara Nowak" not in html


def test_social_workers_can_be_filtered_by_active(admin_client):
    make_worker(name="Barbara Nowak", active=False)
    html = worker_list(admin_client, active="false")
    assert "Barbara Nowak" in html and "Agnieszka Jarońska" not in html


def test_adding_a_worker_normalises_the_phone_and_refuses_a_bad_one(admin_client):
    url = reverse("wagtailsnippets_kis_pages_socialworker:add")
    data = {"name": "Ewa Kowalska", "position": "lider klubu", "phone": "77 483 77 24"}
    assert admin_client.post(url, {**data, "active": "on"}).status_code == 302
    assert SocialWorker.objects.get(name="Ewa Kowalska").phone == "+48774837724"

    response = admin_client.post(url, {**data, "name": "Zły Numer", "phone": "12345"})
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not SocialWorker.objects.filter(name="Zły Numer").exists()


def test_club_settings_are_edited_per_site(admin_client, kk_site):
    url = reverse("wagtailsettings:edit", args=["kis_pages", "clubsettings", kk_site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Miejski Ośrodek Pomocy Społecznej w Kędzierzynie-Koźlu" in response.content.decode()
    settings = ClubSettings.for_site(kk_site)
    assert settings.enquiry_retention_days == 730
