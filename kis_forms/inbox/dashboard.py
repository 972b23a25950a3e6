"""The inbox's panel on the admin dashboard: what needs a moderator's attention now."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from kis_forms.inbox.listing import FAILING, NOBODY, OPEN
from kis_forms.models import EnquirySubmission, Notification
from kis_forms.permissions import enquiry_policy


class EnquiriesPanel(Component):
    """New enquiries, open ones nobody is assigned to, and e-mails that did not go out."""

    name = "kis_enquiries"
    order = 50
    template_name = "kis_forms/inbox/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        enquiries = enquiry_policy.instances_user_has_permission_for(self.user, "view")
        counts = enquiries.aggregate(
            new=Count("pk", filter=Q(status=EnquirySubmission.Status.NEW)),
            unassigned=Count("pk", filter=Q(status__in=OPEN, assignee__isnull=True)),
        )
        # A semi-join: joined, the rows came back once per notification and were made
        # distinct on every column, form data included (200 ms for 300,000 enquiries).
        failing = Notification.objects.filter(submission=OuterRef("pk"), state__in=FAILING)
        counts["failing"] = enquiries.filter(Exists(failing)).count()
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
