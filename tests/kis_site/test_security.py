"""Production's security headers, Content Security Policy, the lockout after failed logins and
the limit on wrong page passwords."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from wagtail.models import Page, PageViewRestriction

pytestmark = pytest.mark.django_db

INLINE_SCRIPT_OR_STYLE = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=", re.I)
PASSWORD = "the-right-password"  # noqa: S105


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("moderator", "m@example.pl", PASSWORD)


def sign_in(client, username, password, address="192.0.2.10"):
    """Post the Wagtail admin login form over HTTPS from `address`."""
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        secure=True,
        REMOTE_ADDR=address,
    )


def test_a_club_page_has_a_strict_content_security_policy_and_the_security_headers(
    hardened, client
):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(hardened, client):
    response = client.get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_the_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(
    hardened, client, moderator
):
    response = sign_in(client, "moderator", PASSWORD)

    assert response.status_code == 302
    session, csrf = response.cookies["sessionid"], response.cookies["csrftoken"]
    assert session["secure"] and session["httponly"]
    assert csrf["secure"]


def test_no_public_page_needs_inline_script_or_style(hardened, client):
    pages = [page for page in Page.objects.live().specific() if page.depth > 1]
    assert len(pages) > 5

    for page in pages:
        response = client.get(page.url, secure=True, HTTP_HOST=page.get_site().hostname)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert not INLINE_SCRIPT_OR_STYLE.search(html), (
            page.url,
            INLINE_SCRIPT_OR_STYLE.findall(html),
        )


def test_the_admin_login_page_is_left_out_of_the_policy_for_its_inline_scripts(hardened, client):
    response = client.get(reverse("wagtailadmin_login"), secure=True)

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["Strict-Transport-Security"]


def test_five_wrong_passwords_lock_the_username_out_from_that_address_in_polish(
    hardened, client, moderator
):
    for _attempt in range(4):
        assert sign_in(client, "moderator", "wrong").status_code == 200
    assert sign_in(client, "moderator", "wrong").status_code == 429

    response = sign_in(client, "moderator", PASSWORD)

    assert response.status_code == 429
    with translation.override("pl"):
        message = ngettext(
            "After %(limit)s failed attempts, signing in with this username from your "
            "address is blocked for %(minutes)s minute.",
            "After %(limit)s failed attempts, signing in with this username from your "
            "address is blocked for %(minutes)s minutes.",
            60,
        ) % {"limit": 5, "minutes": 60}
        assert gettext("Too many failed sign-in attempts") in response.content.decode()
        assert message in response.content.decode()
    assert '<html lang="pl"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_holds_neither_another_username_nor_another_address(
    hardened, client, django_user_model, moderator
):
    django_user_model.objects.create_superuser("editor", "e@example.pl", PASSWORD)
    for _attempt in range(5):
        sign_in(client, "moderator", "wrong")

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "moderator", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_login_clears_the_count_of_failures(hardened, client, moderator):
    for _attempt in range(4):
        sign_in(client, "moderator", "wrong")
    assert sign_in(client, "moderator", PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(4):
        assert sign_in(client, "moderator", "wrong").status_code == 200
    assert sign_in(client, "moderator", PASSWORD).status_code == 302


def test_wrong_passwords_for_one_username_from_many_addresses_lock_it_out_everywhere(
    hardened, client, moderator
):
    addresses = [f"192.0.2.{number}" for number in range(1, 11)]
    statuses = [
        sign_in(client, "moderator", "wrong", address=addresses[attempt % 10]).status_code
        for attempt in range(20)
    ]
    assert statuses == [200] * 19 + [429]  # at most 2 from each address: under its limit

    response = sign_in(client, "moderator", PASSWORD, address="198.51.100.7")

    assert response.status_code == 429
    with translation.override("pl"):
        message = ngettext(
            "After %(limit)s failed attempts from different addresses, signing in with this "
            "username is blocked for %(minutes)s minute.",
            "After %(limit)s failed attempts from different addresses, signing in with this "
            "username is blocked for %(minutes)s minutes.",
            60,
        ) % {"limit": 20, "minutes": 60}
        assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_administrator_unlocks_a_username_locked_out_everywhere(hardened, client, moderator):
    for attempt in range(20):
        sign_in(client, "moderator", "wrong", address=f"192.0.2.{attempt}")
    assert sign_in(client, "moderator", PASSWORD).status_code == 429

    call_command("axes_reset_username", "moderator", stdout=io.StringIO())

    assert sign_in(client, "moderator", PASSWORD).status_code == 302


@pytest.fixture
def restricted_page(nysa_site):
    """A page of the Nysa club behind a page password, and the address its form posts to."""
    cache.clear()  # the counts of wrong page passwords
    page = nysa_site.root_page.get_children().live().first().specific
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    page.address = page.relative_url(nysa_site)
    page.password_url = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]
    )
    return page


def enter_page_password(client, page, password, address="192.0.2.10"):
    return client.post(
        page.password_url,
        {"password": password, "return_url": page.address},
        secure=True,
        REMOTE_ADDR=address,
    )


def test_wrong_page_passwords_from_one_address_stop_being_checked_from_there(
    hardened, client, restricted_page
):
    for _attempt in range(10):
        assert enter_page_password(client, restricted_page, "wrong").status_code == 200

    response = enter_page_password(client, restricted_page, PASSWORD)

    assert response.status_code == 429
    with translation.override("pl"):
        message = ngettext(
            "Too many wrong passwords were entered. Please try again in %(minutes)s minute.",
            "Too many wrong passwords were entered. Please try again in %(minutes)s minutes.",
            15,
        ) % {"minutes": 15}
    assert message.startswith("Wpisano zbyt wiele")
    assert message in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert enter_page_password(client, restricted_page, PASSWORD, "198.51.100.7").status_code == 302


def test_wrong_page_passwords_from_many_addresses_stop_being_checked_for_that_page(
    hardened, client, restricted_page
):
    for attempt in range(30):
        assert (
            enter_page_password(
                client, restricted_page, "wrong", address=f"192.0.2.{attempt}"
            ).status_code
            == 200
        )

    assert enter_page_password(client, restricted_page, PASSWORD, "198.51.100.7").status_code == 429


def test_the_right_page_password_after_a_few_wrong_ones_opens_the_page(
    hardened, client, restricted_page
):
    for _attempt in range(9):
        enter_page_password(client, restricted_page, "wrong")

    response = enter_page_password(client, restricted_page, PASSWORD)

    assert response.status_code == 302 and response["Location"] == restricted_page.address
    assert client.get(restricted_page.address, secure=True).status_code == 200
