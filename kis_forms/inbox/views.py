"""The inbox's views: the list, one enquiry, its handling, notes, resending, history.

Each view reads enquiries only through the club-scoped permission policy, so an enquiry of
another club is a 404 whatever URL or id is tried.
"""

import urllib.parse

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from kis_forms.inbox import handling
from kis_forms.inbox.export import EnquiryExportMixin
from kis_forms.inbox.export_records import ExportsInHistoryMixin
from kis_forms.inbox.forms import HandlingForm, NoteForm
from kis_forms.inbox.listing import (
    InboxPaginator,
    scope_key,
    search_enquiries,
    whole_inbox_count_key,
    with_listing_data,
)
from kis_forms.inbox.table import CheckboxColumn, InboxTable
from kis_forms.models import Notification
from kis_forms.permissions import enquiry_policy

UNFILTERED_PARAMETERS = {"p", "ordering"}  # those leave the whole inbox's total as it is


class EnquiryIndexView(EnquiryExportMixin, generic.IndexView):
    table_class = InboxTable
    search_backend_name = None  # the database's own search: references, names and addresses
    template_name = "kis_forms/inbox/index.html"

    paginator_class = InboxPaginator

    def get_paginator(self, *args, **kwargs):
        """Counting a club's every enquiry reads the whole index: that total is cached."""
        if set(self.request.GET) <= UNFILTERED_PARAMETERS:
            kwargs["count_key"] = whole_inbox_count_key(self.request.user)
        return super().get_paginator(*args, **kwargs)

    def search_queryset(self, queryset):
        return search_enquiries(queryset, self.search_query) if self.is_searching else queryset

    def get_base_queryset(self):
        return with_listing_data(
            enquiry_policy.instances_user_has_permission_for(self.request.user, "view")
        )

    @cached_property
    def may_handle(self):
        return enquiry_policy.user_has_permission(self.request.user, "handle")

    @cached_property
    def header_buttons(self):
        """With the data subject's request, for those who may handle enquiries."""
        buttons = super().header_buttons
        if self.may_handle:
            url = reverse("enquiries:data_subject")
            label = gettext("Data subject's request")
            buttons.append(HeaderButton(label, url=url, icon_name="user"))
        return buttons

    @cached_property
    def columns(self):
        """With a checkbox for bulk actions, for those who may handle enquiries."""
        columns = super().columns
        if self.may_handle:
            return [CheckboxColumn("bulk_actions", obj_type="enquiry"), *columns]
        return columns

    @cached_property
    def header_cache_key(self):
        """All the cached header shows depends on: the user's rights, the language, the query
        string (in the filters and export links) and the filter choices. The user's clubs are
        part of it too, so that no header is ever shared across clubs."""
        return (
            scope_key(self.request.user),
            self.may_handle,
            get_language(),
            self.request.get_full_path(),
            self.filters.own_choices,
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "may_handle": self.may_handle,
            "header_cache_key": self.header_cache_key,
        }

    @property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return gettext("No enquiry matches. Clear the search or the filters to see them all.")
        return gettext(
            "No enquiries yet. When a resident sends your club's enquiry form, it appears here "
            "and the social worker it is routed to gets an e-mail."
        )


class ClubScopedMixin:
    """Load the enquiry only from those the user may act on; any other id is a 404."""

    scope_action = "view"

    def scoped_queryset(self):
        return enquiry_policy.instances_user_has_permission_for(
            self.request.user, self.scope_action
        )


class ClubScopedObjectMixin(ClubScopedMixin):
    """For views of one enquiry built on Django's SingleObjectMixin (edit, delete)."""

    def get_queryset(self):
        return self.scoped_queryset()


class ClubScopedListingMixin(ClubScopedMixin):
    """For listings about one enquiry (history, usage): the enquiry, not the rows, is scoped."""

    def get_base_object_queryset(self):
        return self.scoped_queryset()


