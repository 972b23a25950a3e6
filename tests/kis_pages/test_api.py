"""API v2 and v3 give every page type's structured fields, workplaces as nested rows, and
what a front end needs to build a club page without re-deriving it: the club's settings and
the worker who answers today as the footer shows them, labels beside choice codes, and which
announcements are current and which form the banner by the club's midnight rule."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation
from wagtail.models import PageViewRestriction

from kis_pages.models import ActivityPage, ClubSettings

from ..conftest import KK_HOST
from ..utils import DEMO_PAGE_TYPES, make_club, make_worker

APIS = ["v2", "v3"]


def api_pages(client, **params):
    response = client.get("/api/v2/pages/", {"fields": "*", **params})
    assert response.status_code == 200
    return response.json()["items"]


def test_workplace_edition_comes_with_its_workplaces_as_rows(resident):
    (edition,) = api_pages(resident, type="kis_pages.WorkplaceListPage")
    assert edition["year"] == 2020
    assert edition["hourly_rate"] == "8.50"
    assert len(edition["workplaces"]) == 22
    assert edition["workplaces"][5] == {
        "id": edition["workplaces"][5]["id"],
        "meta": {"type": "kis_pages.Workplace"},
        "unit_name": "Żłobek nr 10",
        "unit_kind": "nursery",
        "unit_kind_label": "żłobek lub przedszkole",
        "address": "",
        "places": None,
    }


def test_club_page_gives_its_contact_worker_and_eligible_groups(resident):
    (club,) = api_pages(resident, type="kis_pages.ClubPage")
    assert club["contact_worker"]["name"] == "Agnieszka Jarońska"
    assert club["contact_worker"]["phone"] == "+48774837723"
    assert club["eligible_groups"][-1]["value"] == "matki samotnie wychowujące dzieci"
    assert club["founded_year"] == 2004


def test_announcement_gives_dates_category_and_body(resident):
    (notice,) = api_pages(resident, type="kis_pages.AnnouncementPage")
    assert (notice["category"], notice["pinned"], notice["valid_until"]) == ("crisis", True, None)
    assert [block["type"] for block in notice["body"]][:2] == ["paragraph", "paragraph"]


@pytest.mark.parametrize("page_type,expected_field", DEMO_PAGE_TYPES)
def test_every_page_type_is_listed_with_its_own_fields(resident, page_type, expected_field):
    items = api_pages(resident, type=page_type)
    assert items, page_type
    assert expected_field in items[0]


def test_the_api_lists_only_the_pages_of_the_requested_club(client, resident):
    nysa_titles = {p["title"] for p in api_pages(client, type="kis_pages.ActivityPage")}
    kk_titles = {p["title"] for p in api_pages(resident, type="kis_pages.ActivityPage")}
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


def test_api_v3_gives_the_statement_with_its_dates_and_status(resident):
    (item,) = resident.get(
        "/api/v3/pages/", {"type": "kis_pages.AccessibilityStatementPage"}
    ).json()["items"]
    statement = resident.get(f"/api/v3/pages/{item['id']}/").json()
    assert statement["status"] == "compliant"
    assert statement["last_reviewed_on"] == "2026-10-12"
    assert statement["contact_phone"] == "+48774837723"


def v3_pages(client, **params):
    """The v3 detail of every page a v3 listing gives, as v3 lists only the common fields."""
    response = client.get("/api/v3/pages/", params)
    assert response.status_code == 200
    return [client.get(f"/api/v3/pages/{item['id']}/").json() for item in response.json()["items"]]


def pages_of(client, api, page_type, **params):
    if api == "v2":
        return api_pages(client, type=page_type, **params)
    return v3_pages(client, type=page_type, **params)


def footer_contact(client, host=KK_HOST):
    """The contact section of the club's rendered footer."""
    html = client.get("/", HTTP_HOST=host).content.decode()
    return re.search(r'<section id="kontakt".*?</section>', html, re.S).group(0)


