"""Wagtail's page-password form, with a limit on wrong passwords.

Wagtail checks a restricted page's password as often as it is asked. Here, after
`LIMITS["address"]` wrong passwords from one client address, or `LIMITS["restriction"]` for
one restriction from all addresses together, within `WINDOW` seconds of the first of them,
the form answers 429 with a message and checks nothing until the window has passed. The
counts live in the cache, so with Redis they hold across every app server.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from kis_forms.gate import client_ip

LIMITS = {"address": 10, "restriction": 30}
WINDOW = 15 * 60


class RefusedPasswordForm(PasswordViewRestrictionForm):
    """The password form, refusing whatever was typed, without checking it."""

    def clean_password(self):
        minutes = WINDOW // 60
        raise ValidationError(
            ngettext(
                "Too many wrong passwords were entered. Please try again in %(minutes)s minute.",
                "Too many wrong passwords were entered. Please try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="too_many_attempts",
        )


def count_keys(request, restriction_id):
    return {
        "address": f"kis_site:page-password:address:{client_ip(request)}",
        "restriction": f"kis_site:page-password:restriction:{restriction_id}",
    }


def count_failure(key):
    cache.add(key, 0, timeout=WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=WINDOW)


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's view, refused while too many wrong passwords came from here or for this."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    keys = count_keys(request, page_view_restriction_id)
    if any(cache.get(key, 0) >= LIMITS[name] for name, key in keys.items()):
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        page = get_object_or_404(Page, id=page_id).specific
        form = RefusedPasswordForm(request.POST, instance=restriction)
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
        )
        response = page.serve_password_required_response(request, form, action_url)
        response.status_code = 429
        return response
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code == 200:  # the form shown again: a wrong password
        for key in keys.values():
            count_failure(key)
    return response
