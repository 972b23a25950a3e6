"""How the steps in an enquiry's history read: who read, changed, noted, resent, exported,
looked up or erased it."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from kis_forms.models import EnquirySubmission

EXPORT_ACTION = "kis_forms.enquiry.export"
SUBJECT_SEARCH = "kis_forms.enquiry.subject_search"
SUBJECT_EXPORT = "kis_forms.enquiry.subject_export"
STATISTICS_EXPORT = "kis_forms.statistics.export"


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


class Exported(LogFormatter):
    label = _("Export enquiries")

    def format_message(self, log_entry):
        return gettext("Exported as %(format)s") % {
            "format": log_entry.data.get("format", "").upper()
        }


class StatisticsExported(LogFormatter):
    label = _("Export statistics")

    def format_message(self, log_entry):
        return gettext("Statistics for %(year)s exported as %(format)s") % {
            "year": log_entry.data.get("year", ""),
            "format": log_entry.data.get("format", "").upper(),
        }


class FoundBySearch(LogFormatter):
    label = _("Data subject's request: search")

    def format_message(self, log_entry):
        if log_entry.data.get("by") == "phone":
            return gettext("Found by a data subject's request, by phone number")
        return gettext("Found by a data subject's request, by e-mail address")


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
    actions.register_action(EXPORT_ACTION)(Exported)
    actions.register_action(SUBJECT_SEARCH)(FoundBySearch)
    actions.register_action(STATISTICS_EXPORT)(StatisticsExported)
    actions.register_action(
        SUBJECT_EXPORT,
        _("Data subject's request: export"),
        _("Exported for a data subject's request"),
    )
