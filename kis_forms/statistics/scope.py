"""Which clubs, forms and enquiries a report may cover: the inbox's per-club scope.

Everything goes through `enquiry_policy` (kis_forms.permissions), as the inbox does, so a
moderator of one club reads no figure of another's, in the page, the export or the API.
"""

from dataclasses import dataclass

from django.utils import timezone

from kis_forms.models import EnquiryFormPage
from kis_forms.permissions import enquiry_policy
from kis_forms.statistics.queries import Selection
from kis_pages.models import ClubPage

ACTIONS = ["view"]


@dataclass
class Scope:
    """The clubs and forms a user may see figures of, each as (page id, title, path)."""

    user: object
    clubs: list
    forms: list  # (id, title, path, reply_within_days)

    def club(self, club_id):
        return next((club for club in self.clubs if club[0] == club_id), None)

    def form(self, form_id):
        return next((form for form in self.forms if form[0] == form_id), None)

    def select(self, year=None, club_id=None, form_id=None):
        """(Selection, club paths) for the year, narrowed to a club and a form if given.

        A club or form outside the scope selects nothing, as an unknown one would.
        """
        year = year or timezone.localdate().year
        forms = self.forms
        club_paths = [path for _id, _title, path in self.clubs]
        if club_id is not None:
            club = self.club(club_id)
            club_paths = [club[2]] if club else []
            forms = [form for form in forms if any(form[2].startswith(p) for p in club_paths)]
        if form_id is not None:
            forms = [form for form in forms if form[0] == form_id]
        enquiries = enquiry_policy.instances_user_has_permission_for(self.user, "view")
        if club_id is not None or form_id is not None:
            enquiries = enquiries.filter(page_id__in=[form[0] for form in forms])
        selection = Selection(
            enquiries=enquiries, forms={form[0]: form[3] for form in forms}, year=year
        )
        return selection, club_paths


def scope_of(user):
    """The clubs and forms `user` may read the enquiries of (two queries, after the grants)."""
    clubs = ClubPage.objects.order_by("title")
    forms = EnquiryFormPage.objects.order_by("title")
    if not user.is_superuser:
        pages = enquiry_policy.pages_in_scope(user, ACTIONS).values("pk")
        clubs, forms = clubs.filter(pk__in=pages), forms.filter(pk__in=pages)
    return Scope(
        user=user,
        clubs=list(clubs.values_list("pk", "title", "path")),
        forms=list(forms.values_list("pk", "title", "path", "reply_within_days")),
    )
