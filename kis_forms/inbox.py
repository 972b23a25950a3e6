"""The moderators' inbox: every enquiry a user may handle, across forms, in the Wagtail admin.

Each view reads enquiries only through the club-scoped permission policy, so an enquiry of
another club is a 404 whatever URL or id is tried.
"""

import django_filters
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Permission
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models import Page

from .models import EnquirySubmission, Notification
from .permissions import enquiry_policy

CLUB_PATH_LENGTH = 2 * Page.steplen  # the root page, then the club: a Site's root page


def with_listing_data(queryset):
    """The enquiries with their club's name, form, worker and notifications, in fixed queries."""
    club_title = Page.objects.filter(
        path=Substr(OuterRef("page__path"), 1, CLUB_PATH_LENGTH)
    ).values("title")[:1]
    return (
        queryset.select_related("page", "worker", "assignee")
        .prefetch_related("notifications")
        .annotate(club_title=Subquery(club_title))
    )


class EnquiryFilterSet(WagtailFilterSet):
    notification_failing = django_filters.BooleanFilter(
        label=_("Notification failing"), method="filter_notification_failing"
    )
    submit_time = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = EnquirySubmission
        fields = ["status", "page", "worker", "assignee", "submit_time"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.offer_only_own_choices(request.user)

    def offer_only_own_choices(self, user):
        """Offer only the forms, workers and assignees of the user's own enquiries."""
        mine = enquiry_policy.instances_user_has_permission_for(user, "view")
        self.filters["page"].queryset = Page.objects.filter(pk__in=mine.values("page")).order_by(
            "title"
        )
        self.filters["worker"].queryset = self.filters["worker"].queryset.filter(
            pk__in=mine.values("worker")
        )
        self.filters["assignee"].queryset = self.filters["assignee"].queryset.filter(
            pk__in=mine.values("assignee")
        )

    def filter_notification_failing(self, queryset, name, value):
        failing = [Notification.State.FAILING, Notification.State.GIVEN_UP]
        if value:
            return queryset.filter(notifications__state__in=failing).distinct()
        if value is False:
            return queryset.exclude(notifications__state__in=failing)
        return queryset


class NotificationColumn(Column):
    """The worker's e-mail: sent, queued, failing or given up."""

    def get_value(self, instance):
        for notification in instance.notifications.all():  # prefetched with the listing
            if notification.kind == Notification.Kind.WORKER:
                return notification.get_state_display()
        return "—"


class EnquiryIndexView(generic.IndexView):
    search_backend_name = None  # the database's own search: references and addresses

    def get_base_queryset(self):
        return with_listing_data(
            enquiry_policy.instances_user_has_permission_for(self.request.user, "view")
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

    def get(self, request, *args, **kwargs):
        log(instance=self.object, action="kis_forms.enquiry.view", user=request.user)
        return super().get(request, *args, **kwargs)

    def get_field_display_value(self, field_name, field):
        if field_name == "form_data":
            return answers_display(self.object)
        return super().get_field_display_value(field_name, field)


def answers_display(submission):
    """The resident's answers as a definition list, labelled as on the form."""
    rows = [(label, "—" if value == "" else value) for label, value in submission.answer_rows()]
    return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


class EnquiryEditView(ClubScopedObjectMixin, generic.EditView):
    scope_action = "handle"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["assignee"].queryset = enquiry_policy.users_with_permission_for_instance(
            "handle", self.object
        )
        return form


class EnquiryDeleteView(ClubScopedObjectMixin, generic.DeleteView):
    scope_action = "handle"


class EnquiryHistoryView(ClubScopedListingMixin, generic.HistoryView):
    pass


class EnquiryUsageView(ClubScopedListingMixin, generic.UsageView):
    scope_action = "handle"


class InboxMenuItem(MenuItem):
    """ "Zgłoszenia", with the number of new enquiries the user may handle."""

    def is_shown(self, request):
        return enquiry_policy.user_has_permission(request.user, "view")

    def render_component(self, request):
        mine = enquiry_policy.instances_user_has_permission_for(request.user, "view")
        new = mine.filter(status=EnquirySubmission.Status.NEW).count()
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
    search_fields = ["reference", "resident_email"]
    form_fields = ["status", "assignee"]
    list_per_page = 50
    ordering = ["-submit_time", "-pk"]
    list_display = [
        TitleColumn("reference", label=_("reference"), url_name="enquiries:inspect"),
        DateColumn("submit_time", label=_("Received")),
        Column("club_title", label=_("club")),
        Column("page", label=_("form")),
        Column("worker", label=_("routed to")),
        Column("assignee", label=_("assigned to")),
        Column("status", label=_("status"), accessor="get_status_display"),
        NotificationColumn("notification", label=_("notification")),
    ]
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

    def get_permissions_to_register(self):
        """None globally: enquiry permissions are granted per club (GroupEnquiryPermission)."""
        return Permission.objects.none()
