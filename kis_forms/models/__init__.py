"""kis_forms' models, a module per subject; every model is imported from here."""

from kis_forms.models.enquiries import (
    ConsentText,
    EnquiryNote,
    EnquirySubmission,
    Notification,
    ReferenceSequence,
)
from kis_forms.models.exports import EnquiryExport, ExportedEnquiry
from kis_forms.models.form_page import (
    LANDING_SHOWN_FOR,
    SENT_BEFORE,
    EnquiryFormPage,
    FormField,
    RoutingRule,
)
from kis_forms.models.grants import GroupEnquiryPermission
from kis_forms.models.tallies import (
    EnquiryTally,
    InboxTally,
    NotificationTally,
    TopicTally,
    UndeliveredTally,
    WaitTally,
)

__all__ = [
    "LANDING_SHOWN_FOR",
    "SENT_BEFORE",
    "ConsentText",
    "EnquiryExport",
    "EnquiryFormPage",
    "EnquiryNote",
    "EnquirySubmission",
    "EnquiryTally",
    "ExportedEnquiry",
    "FormField",
    "GroupEnquiryPermission",
    "InboxTally",
    "Notification",
    "NotificationTally",
    "ReferenceSequence",
    "RoutingRule",
    "TopicTally",
    "UndeliveredTally",
    "WaitTally",
]
