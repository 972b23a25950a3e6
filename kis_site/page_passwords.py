"""Wagtail's page-password form, with a limit on wrong passwords.

Wagtail checks a restricted page's password as often as it is asked. Here, after
`LIMITS["address"]` wrong passwords from one client address, or `LIMITS["restriction"]` for
one restriction from all addresses together, in any `WINDOW` seconds, the form answers 429
with a message and checks nothing until the oldest of them is a window old. The counts are
the enquiry form's sliding windows (kis_forms.intake.gate.SlidingWindow), an IPv6 client counted by
its /64, so with Redis they hold across every app server.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from kis_forms.intake.gate import SlidingWindow, client_ip, rate_limit_key

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


def failure_windows(request, restriction_id):
    """The wrong passwords of this client address, and of this restriction from anywhere."""
    return [
        SlidingWindow(
            f"kis_site:page-password:address:{rate_limit_key(client_ip(request))}",
            LIMITS["address"],
            WINDOW,
        ),
        SlidingWindow(
            f"kis_site:page-password:restriction:{restriction_id}", LIMITS["restriction"], WINDOW
        ),
    ]


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's view, refused while too many wrong passwords came from here or for this."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    windows = failure_windows(request, page_view_restriction_id)
    if any(window.full() for window in windows):
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
        for window in windows:
            window.count()
    return response