@pytest.fixture
def kk_settings(kk_site):
    """Kędzierzyn-Koźle's settings with BIP, ePUAP, a data protection officer and hours."""
    row = ClubSettings.for_site(kk_site)
    row.bip_url = "https://bip.example.org/mops"
    row.epuap_address = "/MOPSKK/SkrytkaESP"
    row.dpo_name = "Jan Inspektor"
    row.dpo_email = "iod@example.org"
    row.opening_hours = [
        {"type": "day", "value": {"day": "mon", "opens": "07:30", "closes": "15:30"}},
        {"type": "day", "value": {"day": "wed", "closed": True, "note": "dzień wewnętrzny"}},
    ]
    row.save()
    return row


@pytest.mark.parametrize("api", APIS)
def test_the_club_gives_its_settings_and_contact_as_its_footer_shows_them(
    client, resident, kk_settings, api
):
    (club,) = pages_of(resident, api, "kis_pages.ClubPage")
    contact, settings = club["contact"], club["club_settings"]
    assert contact["phone_display"] == "77 483 77 23 wew. 103"
    assert contact["phone_href"] == "tel:+48-77-483-77-23;ext=103"
    assert contact["name"] == "Agnieszka Jarońska"
    assert contact["room"] == "I piętro, pokój 102"
    assert settings["institution_name"] == "Miejski Ośrodek Pomocy Społecznej w Kędzierzynie-Koźlu"
    assert settings["opening_hours"] == [
        {
            "day": "mon",
            "day_label": "poniedziałek",
            "closed": False,
            "opens": "07:30",
            "closes": "15:30",
            "note": "",
        },
        {
            "day": "wed",
            "day_label": "środa",
            "closed": True,
            "opens": None,
            "closes": None,
            "note": "dzień wewnętrzny",
        },
    ]
    assert (settings["dpo_name"], settings["dpo_email"]) == ("Jan Inspektor", "iod@example.org")
    assert "rodo_clause" not in settings and "enquiry_retention_days" not in settings

    footer = footer_contact(client)
    assert f'<a href="{contact["phone_href"]}">{contact["phone_display"]}</a>' in footer
    for text in (contact["name"], contact["position"], contact["room"], contact["email"]):
        assert text in footer
    for text in (settings["institution_name"], settings["bip_url"], settings["epuap_address"]):
        assert text in footer
    for row in settings["opening_hours"]:
        assert f"<dt>{row['day_label']}</dt>" in footer
    assert '<time datetime="07:30">07:30</time>' in footer


@pytest.mark.parametrize("api", APIS)
def test_while_the_contact_worker_is_away_the_club_gives_the_deputy_as_the_footer_does(
    client, resident, kk_site, api
):
    worker = kk_site.root_page.specific.contact_worker
    deputy = make_worker(name="Jan Zastępca", phone="+48774837700", phone_extension="110")
    worker.deputy, worker.active = deputy, False
    worker.save()

    (club,) = pages_of(resident, api, "kis_pages.ClubPage")

    assert club["contact"]["name"] == "Jan Zastępca"
    assert club["contact"]["phone_href"] == "tel:+48-77-483-77-00;ext=110"
    assert club["contact_worker"]["name"] == "Agnieszka Jarońska"
    footer = footer_contact(client)
    assert "Jan Zastępca" in footer and "Agnieszka Jarońska" not in footer
    assert (
        f'<a href="tel:+48-77-483-77-00;ext=110">{club["contact"]["phone_display"]}</a>' in footer
    )


@pytest.mark.parametrize("api", APIS)
def test_a_club_without_a_contact_worker_gives_no_contact_and_its_own_sites_settings(api):
    club = make_club(hostname="bez-kontaktu.localhost")
    row = ClubSettings.for_site(club.get_site())
    row.institution_name = "Ośrodek bez kontaktu"
    row.save()

    (item,) = pages_of(Client(HTTP_HOST="bez-kontaktu.localhost"), api, "kis_pages.ClubPage")

    assert item["contact"] is None and item["contact_worker"] is None
    assert item["club_settings"]["institution_name"] == "Ośrodek bez kontaktu"
    assert item["club_settings"]["opening_hours"] == []


