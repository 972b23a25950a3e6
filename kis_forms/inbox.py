"""The moderators' inbox: every enquiry a user may handle, across forms, in the Wagtail admin.

Each view reads enquiries only through the club-scoped permission policy, so an enquiry of
another club is a 404 whatever URL or id is tried.
"""

import urllib.parse

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from . import handling
from .export import EnquiryExportMixin
from .export_records import ExportsInHistoryMixin
from .inbox_table import (
    CheckboxColumn,
    ChoiceColumn,
    InboxTable,
    NotificationColumn,
    ReceivedColumn,
    ReferenceColumn,
    TextColumn,
)
from .listing import (
    FAILING,
    NOBODY,
    OPEN,
    SEARCH_FIELDS,
    InboxPaginator,
    own_choices,
    scope_key,
    search_enquiries,
    whole_inbox_count_key,
    with_listing_data,
)
from .models import EnquirySubmission, Notification
from .permissions import enquiry_policy, handlers_of

UNFILTERED_PARAMETERS = {"p", "ordering"}  # those leave the whole inbox's total as it is


class HandlingForm(forms.ModelForm):
    """A moderator's controls on one enquiry: its status and who handles it."""

    class Meta:
        model = EnquirySubmission
        fields = ["status", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers_of([self.instance])
        self.fields["assignee"].empty_label = _("nobody yet")


class NoteForm(forms.Form):
    """A private note, added to the enquiry for good."""

    text = forms.CharField(
        label=_("New note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only moderators of this club see notes. A note cannot be changed or removed later."
        ),
    )


class EnquiryFilterSet(WagtailFilterSet):
    notification_failing = django_filters.BooleanFilter(
        label=_("Notification failing"), method="filter_notification_failing"
    )
    submit_time = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget
    )
    # Choices are set per user from own_choices(): only what the user's enquiries hold.
    page = django_filters.ChoiceFilter(label=_("form"))
    worker = django_filters.ChoiceFilter(label=_("routed to"))
    assignee = django_filters.ChoiceFilter(label=_("assigned to"), method="filter_assignee")

    class Meta:
        model = EnquirySubmission
        fields = ["status", "page", "worker", "assignee", "submit_time"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.own_choices = {} if request is None else own_choices(request.user)
        if request is not None:
            self.offer_only(self.own_choices)

    def offer_only(self, choices):
        """Offer only the forms, workers and assignees of the user's own enquiries; first among
        assignees, nobody yet (the dashboard's "open and not assigned")."""
        nobody = (NOBODY, _("nobody yet (open enquiries)"))
        choices = {**choices, "assignee": [nobody, *choices["assignee"]]}
        for name, offered in choices.items():
            self.filters[name].extra["choices"] = offered

    def filter_notification_failing(self, queryset, name, value):
        if value:
            return queryset.filter(notifications__state__in=FAILING).distinct()
        if value is False:
            return queryset.exclude(notifications__state__in=FAILING)
        return queryset

    def filter_assignee(self, queryset, name, value):
        """One moderator's enquiries, or the open ones nobody has taken yet."""
        if value == NOBODY:
            return queryset.filter(status__in=OPEN, assignee__isnull=True)
        return queryset.filter(assignee=value)


class EnquiryIndexView(EnquiryExportMixin, generic.IndexView):
    table_class = InboxTable
    search_backend_name = None  # the database's own search: references, names and addresses
    template_name = "kis_forms/inbox/index.html"

    paginator_class = InboxPaginator

    def get_paginator(self, *args, **kwargs):
        """Counting a club's every enquiry reads the whole index: that total is cached."""
        if set(self.request.GET) <= UNFILTERED_PARAMETERS:
            kwargs["count_key"] = whole_inbox_count_key(self.request.user)
        return super().get_paginator(*args, **kwargs)

    def search_queryset(self, queryset):
        return search_enquiries(queryset, self.search_query) if self.is_searching else queryset

    def get_base_queryset(self):
        return with_listing_data(
            enquiry_policy.instances_user_has_permission_for(self.request.user, "view")
        )

    @cached_property
    def may_handle(self):
        return enquiry_policy.user_has_permission(self.request.user, "handle")

    @cached_property
    def header_buttons(self):
        """With the data subject's request, for those who may handle enquiries."""
        buttons = super().header_buttons
        if self.may_handle:
            url = reverse("kis_data_subject:search")
            label = gettext("Data subject's request")
            buttons.append(HeaderButton(label, url=url, icon_name="user"))
        return buttons

    @cached_property
    def columns(self):
        """With a checkbox for bulk actions, for those who may handle enquiries."""
        columns = super().columns
        if self.may_handle:
            return [CheckboxColumn("bulk_actions", obj_type="enquiry"), *columns]
        return columns

    @cached_property
    def header_cache_key(self):
        """All the cached header shows depends on: the user's rights, the language, the query
        string (in the filters and export links) and the filter choices. The user's clubs are
        part of it too, so that no header is ever shared across clubs."""
        return (
            scope_key(self.request.user),
            self.may_handle,
            get_language(),
            self.request.get_full_path(),
            self.filters.own_choices,
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "may_handle": self.may_handle,
            "header_cache_key": self.header_cache_key,
        }

    @property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return gettext("No enquiry matches. Clear the search or the filters to see them all.")
        return gettext(
            "No enquiries yet. When a resident sends your club's enquiry form, it appears here "
            "and the social worker it is routed to gets an e-mail."
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

    template_name = "kis_forms/inbox/inspect.html"

    def get(self, request, *args, **kwargs):
        log(instance=self.object, action="kis_forms.enquiry.view", user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enquiry = self.object
        may_handle = enquiry_policy.user_has_permission_for_instance(
            self.request.user, "handle", enquiry
        )
        context.update(
            may_handle=may_handle,
            notes=enquiry.notes.select_related("author"),
            worker_notification=enquiry.notifications.filter(kind=Notification.Kind.WORKER).first(),
            reply_href=reply_href(enquiry),
            history_url=reverse("enquiries:history", args=[enquiry.pk]),
        )
        if may_handle:
            context.update(
                handling_form=HandlingForm(instance=enquiry),
                note_form=NoteForm(),
                edit_url=reverse("enquiries:edit", args=[enquiry.pk]),
                note_url=reverse("enquiries:note", args=[enquiry.pk]),
                resend_url=reverse("enquiries:resend", args=[enquiry.pk]),
            )
        return context

    def get_field_display_value(self, field_name, field):
        if field_name == "form_data":
            return answers_display(self.object)
        return super().get_field_display_value(field_name, field)


def reply_href(submission):
    """A mailto: link to the resident with the reference in the subject, or ''."""
    if not submission.resident_email:
        return ""
    subject = gettext("Re: your enquiry %(reference)s – %(form)s") % {
        "reference": submission.reference,
        "form": submission.page.title,
    }
    query = urllib.parse.urlencode({"subject": subject}, quote_via=urllib.parse.quote)
    # Percent-encoded, so no address can add a copy or a subject of its own (RFC 6068).
    address = urllib.parse.quote(submission.resident_email, safe="@")
    return f"mailto:{address}?{query}"


def answers_display(submission):
    """The resident's answers as a definition list, labelled as on the form."""
    rows = [(label, "—" if value == "" else value) for label, value in submission.answer_rows()]
    return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


class EnquiryEditView(ClubScopedObjectMixin, generic.EditView):
    """Status and assignee; each change is written to the enquiry's history."""

    scope_action = "handle"
    success_message = _("Enquiry %(object)s saved.")

    def save_instance(self):
        enquiry, data = self.get_object(), self.form.cleaned_data  # as stored, not as edited
        if "status" in self.form.changed_data:
            handling.change_status([enquiry], data["status"], self.request.user)
        if "assignee" in self.form.changed_data:
            handling.assign([enquiry], data["assignee"], self.request.user)
        return enquiry

    def get_success_url(self):
        return reverse("enquiries:inspect", args=[self.object.pk])


class EnquiryActionView(ClubScopedMixin, View):
    """A button on the enquiry's page that changes it: POST only, then back to the enquiry."""

    scope_action = "handle"
    http_method_names = ["post"]

    def post(self, request, pk):
        enquiry = get_object_or_404(self.scoped_queryset(), pk=unquote(str(pk)))
        self.act(enquiry)
        return redirect("enquiries:inspect", enquiry.pk)


class AddNoteView(EnquiryActionView):
    def act(self, enquiry):
        form = NoteForm(self.request.POST)
        if form.is_valid():
            handling.add_note(enquiry, form.cleaned_data["text"], self.request.user)
            messages.success(self.request, gettext("Note added."))
        else:
            messages.error(self.request, gettext("The note is empty, so nothing was added."))


class ResendNotificationView(EnquiryActionView):
    def act(self, enquiry):
        handling.resend_notification(enquiry, self.request.user)
        messages.success(
            self.request,
            gettext("The e-mail to %(worker)s is queued again.") % {"worker": enquiry.worker},
        )


class EnquiryDeleteView(ClubScopedObjectMixin, generic.DeleteView):
    scope_action = "handle"


class EnquiryHistoryView(ExportsInHistoryMixin, ClubScopedListingMixin, generic.HistoryView):
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
        ]

    def get_permissions_to_register(self):
        """None globally: enquiry permissions are granted per club (GroupEnquiryPermission)."""
        return Permission.objects.none()
