"""The moderators' inbox, "Zgłoszenia": every enquiry a user may handle, across forms, with
the data subject's request, wired as one Wagtail viewset under one URL namespace."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.viewsets.model import ModelViewSet

from kis_forms.inbox import data_subject
from kis_forms.inbox.backlog import new_count
from kis_forms.inbox.filters import EnquiryFilterSet
from kis_forms.inbox.forms import HandlingForm
from kis_forms.inbox.listing import SEARCH_FIELDS
from kis_forms.inbox.table import (
    ChoiceColumn,
    NotificationColumn,
    ReceivedColumn,
    ReferenceColumn,
    TextColumn,
)
from kis_forms.inbox.views import (
    AddNoteView,
    EnquiryDeleteView,
    EnquiryEditView,
    EnquiryHistoryView,
    EnquiryIndexView,
    EnquiryInspectView,
    EnquiryUsageView,
    ResendNotificationView,
)
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import enquiry_policy


class InboxMenuItem(MenuItem):
    """ "Zgłoszenia", with the number of new enquiries the user may handle."""

    def is_shown(self, request):
        return enquiry_policy.user_has_permission(request.user, "view")

    def render_component(self, request):
        new = new_count(request.user)
        label = f"{self.label} ({new})" if new else self.label
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class EnquiryInboxViewSet(ModelViewSet):
    """ "Zgłoszenia" in the admin menu: the enquiries of the clubs the user moderates."""

    model = EnquirySubmission
    icon = "mail"
    menu_label = _("Enquiries")
    menu_order = 150
    add_to_admin_menu = True
    name = "enquiries"
    copy_view_enabled = False
    add_to_reference_index = False  # each enquiry would queue a reference-index job
    inspect_view_enabled = True
    index_view_class = EnquiryIndexView
    inspect_view_class = EnquiryInspectView
    edit_view_class = EnquiryEditView
    delete_view_class = EnquiryDeleteView
    history_view_class = EnquiryHistoryView
    usage_view_class = EnquiryUsageView
    filterset_class = EnquiryFilterSet
    search_fields = SEARCH_FIELDS
    list_per_page = 20  # Wagtail's own page size; each row renders ten cells
    ordering = ["-submit_time", "-pk"]
    list_display = [
        ReferenceColumn(
            "reference",
            label=_("reference"),
            url_name="enquiries:inspect",
            get_title_id=lambda enquiry: f"enquiry_{enquiry.pk}_title",
        ),
        ReceivedColumn("submit_time", label=_("Received")),
        TextColumn("club_title", label=_("club")),
        TextColumn("form_title", label=_("form")),
        TextColumn("worker", label=_("routed to")),
        TextColumn("assignee", label=_("assigned to")),
        ChoiceColumn("status", EnquirySubmission.Status, label=_("status")),
        NotificationColumn("notification", label=_("notification")),
    ]
    list_export = [
        "reference",
        "submit_time",
        "club_title",
        "page.title",
        "worker",
        "assignee",
        "status",
        "notification",
        "resident_name",
        "resident_email",
        "resident_phone",
        "answers",
    ]
    export_headings = {
        "reference": _("reference"),
        "submit_time": _("Received"),
        "club_title": _("club"),
        "page.title": _("form"),
        "worker": _("routed to"),
        "assignee": _("assigned to"),
        "status": _("status"),
        "notification": _("notification"),
        "resident_name": _("resident's name"),
        "resident_email": _("resident's e-mail"),
        "resident_phone": _("resident's phone"),
        "answers": _("answers"),
    }
    export_filename = _("enquiries")
    menu_item_class = InboxMenuItem
    inspect_view_fields = [
        "reference",
        "submit_time",
        "status",
        "worker",
        "assignee",
        "resident_email",
        "consent",
        "spam_reason",
        "form_data",
    ]

    def get_form_class(self, for_update=False):
        return HandlingForm

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            *super().get_urlpatterns(),
            path(f"note/<{conv}:pk>/", AddNoteView.as_view(), name="note"),
            path(f"resend/<{conv}:pk>/", ResendNotificationView.as_view(), name="resend"),
            *self.data_subject_urlpatterns(),
        ]

    def data_subject_urlpatterns(self):
        """Enquiries › Data subject's request: find, export or erase a resident's data."""
        views = [
            ("", data_subject.SearchView, "data_subject"),
            ("export/", data_subject.ExportView, "data_subject_export"),
            ("erase/", data_subject.EraseView, "data_subject_erase"),
        ]
        return [
            path(
                f"data-subject/{route}",
                self.construct_view(view_class, index_url_name=self.get_url_name(name)),
                name=name,
            )
            for route, view_class, name in views
        ]

    def get_permissions_to_register(self):
        """None globally: enquiry permissions are granted per club (GroupEnquiryPermission)."""
        return Permission.objects.none()
