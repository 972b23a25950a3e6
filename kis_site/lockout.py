"""The page shown when django-axes has locked out a login, in the Wagtail admin's look."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response, credentials):
    """Render the lockout page, saying after how many failures and for how many minutes."""
    minutes = round(get_cool_off(request).total_seconds() / 60)
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