@pytest.mark.parametrize("api", APIS)
def test_a_draft_of_the_club_changes_neither_its_contact_nor_anything_else_in_the_api(
    resident, kk_site, api
):
    club = kk_site.root_page.specific
    club.contact_worker = make_worker(name="Tylko w szkicu")
    club.title = "Szkic"
    club.save_revision()

    (item,) = pages_of(resident, api, "kis_pages.ClubPage")

    assert item["contact"]["name"] == item["contact_worker"]["name"] == "Agnieszka Jarońska"
    assert item["title"] != "Szkic"


@pytest.mark.parametrize("api", APIS)
def test_a_club_behind_a_password_gives_neither_its_settings_nor_its_contact(
    resident, kk_site, kk_settings, api
):
    club = kk_site.root_page
    PageViewRestriction.objects.create(page=club, restriction_type="password", password="x")

    listing = resident.get(f"/api/{api}/pages/", {"type": "kis_pages.ClubPage"}).json()
    detail = resident.get(f"/api/{api}/pages/{club.pk}/")

    assert listing["items"] == [] and detail.status_code == 404
    assert "SkrytkaESP" not in detail.content.decode()


@pytest.mark.parametrize("api", APIS)
def test_choice_fields_come_with_their_polish_labels(resident, api):
    activities = pages_of(resident, api, "kis_pages.ActivityPage")
    workshop = next(page for page in activities if page["kind"] == "workshop")
    assert (workshop["kind_label"], workshop["format_label"]) == ("warsztaty", "w grupie")
    (notice,) = pages_of(resident, api, "kis_pages.AnnouncementPage")
    assert notice["category_label"] == "sytuacja kryzysowa i bezpieczeństwo"
    (edition,) = pages_of(resident, api, "kis_pages.WorkplaceListPage")
    nursery = next(row for row in edition["workplaces"] if row["unit_kind"] == "nursery")
    assert nursery["unit_kind_label"] == "żłobek lub przedszkole"
    (statement,) = pages_of(resident, api, "kis_pages.AccessibilityStatementPage")
    assert (statement["status_label"], statement["assessment_label"]) == ("zgodna", "samoocena")


def test_an_inaccessible_item_comes_with_the_label_of_its_reason(resident, kk_site):
    statement = (
        kk_site.root_page.get_children()
        .type(apps.get_model("kis_pages.AccessibilityStatementPage"))
        .get()
        .specific
    )
    statement.status = "partially_compliant"
    statement.inaccessible_content = [
        {
            "type": "item",
            "value": {"content": "Skany", "reason_kind": "exemption", "reason": "Sprzed 2018."},
        }
    ]
    statement.save_revision().publish()

    for api in APIS:
        (item,) = pages_of(resident, api, "kis_pages.AccessibilityStatementPage")
        assert item["inaccessible_content"][0]["value"]["reason_kind_label"] == (
            "wyłączenie z ustawy"
        ), api


def test_labels_follow_the_language_active_when_the_api_answers(resident):
    with translation.override("en"):
        activities = api_pages(resident, type="kis_pages.ActivityPage")
        (club,) = api_pages(resident, type="kis_pages.ClubPage")
    workshop = next(page for page in activities if page["kind"] == ActivityPage.Kind.WORKSHOP)
    assert workshop["kind_label"] == "workshop"
    assert club["contact"]["phone_display"] == "77 483 77 23 ext. 103"


