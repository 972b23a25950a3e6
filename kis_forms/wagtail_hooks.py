"""Wiring of kis_forms into the Wagtail admin: the inbox, its permissions and log actions."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .inbox import EnquiryInboxViewSet
from .models import EnquiryFormPage, EnquirySubmission
from .permissions import enquiry_policy, subtree_q

register_permission_policy(EnquirySubmission, enquiry_policy)


@hooks.register("register_admin_viewset")
def register_inbox():
    return EnquiryInboxViewSet()


@hooks.register("register_log_actions")
def register_enquiry_log_actions(actions):
    actions.register_action("kis_forms.enquiry.view", _("View enquiry"), _("Enquiry read"))
    actions.register_action(
        "kis_forms.enquiry.anonymise", _("Anonymise enquiry"), _("Personal data removed")
    )


@hooks.register("filter_form_submissions_for_user")
def hide_enquiries_of_other_clubs(user, form_pages):
    """Wagtail's own Forms section shows an enquiry form only to its club's moderators."""
    if user.is_superuser:
        return form_pages
    enquiry_forms = ContentType.objects.get_for_model(EnquiryFormPage)
    return form_pages.filter(
        ~Q(content_type=enquiry_forms) | subtree_q(enquiry_policy.club_paths(user, ["view"]))
    )
