"""The inbox's filters, offering only what the user's own enquiries hold."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from kis_forms.inbox.listing import FAILING, NOBODY, OPEN, own_choices
from kis_forms.models import EnquirySubmission


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
