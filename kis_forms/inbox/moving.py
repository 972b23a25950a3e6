"""Moving pages never hands a club's enquiries to another club.

A grant on a club covers the enquiries of the forms below it, so a form that moved to
another club would take its whole history (answers, notes) to that club's moderators. A
move is refused while a form it would take to another club has enquiries; a club moving
with its forms keeps them, and a copy of a form takes none of its enquiries.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from kis_forms.models import EnquirySubmission
from kis_pages.models import ClubPage
from kis_pages.tree import ancestor_paths

FORM_HAS_ENQUIRIES = _(
    "“%(title)s” was not moved: it is an enquiry form, or holds one, that has received "
    "enquiries, and they stay with the club they were sent to. To ask residents of another "
    "club, add a new form there."
)


def clubs_of(page):
    """The ids of the club pages that `page` is or sits in: whose grants cover it."""
    return set(
        ClubPage.objects.filter(path__in=ancestor_paths(page.path)).values_list("pk", flat=True)
    )


def takes_enquiries_elsewhere(page, destination):
    """True if moving `page` under `destination` puts enquiries under other clubs."""
    if clubs_of(page.get_parent()) == clubs_of(destination):
        return False
    return EnquirySubmission.objects.filter(page__path__startswith=page.path).exists()


def refuse_move_to_another_club(request, page, destination):
    """The admin's move view: back to the page's club, saying why, if the move is refused."""
    if takes_enquiries_elsewhere(page, destination):
        messages.error(request, gettext(FORM_HAS_ENQUIRIES) % {"title": page.title})
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def guard_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """Any other move (bulk actions, APIs, code): refused before anything changes."""
    if parent_page_before.pk != parent_page_after.pk and takes_enquiries_elsewhere(
        instance, parent_page_after
    ):
        raise PermissionDenied(FORM_HAS_ENQUIRIES % {"title": instance.title})