class EnquiryInspectView(ClubScopedMixin, generic.InspectView):
    """Every answer, the consent version, status and assignee; opening it is logged."""

    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=unquote(str(self.pk)))

    template_name = "kis_forms/inbox/inspect.html"

    def get(self, request, *args, **kwargs):
        log(instance=self.object, action="kis_forms.enquiry.view", user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enquiry = self.object
        may_handle = enquiry_policy.user_has_permission_for_instance(
            self.request.user, "handle", enquiry
        )
        context.update(
            may_handle=may_handle,
            notes=enquiry.notes.select_related("author"),
            worker_notification=enquiry.notifications.filter(kind=Notification.Kind.WORKER).first(),
            reply_href=reply_href(enquiry),
            history_url=reverse("enquiries:history", args=[enquiry.pk]),
        )
        if may_handle:
            context.update(
                handling_form=HandlingForm(instance=enquiry),
                note_form=NoteForm(),
                edit_url=reverse("enquiries:edit", args=[enquiry.pk]),
                note_url=reverse("enquiries:note", args=[enquiry.pk]),
                resend_url=reverse("enquiries:resend", args=[enquiry.pk]),
            )
        return context

    def get_field_display_value(self, field_name, field):
        if field_name == "form_data":
            return answers_display(self.object)
        return super().get_field_display_value(field_name, field)


def reply_href(submission):
    """A mailto: link to the resident with the reference in the subject, or ''."""
    if not submission.resident_email:
        return ""
    subject = gettext("Re: your enquiry %(reference)s – %(form)s") % {
        "reference": submission.reference,
        "form": submission.page.title,
    }
    query = urllib.parse.urlencode({"subject": subject}, quote_via=urllib.parse.quote)
    # Percent-encoded, so no address can add a copy or a subject of its own (RFC 6068).
    address = urllib.parse.quote(submission.resident_email, safe="@")
    return f"mailto:{address}?{query}"


def answers_display(submission):
    """The resident's answers as a definition list, labelled as on the form."""
    rows = [(label, "—" if value == "" else value) for label, value in submission.answer_rows()]
    return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


class EnquiryEditView(ClubScopedObjectMixin, generic.EditView):
    """Status and assignee; each change is written to the enquiry's history."""

    scope_action = "handle"
    success_message = _("Enquiry %(object)s saved.")

    def save_instance(self):
        enquiry, data = self.get_object(), self.form.cleaned_data  # as stored, not as edited
        if "status" in self.form.changed_data:
            handling.change_status([enquiry], data["status"], self.request.user)
        if "assignee" in self.form.changed_data:
            handling.assign([enquiry], data["assignee"], self.request.user)
        return enquiry

    def get_success_url(self):
        return reverse("enquiries:inspect", args=[self.object.pk])


class EnquiryActionView(ClubScopedMixin, View):
    """A button on the enquiry's page that changes it: POST only, then back to the enquiry."""

    scope_action = "handle"
    http_method_names = ["post"]

    def post(self, request, pk):
        enquiry = get_object_or_404(self.scoped_queryset(), pk=unquote(str(pk)))
        self.act(enquiry)
        return redirect("enquiries:inspect", enquiry.pk)


class AddNoteView(EnquiryActionView):
    def act(self, enquiry):
        form = NoteForm(self.request.POST)
        if form.is_valid():
            handling.add_note(enquiry, form.cleaned_data["text"], self.request.user)
            messages.success(self.request, gettext("Note added."))
        else:
            messages.error(self.request, gettext("The note is empty, so nothing was added."))


class ResendNotificationView(EnquiryActionView):
    def act(self, enquiry):
        handling.resend_notification(enquiry, self.request.user)
        messages.success(
            self.request,
            gettext("The e-mail to %(worker)s is queued again.") % {"worker": enquiry.worker},
        )


class EnquiryDeleteView(ClubScopedObjectMixin, generic.DeleteView):
    scope_action = "handle"


class EnquiryHistoryView(ExportsInHistoryMixin, ClubScopedListingMixin, generic.HistoryView):
    pass


class EnquiryUsageView(ClubScopedListingMixin, generic.UsageView):
    scope_action = "handle"
