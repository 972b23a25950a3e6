"""The inbox's panel on the admin dashboard: what needs a moderator's attention now."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from kis_forms.inbox.backlog import waiting
from kis_forms.inbox.listing import NOBODY
from kis_forms.permissions import enquiry_policy


class EnquiriesPanel(Component):
    """New enquiries, open ones nobody is assigned to, and e-mails that did not go out."""

    name = "kis_enquiries"
    order = 50
    template_name = "kis_forms/inbox/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        counts = waiting(self.user)
        index = reverse("enquiries:index")
        return {
            "rows": [
                (_("New"), counts["new"], f"{index}?status=new"),
                (_("Open and not assigned"), counts["unassigned"], f"{index}?assignee={NOBODY}"),
                (
                    _("E-mail to the worker failing"),
                    counts["failing"],
                    f"{index}?notification_failing=true",
                ),
            ],
            "index_url": index,
        }


def panel_for(user):
    """The panel, for users who may read some club's enquiries."""
    if enquiry_policy.user_has_permission(user, "view"):
        return EnquiriesPanel(user)
    return None
