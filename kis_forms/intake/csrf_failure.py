"""What a visitor sees when Django's CSRF check refuses a post (settings.CSRF_FAILURE_VIEW).

A resident whose enquiry form sat open until its CSRF cookie went, or whose browser keeps no
cookies, gets the form again as they filled it in, with a Polish message and fresh tokens;
nothing they typed is lost and nothing is stored. Any other refused post gets a Polish page.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from kis_forms.intake.gate import Verdict
from kis_forms.models import EnquiryFormPage

SEND_AGAIN = _(
    "The form could not be sent because the page's security check had expired. Your answers "
    "are below: check them and send the form again. If this happens again, check that your "
    "browser accepts this site's cookies."
)


def csrf_failure(request, reason=""):
    """The enquiry form again, filled in, or the refusal page; 403 either way."""
    form_page = enquiry_form_posted_to(request)
    if form_page is None:
        return render(request, "kis_forms/csrf_failure.html", status=403)
    response = form_page.render_refused(request, Verdict(accepted=False, message=SEND_AGAIN))
    response.status_code = 403
    return response


def enquiry_form_posted_to(request):
    """The enquiry form page whose own address (not a sub-route) the post went to, or None."""
    site = Site.find_for_request(request)
    if request.method != "POST" or site is None:
        return None
    components = [component for component in request.path.split("/") if component]
    try:
        route = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    page = route.page.specific
    if isinstance(page, EnquiryFormPage) and page.relative_url(site, request) == request.path:
        return page
    return None
