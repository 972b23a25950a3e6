"""The admin login lockout (django-axes): its limits, and its page in the Wagtail admin's look.

Two limits: `KIS_LOGIN_FAILURE_LIMIT` failures for one username from one address lock it
out from that address, and `KIS_LOGIN_USERNAME_FAILURE_LIMIT` failures for it from all
addresses together lock it out from every address, so guessing from many addresses does not
get more tries. Axes compares one limit with its count per (username, address); once the
username is locked out everywhere that limit becomes 0.
"""

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def username_failures(request, credentials):
    """The username's failed logins from every address within the cool-off time.

    Read from axes' database handler's table, which production uses.
    """
    attempts = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def locked_out_everywhere(request, credentials):
    return username_failures(request, credentials) >= settings.KIS_LOGIN_USERNAME_FAILURE_LIMIT


def failure_limit(request, credentials):
    """AXES_FAILURE_LIMIT: the failures left to this username from this address."""
    if locked_out_everywhere(request, credentials):
        return 0
    return settings.KIS_LOGIN_FAILURE_LIMIT


def lockout_response(request, original_response, credentials):
    """Render the lockout page, saying after how many failures and for how many minutes."""
    minutes = round(get_cool_off(request).total_seconds() / 60)
    if locked_out_everywhere(request, credentials):
        context = {"failure_limit": settings.KIS_LOGIN_USERNAME_FAILURE_LIMIT, "everywhere": True}
    else:
        context = {"failure_limit": settings.KIS_LOGIN_FAILURE_LIMIT}
    context["minutes"] = minutes
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
