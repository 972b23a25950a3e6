"""The example site's API v3 document validates and describes the answers the server sends.

Wagtail's own operations leave out most of their errors and name anonymous access as an
invalid security scheme; `kis_site/api.py` corrects the document, and these tests prove
each correction against what the server answers.
"""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from ..conftest import KK_HOST

pytestmark = pytest.mark.django_db

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def document():
    return Client(HTTP_HOST=KK_HOST).get("/api/v3/openapi.json").json()


def test_the_document_validates_as_openapi(document):
    validate(document)


def test_anonymous_access_is_an_empty_security_requirement(document):
    assert set(document["components"]["securitySchemes"]) == {"BearerTokenAuth"}
    pages = document["paths"]["/api/v3/pages/"]
    assert pages["get"]["security"] == [{"BearerTokenAuth": []}, {}]
    assert pages["post"]["security"] == [{"BearerTokenAuth": []}]


def documented(document, method, path, status):
    response = document["paths"][path][method]["responses"].get(status)
    assert response is not None, (method, path, status)
    return response


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("delete", "/api/v3/pages/{page_id}/", "401"),
        ("delete", "/api/v3/pages/{page_id}/", "403"),
        ("get", "/api/v3/whoami/", "401"),
        ("get", "/api/v3/pages/{page_id}/", "404"),
        ("get", "/api/v3/pages/find/", "404"),
        ("get", "/api/v3/pages/", "400"),
        ("get", "/api/v3/pages/", "422"),
        ("post", "/api/v3/pages/", "413"),
    ],
)
def test_wagtails_operations_document_their_errors_as_problem_json(document, method, path, status):
    response = documented(document, method, path, status)
    assert response["description"]
    assert response["content"][PROBLEM_JSON]["schema"] == {
        "$ref": "#/components/schemas/ProblemDetail"
    }


def test_open_operations_document_no_login_errors(document):
    responses = document["paths"]["/api/v3/pages/{page_id}/"]["get"]["responses"]
    assert "401" not in responses and "403" not in responses


def test_the_largest_limit_is_in_the_document(document, settings):
    (limit,) = [
        parameter
        for parameter in document["paths"]["/api/v3/pages/"]["get"]["parameters"]
        if parameter["name"] == "limit"
    ]
    assert limit["schema"]["maximum"] == 20
    response = Client(HTTP_HOST=KK_HOST).get("/api/v3/pages/", {"limit": 21})
    assert response.status_code == 400


def test_field_titles_are_the_editors_labels_not_title_cased(document):
    club = document["components"]["schemas"]["ClubPageSchema"]["properties"]
    assert club["register_number"]["title"] == "Numer w rejestrze wojewody"
    assert club["street"]["title"] == "Ulica i numer"
    worker = document["components"]["schemas"]["SocialWorkerSchema"]["properties"]
    assert worker["phone_extension"]["title"] == "Numer wewnętrzny"


def test_a_find_documents_its_redirect_to_the_detail(document):
    found = documented(document, "get", "/api/v3/pages/find/", "302")
    assert "Location" in found["headers"]
    club = Client(HTTP_HOST=KK_HOST).get("/api/v3/pages/find/", {"html_path": "/"})
    assert club.status_code == 302 and "/api/v3/pages/" in club["Location"]


def test_a_nul_in_a_query_is_refused_as_problem_json(document):
    response = Client(HTTP_HOST=KK_HOST).get("/api/v3/pages/", {"type": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_JSON