@pytest.mark.parametrize("api", APIS)
def test_a_notice_ending_today_is_current_and_a_banner_until_midnight(notice_ending_tonight, api):
    notice = notice_ending_tonight
    host = Client(HTTP_HOST=notice.host)

    (item,) = pages_of(host, api, "kis_pages.AnnouncementPage")
    assert (item["is_current"], item["is_banner"]) == (True, True)

    notice.past_midnight()

    (item,) = pages_of(host, api, "kis_pages.AnnouncementPage")
    assert (item["is_current"], item["is_banner"]) == (False, False)


def test_v2_filters_announcements_by_current_and_banner_with_the_same_midnight_rule(
    notice_ending_tonight,
):
    notice = notice_ending_tonight
    host = Client(HTTP_HOST=notice.host)
    for name in ("current", "banner"):
        assert [
            item["title"]
            for item in api_pages(host, type="kis_pages.AnnouncementPage", **{name: "true"})
        ] == [notice.title]
        assert api_pages(host, type="kis_pages.AnnouncementPage", **{name: "false"}) == []

    notice.past_midnight()

    for name in ("current", "banner"):
        assert api_pages(host, type="kis_pages.AnnouncementPage", **{name: "true"}) == []
        assert len(api_pages(host, type="kis_pages.AnnouncementPage", **{name: "false"})) == 1


def test_v2_refuses_the_announcement_filters_without_the_announcement_type(resident):
    response = resident.get("/api/v2/pages/", {"current": "true"})
    assert response.status_code == 400
    assert "kis_pages.AnnouncementPage" in response.json()["message"]


# The fields this module adds, by the v3 schema that holds them.
NEW_FIELDS = {
    "ClubPageSchema": ["club_settings", "contact", "contact_worker"],
    "ActivityPageSchema": ["kind_label", "format_label"],
    "AnnouncementPageSchema": ["category_label", "is_current", "is_banner"],
    "WorkplaceSchema": ["unit_kind_label"],
    "AccessibilityStatementPageSchema": ["status_label", "assessment_label"],
}


def untyped_parts(schema, components, path, seen=frozenset()):
    """Where inside `schema` any value is accepted (`{}`), following $refs once each."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return untyped_parts(components[name], components, f"{path}->{name}", seen | {name})
    keys = set(schema) - {"title", "description", "default", "examples"}
    if not keys:
        return [path]
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for index, part in enumerate(schema.get(key, [])):
            found += untyped_parts(part, components, f"{path}.{key}[{index}]", seen)
    for name, part in schema.get("properties", {}).items():
        found += untyped_parts(part, components, f"{path}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        found += untyped_parts(schema["items"], components, f"{path}[]", seen)
    return found


def test_api_v3_types_every_new_field_with_nothing_left_as_any(client):
    components = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    for schema_name, fields in NEW_FIELDS.items():
        properties = components[schema_name]["properties"]
        for field in fields:
            assert not untyped_parts(properties[field], components, f"{schema_name}.{field}")


def test_api_v3_describes_the_contact_and_settings_with_every_field_they_carry(client):
    components = client.get("/api/v3/openapi.json").json()["components"]["schemas"]

    def object_properties(schema):
        (ref,) = [part["$ref"] for part in schema["anyOf"] if "$ref" in part]
        return components[ref.rsplit("/", 1)[-1]]["properties"]

    club = components["ClubPageSchema"]["properties"]
    worker_fields = {field.name for field in apps.get_model("kis_pages.SocialWorker").api_fields}
    assert set(object_properties(club["contact"])) == worker_fields
    assert {"phone_display", "phone_href"} <= worker_fields
    settings = object_properties(club["club_settings"])
    assert {"institution_name", "bip_url", "epuap_address", "opening_hours", "dpo_email"} <= set(
        settings
    )


def test_v2_leaves_an_open_ended_notice_out_of_the_announcements_that_are_not_current(resident):
    (notice,) = api_pages(resident, type="kis_pages.AnnouncementPage", current="true")
    assert notice["valid_until"] is None
    assert api_pages(resident, type="kis_pages.AnnouncementPage", current="false") == []
