"""An editor's Preview shows the draft in the headless front end, where a host configures one.

With `WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]` set (the example site: `HEADLESS_PREVIEW_URL`),
Preview sends the editor to the front end with a one-off token; the front end reads the
draft from `/api/v2/page_preview/` with that token, and from nowhere else. Without it,
Wagtail's own preview draws the page with the club theme.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from kis_forms.models import EnquiryFormPage
from kis_pages import models as kis_pages_models
from kis_pages.models import ActivityPage, ClubPage

FRONT_END = "https://www.kis.example"
DRAFT_TITLE = "Szkic: nowa nazwa klubu"
PAGE_MODELS = [
    model
    for model in vars(kis_pages_models).values()
    if isinstance(model, type) and issubclass(model, Page)
] + [EnquiryFormPage]


@pytest.fixture
def front_end(settings):
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {"default": FRONT_END},
        "REDIRECT_ON_PREVIEW": True,
    }


@pytest.fixture
def club(kk_site):
    return kk_site.root_page.specific


def press_preview(page, **changes):
    """Preview `page` with `changes` unsaved, as the admin's Preview does once it read the form."""
    for name, value in changes.items():
        setattr(page, name, value)
    return page.make_preview_request(preview_mode=page.default_preview_mode)


def preview_query(response):
    """The content type and token the front end was sent with."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == FRONT_END
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def test_without_a_front_end_preview_draws_the_draft_with_the_club_theme(club):
    response = press_preview(club, title=DRAFT_TITLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert DRAFT_TITLE in html and 'class="site-header"' in html


def test_a_host_with_a_front_end_but_without_the_package_keeps_wagtails_preview(
    club, front_end, monkeypatch
):
    is_installed = apps.is_installed
    package = "wagtail_headless_preview"
    monkeypatch.setattr(apps, "is_installed", lambda name: name != package and is_installed(name))
    response = press_preview(club, title=DRAFT_TITLE)
    assert response.status_code == 200 and DRAFT_TITLE in response.content.decode()


def test_the_editors_preview_button_sends_them_to_the_front_end(admin_client, front_end):
    form = EnquiryFormPage.objects.get(url_path__contains="kedzierzyn")
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[form.pk]))
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[form.pk])
    assert admin_client.post(preview_url, data).json()["is_valid"] is True
    query = preview_query(admin_client.get(preview_url))
    assert query["content_type"] == "kis_forms.enquiryformpage" and query["token"]


@pytest.mark.parametrize("model", PAGE_MODELS)
def test_every_page_type_is_previewed_in_the_front_end(resident, front_end, model):
    page = model.objects.filter(url_path__contains="kedzierzyn").first()
    query = preview_query(press_preview(page, title=DRAFT_TITLE))
    assert query["content_type"] == f"{model._meta.app_label}.{model._meta.model_name}"
    preview = resident.get("/api/v2/page_preview/", {**query, "fields": "*"})
    assert preview.status_code == 200
    assert preview.json()["title"] == DRAFT_TITLE
    assert preview.json()["meta"]["type"] == model._meta.label


def test_the_preview_api_gives_the_draft_to_its_token_and_the_live_page_stays(
    resident, front_end, club
):
    live_title = club.title
    club.title = DRAFT_TITLE
    club.save_revision()  # saved, not published
    # The editor opens the page (its latest revision) and presses Preview.
    draft = ClubPage.objects.get(pk=club.pk).get_latest_revision_as_object()
    query = preview_query(press_preview(draft))

    preview = resident.get("/api/v2/page_preview/", query)
    assert preview.status_code == 200
    assert preview.json()["title"] == DRAFT_TITLE
    assert preview.json()["id"] == club.pk
    assert resident.get(f"/api/v2/pages/{club.pk}/").json()["title"] == live_title
    assert resident.get(f"/api/v3/pages/{club.pk}/").json()["title"] == live_title


def test_the_preview_api_gives_nothing_for_a_wrong_or_foreign_token(resident, front_end, club):
    query = preview_query(press_preview(club, title=DRAFT_TITLE))
    activity = ActivityPage.objects.filter(url_path__contains="kedzierzyn").first()
    other = preview_query(press_preview(activity))
    token = query["token"]
    for wrong in [
        {**query, "token": token[:-1] + ("A" if token[-1] != "A" else "B")},
        {**query, "token": "x"},
        {**query, "token": other["token"]},
        {**query, "content_type": other["content_type"]},
        {**query, "content_type": "nie.ma"},
        {"content_type": query["content_type"]},
    ]:
        response = resident.get("/api/v2/page_preview/", wrong)
        assert response.status_code == 404, wrong
        assert DRAFT_TITLE not in response.content.decode()
