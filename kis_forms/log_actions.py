"""How the steps in an enquiry's history read: who read, changed, noted, resent or erased it."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from .models import EnquirySubmission


class StatusChanged(LogFormatter):
    label = _("Change enquiry status")

    def format_message(self, log_entry):
        labels = dict(EnquirySubmission.Status.choices)
        data = log_entry.data
        return gettext("Status changed from “%(old)s” to “%(new)s”") % {
            "old": labels.get(data.get("from"), data.get("from")),
            "new": labels.get(data.get("to"), data.get("to")),
        }


class Assigned(LogFormatter):
    label = _("Assign enquiry")

    def format_message(self, log_entry):
        assignee = log_entry.data.get("assignee")
        if not assignee:
            return gettext("Unassigned")
        return gettext("Assigned to %(user)s") % {"user": assignee}


def register(actions):
    """Register our log actions with Wagtail's registry (the register_log_actions hook)."""
    actions.register_action("kis_forms.enquiry.view", _("View enquiry"), _("Enquiry read"))
    actions.register_action("kis_forms.enquiry.status")(StatusChanged)
    actions.register_action("kis_forms.enquiry.assign")(Assigned)
    actions.register_action("kis_forms.enquiry.note", _("Add note"), _("Note added"))
    actions.register_action(
        "kis_forms.enquiry.resend", _("Resend notification"), _("Notification sent again")
    )
    actions.register_action(
        "kis_forms.enquiry.anonymise", _("Anonymise enquiry"), _("Personal data removed")
    )
