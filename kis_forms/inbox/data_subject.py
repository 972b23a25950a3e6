"""A data subject's request (RODO art. 15 and 17): find, export or erase a resident's enquiries.

A moderator types the resident's e-mail address or phone number and gets the matching
enquiries of the clubs where they may handle enquiries, never another club's. Searching and
exporting are written to each enquiry's history; erasing anonymises the enquiries. All three
are POSTs checked for the CSRF token, so a link from another site writes nothing.
"""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log

from kis_forms.inbox.forms import LookupForm
from kis_forms.inbox.log_actions import SUBJECT_EXPORT, SUBJECT_SEARCH
from kis_forms.models import EnquirySubmission
from kis_forms.privacy.anonymise import anonymise


def export_data(enquiries):
    """Every enquiry with its answers, dates, status and notes, as plain JSON-ready data."""
    return {
        "exported_at": timezone.now(),
        "enquiries": [
            {
                "reference": enquiry.reference,
                "received": enquiry.submit_time,
                "club": enquiry.club_title,
                "form": enquiry.form_title,
                "status": enquiry.status,
                "status_changed": enquiry.status_changed_at,
                "resident": {
                    "name": enquiry.resident_name,
                    "email": enquiry.resident_email,
                    "phone": enquiry.resident_phone,
                },
                "answers": [
                    {"question": label, "answer": answer} for label, answer in enquiry.answer_rows()
                ],
                "routed_to": str(enquiry.worker or ""),
                "assigned_to": enquiry.assignee.get_username() if enquiry.assignee else "",
                "notes": [
                    {
                        "written": note.created_at,
                        "author": note.author.get_username() if note.author else "",
                        "text": note.text,
                    }
                    for note in enquiry.notes.all()
                ],
            }
            for enquiry in enquiries
        ],
    }


class DataSubjectViewMixin(PermissionCheckedMixin):
    """Only for users who may handle enquiries somewhere (Wagtail refuses anyone else, as in
    the rest of the inbox); the inbox in the breadcrumbs, as for its other views."""

    model = EnquirySubmission
    permission_required = "handle"

    def get_breadcrumbs_items(self):
        inbox = {
            "url": reverse("enquiries:index"),
            "label": capfirst(self.model._meta.verbose_name_plural),
        }
        return [*self.breadcrumbs_items, inbox, {"url": "", "label": self.get_page_title()}]


class LookupMixin(DataSubjectViewMixin):
    """Reads the lookup from the query string (or the POST data) of every view here."""

    @cached_property
    def form(self):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return LookupForm(data if "q" in data else None)

    @cached_property
    def matches(self):
        if not self.form.is_valid():
            return EnquirySubmission.objects.none()
        return self.form.matches(self.request.user)

    def search_url(self):
        """The search page, showing this lookup's results (or errors)."""
        url = reverse("enquiries:data_subject")
        if "q" in self.form.data:
            url += "?" + urlencode({"q": self.form.data["q"]})
        return url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, search_url=self.search_url())
        if self.form.is_valid():
            context["lookup_query"] = urlencode({"q": self.form.cleaned_data["q"]})
        return context


class MatchesListingView(LookupMixin, BaseListingView):
    """A table of the matching enquiries, styled as Wagtail's listings."""

    header_icon = "user"
    columns = [
        TitleColumn("reference", label=_("reference"), url_name="enquiries:inspect"),
        DateColumn("submit_time", label=_("Received")),
        Column("club_title", label=_("club")),
        Column("form_title", label=_("form")),
        Column("status", label=_("status"), accessor="get_status_display"),
    ]

    def get_queryset(self):
        return self.matches

    @property
    def no_results_message(self):
        return gettext(
            "No enquiry of your clubs was sent with this e-mail address or phone number."
        )


class SearchView(MatchesListingView):
    """GET shows the form, filled in from `?q=` (a way back from the erase page); POST searches."""

    page_title = _("Data subject's request")
    template_name = "kis_forms/data_subject/search.html"

    @cached_property
    def form(self):
        if self.request.method == "POST":
            return super().form
        return LookupForm(initial={"q": self.request.GET.get("q", "")})

    def post(self, request, *args, **kwargs):
        response = self.get(request, *args, **kwargs)
        if self.form.is_valid():
            with transaction.atomic():
                for enquiry in self.matches:
                    log(
                        instance=enquiry,
                        action=SUBJECT_SEARCH,
                        user=request.user,
                        data={"by": self.form.searched_by},
                    )
        return response


class ExportView(LookupMixin, View):
    """A JSON download of every matching enquiry; each export is logged."""

    def post(self, request):
        if not self.form.is_valid():
            return redirect(self.search_url())
        enquiries = list(self.matches.prefetch_related("notes__author"))
        with transaction.atomic():
            for enquiry in enquiries:
                log(instance=enquiry, action=SUBJECT_EXPORT, user=request.user)
        response = JsonResponse(
            export_data(enquiries), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        filename = f"enquiries-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class EraseView(MatchesListingView):
    """GET lists what would be anonymised; POST anonymises those of them that still match."""

    page_title = _("Erase personal data")
    template_name = "kis_forms/data_subject/erase.html"

    def get(self, request, *args, **kwargs):
        if not self.form.is_valid():
            return redirect(self.search_url())
        return super().get(request, *args, **kwargs)

    def post(self, request):
        if not self.form.is_valid():
            return redirect(self.search_url())
        listed = [value for value in request.POST.getlist("enquiry") if value.isdigit()]
        chosen = list(self.matches.filter(pk__in=listed))
        count = anonymise(chosen, user=request.user, reason="request")
        messages.success(
            request,
            ngettext(
                "The personal data of %(count)d enquiry was removed.",
                "The personal data of %(count)d enquiries was removed.",
                count,
            )
            % {"count": count},
        )
        return redirect("enquiries:data_subject")
