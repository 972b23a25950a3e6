"""Bulk actions in the inbox: assign, change status, mark as spam, delete.

Built on Wagtail's bulk action views. Only enquiries the user may handle are ever loaded, so
ids of another club's enquiries, or "select all" on a forged address, reach nothing.
"""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.bulk_action import BulkAction

from kis_forms.inbox import handling
from kis_forms.inbox.filters import EnquiryFilterSet
from kis_forms.inbox.listing import search_enquiries
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import enquiry_policy, handlers_of


class EnquiryBulkAction(BulkAction):
    """Acts on the enquiries the user may handle, chosen by id or as "all in this listing"."""

    models = [EnquirySubmission]
    template_name = "kis_forms/inbox/bulk_confirm.html"
    action_button_text = _("Yes, go ahead")

    def handled_enquiries(self):
        return enquiry_policy.instances_user_has_permission_for(self.request.user, "handle")

    def get_queryset(self, model, object_ids):
        enquiries = list(self.handled_enquiries().filter(pk__in=object_ids).select_related("page"))
        if not enquiries:
            raise Http404
        return enquiries

    def get_all_objects_in_listing_query(self, parent_id):
        """Every enquiry the listing shows: the same filters and search as the inbox."""
        filters = EnquiryFilterSet(
            self.request.GET, queryset=self.handled_enquiries(), request=self.request
        )
        listing = filters.qs if filters.is_valid() else self.handled_enquiries().none()
        return search_enquiries(listing, self.request.GET.get("q", "")).values_list("pk", flat=True)

    def object_context(self, enquiry):
        return {
            "item": enquiry,
            "url": reverse("enquiries:inspect", args=[enquiry.pk]),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "action_button_text": self.action_button_text,
            "action_button_class": "serious" if "serious" in self.classes else "",
        }

    def get_execution_context(self):
        return {"user": self.request.user, "cleaned_data": self.cleaned_form.cleaned_data}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d enquiry changed.", "%(count)d enquiries changed.", num_parent_objects
        ) % {"count": num_parent_objects}


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("nobody")
    )


class AssignBulkAction(EnquiryBulkAction):
    display_name = _("Assign")
    action_type = "assign"
    aria_label = _("Assign the selected enquiries to a moderator")
    form_class = AssignForm
    action_priority = 10

    def get_form(self, form_class=None):
        """Offer only people who may handle every selected enquiry."""
        form = super().get_form(form_class)
        enquiries, _no_access = self.get_actionable_objects()
        form.fields["assignee"].queryset = handlers_of(enquiries)
        return form

    @classmethod
    def execute_action(cls, objects, user=None, cleaned_data=None, **kwargs):
        return handling.assign(objects, cleaned_data["assignee"], user), 0


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=EnquirySubmission.Status.choices)


class StatusBulkAction(EnquiryBulkAction):
    display_name = _("Change status")
    action_type = "status"
    aria_label = _("Change the status of the selected enquiries")
    form_class = StatusForm
    action_priority = 20

    @classmethod
    def execute_action(cls, objects, user=None, cleaned_data=None, **kwargs):
        return handling.change_status(objects, cleaned_data["status"], user), 0


class SpamBulkAction(EnquiryBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark the selected enquiries as spam")
    action_priority = 30

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return handling.change_status(objects, EnquirySubmission.Status.SPAM, user), 0


class DeleteBulkAction(EnquiryBulkAction):
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected enquiries")
    action_button_text = _("Yes, delete them for good")
    action_priority = 40
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return handling.delete(objects, user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d enquiry deleted.", "%(count)d enquiries deleted.", num_parent_objects
        ) % {"count": num_parent_objects}


BULK_ACTIONS = [AssignBulkAction, StatusBulkAction, SpamBulkAction, DeleteBulkAction]
