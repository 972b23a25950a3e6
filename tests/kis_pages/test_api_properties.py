"""Property-based tests of the read-only page APIs, v2 and v3: any query string, page id or
host gets an answer that is not a server error.

These tests only read, so the examples of one test can share pytest-django's
function-scoped database; that is why the health check about function-scoped fixtures is
switched off for them.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, get_page_models

from ..conftest import KK_HOST
from ..strategies import NASTY_PIECES, nasty_text, repeated_text

OUR_PAGE_TYPES = [
    model for model in get_page_models() if model._meta.app_label in ("kis_pages", "kis_forms")
]
TYPE_LABELS = [model._meta.label for model in OUR_PAGE_TYPES] + ["wagtailcore.Page"]
API_FIELDS = sorted({field.name for model in OUR_PAGE_TYPES for field in model.api_fields})
PARAMETERS = [
    "type",
    "fields",
    "order",
    "search",
    "search_operator",
    "limit",
    "offset",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "site",
    "locale",
    "id",
    "title",
    "slug",
    "show_in_menus",
    "html_path",
    "rich_text_format",
    "version",
    "format",
    "_",
]
HOSTS = [KK_HOST, KK_HOST, "localhost", f"{KK_HOST}:8000", "[::1]", "", "ą.localhost"]
LISTINGS = ["/api/v2/pages/", "/api/v2/pages/find/", "/api/v3/pages/", "/api/v3/pages/find/"]

# Read-only examples need no reset between them; see the module docstring.
read_only = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

field_lists = st.lists(st.sampled_from([*API_FIELDS, "*", "_", "-title", "id"]), max_size=4)
# Long, but within the request line a production server accepts (gunicorn: 4094 bytes).
long_values = repeated_text(NASTY_PIECES, [256, 1000, 2000])
parameter_values = st.one_of(
    nasty_text,
    long_values,
    st.integers().map(str),
    st.sampled_from(TYPE_LABELS),
    st.sampled_from(API_FIELDS),
    field_lists.map(",".join),
    field_lists.map(lambda names: ",".join(f"-{name}" for name in names)),
    st.sampled_from(["root", "random", "and", "or", "true", "false", "html", "raw", "/", "*"]),
    st.sampled_from(["draft", "live", "1e3", "-1", "0", "9" * 30, "pl", "en", "2020-02-30"]),
)


@st.composite
def query_strings(draw):
    """A query a front end might send, plus a few parameters with any name and value."""
    query = []
    if draw(st.booleans()):
        query.append(("type", draw(st.sampled_from(TYPE_LABELS))))
    if draw(st.booleans()):
        query.append(("fields", ",".join(draw(field_lists))))
    if draw(st.booleans()):
        query.append(("order", draw(st.sampled_from([*API_FIELDS, "title", "-id", "random"]))))
    if draw(st.booleans()):
        query.append((draw(st.sampled_from(["limit", "offset"])), str(draw(st.integers(0, 30)))))
    names = st.one_of(st.sampled_from(PARAMETERS), st.sampled_from(API_FIELDS), nasty_text)
    query += draw(st.lists(st.tuples(names, parameter_values), max_size=3))
    return query


def page_paths(page_ids):
    """A listing (most often), or a page's detail by a real, a made-up or a malformed id."""
    ids = st.one_of(st.sampled_from(page_ids), st.integers().map(str), nasty_text)
    details = st.tuples(st.sampled_from(["/api/v2/pages/", "/api/v3/pages/"]), ids).map(
        lambda parts: f"{parts[0]}{quote(parts[1], safe='')}/"
    )
    return st.one_of(st.sampled_from(LISTINGS), st.sampled_from(LISTINGS), details)


@read_only
@given(data=st.data())
def test_any_query_of_the_page_apis_is_answered_without_a_server_error(data):
    page_ids = [str(pk) for pk in Page.objects.values_list("pk", flat=True)]
    path = data.draw(page_paths(page_ids))
    query = data.draw(query_strings())
    host = data.draw(st.sampled_from(HOSTS))
    response = Client(HTTP_HOST=host).get(path, query)
    event(f"{path.split('/')[2]} status {response.status_code}")
    assert response.status_code < 500


# The characters full-text query languages give a meaning to (SQLite FTS5, PostgreSQL).
SEARCH_SYNTAX = "\"*():^-+&|!<>~.,'\\ "
search_terms = st.text(
    st.one_of(st.sampled_from(SEARCH_SYNTAX), st.sampled_from("klubKLUBąż09")), max_size=12
) | st.sampled_from(["AND", "OR", "NOT", "NEAR", "klub AND", "OR klub", "NEAR(klub", "a:*"])


@read_only
@given(
    search=search_terms,
    operator=st.sampled_from([None, "and", "or"]),
    listing=st.sampled_from(["/api/v2/pages/", "/api/v3/pages/"]),
)
def test_any_search_of_the_page_apis_is_answered_without_a_server_error(search, operator, listing):
    query = (
        {"search": search} if operator is None else {"search": search, "search_operator": operator}
    )
    response = Client(HTTP_HOST=KK_HOST).get(listing, query)
    assert response.status_code < 500


# What hypothesis found: each of these was a server error (on SQLite, PostgreSQL or both).
FOUND = [
    ("/api/v2/pages/", {"type": "kis_pages.WorkplaceListPage", "hourly_rate": "abc"}),
    ("/api/v2/pages/", {"type": "kis_pages.WorkplaceListPage", "as_of": "xyz"}),
    ("/api/v2/pages/", {"type": "kis_pages.AnnouncementPage", "date": "2020-02-30"}),
    ("/api/v2/pages/", {"search": "a\x00b"}),
    ("/api/v3/pages/", {"search": "a\x00b"}),
    ("/api/v2/pages/", {"site": "a\x00b"}),
    ("/api/v3/pages/", {"locale": "a\x00b"}),
    ("/api/v2/pages/find/", {"html_path": "/a\x00b/"}),
    ("/api/v3/pages/find/", {"html_path": "/a\x00b/"}),
]


@pytest.mark.parametrize("path,query", FOUND, ids=[f"{path} {query}" for path, query in FOUND])
def test_a_query_hypothesis_found_is_a_bad_request(resident, path, query):
    assert resident.get(path, query).status_code == 400


@pytest.mark.parametrize("listing", ["/api/v2/pages/", "/api/v3/pages/"])
def test_a_search_with_a_quote_finds_what_the_words_find(resident, listing):
    def titles(search):
        response = resident.get(listing, {"search": search})
        assert response.status_code == 200
        return {item["title"] for item in response.json()["items"]}

    titles('"')
    titles('klub "')  # SQLite matches nothing, PostgreSQL drops the quote: both answer
    assert titles('"klub"') == titles("klub") != set()
