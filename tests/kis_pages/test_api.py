"""API v2 gives every page type's structured fields, workplaces as nested rows."""

import pytest
from django.apps import apps

from .test_rendering import DEMO_PAGE_TYPES


def api_pages(client, **params):
    response = client.get("/api/v2/pages/", {"fields": "*", **params})
    assert response.status_code == 200
    return response.json()["items"]


def test_workplace_edition_comes_with_its_workplaces_as_rows(kk_client):
    (edition,) = api_pages(kk_client, type="kis_pages.WorkplaceListPage")
    assert edition["year"] == 2020
    assert edition["hourly_rate"] == "8.50"
    assert len(edition["workplaces"]) == 22
    assert edition["workplaces"][5] == {
        "id": edition["workplaces"][5]["id"],
        "meta": {"type": "kis_pages.Workplace"},
        "unit_name": "Żłobek nr 10",
        "unit_kind": "nursery",
        "address": "",
        "places": None,
    }


def test_club_page_gives_its_contact_worker_and_eligible_groups(kk_client):
    (club,) = api_pages(kk_client, type="kis_pages.ClubPage")
    assert club["contact_worker"]["name"] == "Agnieszka Jarońska"
    assert club["contact_worker"]["phone"] == "+48774837723"
    assert club["eligible_groups"][-1]["value"] == "matki samotnie wychowujące dzieci"
    assert club["founded_year"] == 2004


def test_announcement_gives_dates_category_and_body(kk_client):
    (notice,) = api_pages(kk_client, type="kis_pages.AnnouncementPage")
    assert (notice["category"], notice["pinned"], notice["valid_until"]) == ("crisis", True, None)
    assert [block["type"] for block in notice["body"]][:2] == ["paragraph", "paragraph"]


@pytest.mark.parametrize("page_type,expected_field", DEMO_PAGE_TYPES)
def test_every_page_type_is_listed_with_its_own_fields(kk_client, page_type, expected_field):
    items = api_pages(kk_client, type=page_type)
    assert items, page_type
    assert expected_field in items[0]


def test_the_api_lists_only_the_pages_of_the_requested_club(client, kk_client):
    nysa_titles = {p["title"] for p in api_pages(client, type="kis_pages.ActivityPage")}
    kk_titles = {p["title"] for p in api_pages(kk_client, type="kis_pages.ActivityPage")}
    assert "Zajęcia komputerowe" in nysa_titles
    assert "Zajęcia komputerowe" not in kk_titles


def test_images_and_documents_endpoints_answer(client):
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200


def test_api_v3_has_a_typed_schema_with_the_api_fields_of_every_page_type(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    for page_type, _field in DEMO_PAGE_TYPES:
        model = apps.get_model(page_type)
        properties = schemas[f"{model.__name__}Schema"]["properties"]
        missing = {field.name for field in model.api_fields} - set(properties)
        assert not missing, (page_type, missing)


def test_api_v3_gives_the_statement_with_its_dates_and_status(kk_client):
    (item,) = kk_client.get(
        "/api/v3/pages/", {"type": "kis_pages.AccessibilityStatementPage"}
    ).json()["items"]
    statement = kk_client.get(f"/api/v3/pages/{item['id']}/").json()
    assert statement["status"] == "compliant"
    assert statement["last_reviewed_on"] == "2026-10-12"
    assert statement["contact_phone"] == "+48774837723"
