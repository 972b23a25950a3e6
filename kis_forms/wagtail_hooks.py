"""Wiring of kis_forms into the Wagtail admin: the inbox, its permissions, log actions and the
statistics report."""

from django.contrib.contenttypes.models import ContentType
from django.urls import include, path
from wagtail import hooks
from wagtail.contrib.forms.utils import get_form_types
from wagtail.permissions import register_permission_policy

from kis_forms.inbox import dashboard, log_actions, moving
from kis_forms.inbox.bulk_actions import BULK_ACTIONS
from kis_forms.inbox.group_permissions import GroupEnquiryPermissionFormSet
from kis_forms.inbox.viewset import EnquiryInboxViewSet
from kis_forms.intake import gate
from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.permissions import enquiry_policy
from kis_forms.statistics import views as statistics
from kis_pages.page_cache import PER_VISITOR_FIELDS_HOOK

register_permission_policy(EnquirySubmission, enquiry_policy)


@hooks.register("register_admin_viewset")
def register_inbox():
    return EnquiryInboxViewSet()


@hooks.register("construct_homepage_panels")
def add_enquiries_panel(request, panels):
    panel = dashboard.panel_for(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_log_actions")
def register_enquiry_log_actions(actions):
    log_actions.register(actions)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    """Reports › Statistics: the year of the user's clubs in figures, charts and exports."""
    return [path("reports/statistics/", include((statistics.urlpatterns, "kis_statistics")))]


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return statistics.menu_item()


@hooks.register("filter_form_submissions_for_user")
def leave_enquiries_to_the_inbox(user, form_pages):
    """Wagtail's own Forms section shows no enquiry form, to anyone, superusers included.

    Its views let whoever may edit a form list, export and delete its submissions, with no
    difference between reading and handling and nothing in the enquiry's history; the inbox
    checks both and writes each step.
    """
    enquiry_forms = ContentType.objects.get_for_model(EnquiryFormPage)
    # Wagtail passes pages of the form types only: naming the others, not leaving the enquiry
    # form out, lets PostgreSQL find them by the content type's index, not pass over every
    # page. The sidebar asks on every admin page: at 300 clubs 0.9 ms that way, now 0.5 ms.
    other_forms = [form_type for form_type in get_form_types() if form_type != enquiry_forms]
    return form_pages.filter(content_type__in=other_forms)


@hooks.register("before_move_page")
def keep_enquiries_with_their_club(request, page, destination):
    """The admin refuses to move a form with enquiries to another club, saying why."""
    return moving.refuse_move_to_another_club(request, page, destination)


@hooks.register("register_group_permission_panel")
def register_enquiry_permissions_panel():
    """Settings › Groups: grant a group view or handle rights on each club's enquiries."""
    return GroupEnquiryPermissionFormSet


@hooks.register(PER_VISITOR_FIELDS_HOOK)
def fresh_form_token_per_visitor():
    """A cached enquiry form page gives each visitor their own one-time token."""
    return {gate.TOKEN_FIELD: lambda request: gate.new_token(gate.form_address(request))}


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)
