"""Reports › Statistics: the year of the user's clubs, as a Wagtail report with its filters."""

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from kis_forms.models import EnquirySubmission
from kis_forms.permissions import enquiry_policy
from kis_forms.statistics import charts, export, report
from kis_forms.statistics.scope import scope_of

YEARS_OFFERED = 10


class StatisticsFilterSet(WagtailFilterSet):
    """The year, club and form to report on; the report reads them, it lists no rows."""

    year = django_filters.ChoiceFilter(
        label=_("Year"), method="read_by_report", empty_label=_("this year")
    )
    club = django_filters.ChoiceFilter(
        label=_("Club"), method="read_by_report", empty_label=_("all my clubs")
    )
    form = django_filters.ChoiceFilter(
        label=_("Form"), method="read_by_report", empty_label=_("all forms")
    )

    class Meta:
        model = EnquirySubmission
        fields = ["year", "club", "form"]

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year, this_year - YEARS_OFFERED, -1)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
        if scope is not None:
            self.filters["club"].extra["choices"] = [(pk, title) for pk, title, _p in scope.clubs]
            self.filters["form"].extra["choices"] = [
                (pk, title) for pk, title, *_rest in scope.forms
            ]

    def read_by_report(self, queryset, name, value):
        return queryset

    def chosen(self):
        """(year, club id, form id), each None when not chosen or not valid."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return tuple(int(data[name]) if data.get(name) else None for name in self.filters)


class StatisticsView(ReportView):
    """The figures, a chart beside each table that has one, and XLSX and CSV exports."""

    page_title = _("Statistics")
    header_icon = "table"
    template_name = "kis_forms/statistics/index.html"
    results_template_name = "kis_forms/statistics/results.html"
    index_url_name = "kis_statistics:index"
    index_results_url_name = "kis_statistics:results"
    filterset_class = StatisticsFilterSet
    permission_policy = enquiry_policy
    permission_required = "view"
    paginate_by = None
    list_export = ["report"]  # shows Wagtail's download buttons; export.py writes the files

    def get_queryset(self):
        return EnquirySubmission.objects.none()  # no rows are listed: the figures are sums

    @cached_property
    def scope(self):
        return scope_of(self.request.user)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @cached_property
    def figures(self):
        year, club_id, form_id = self.filters.chosen()
        selection, club_paths = self.scope.select(year, club_id, form_id)
        return report.gather(selection, club_paths), club_paths

    def get_page_subtitle(self):
        return str(self.figures[0].year)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            figures, club_paths = self.figures
            return export.response(
                self.request.GET["export"], figures, club_paths, self.request.user
            )
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.is_export:
            return context
        figures = self.figures[0]
        sections = []
        for table in report.tables(figures):
            chart = None
            if table.chart:
                description = gettext("Bar chart; the same figures are in the table below it.")
                chart = charts.bar_chart(table, description)
            sections.append((table, chart))
        club_paths = set(self.figures[1])
        clubs = [title for _pk, title, path in self.scope.clubs if path in club_paths]
        context.update(figures=figures, sections=sections, clubs=clubs)
        return context


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return enquiry_policy.user_has_permission(request.user, "view")


def menu_item():
    return StatisticsMenuItem(
        _("Statistics"),
        reverse("kis_statistics:index"),
        name="kis-statistics",
        icon_name="table",
        order=1300,
    )


urlpatterns = [
    path("", StatisticsView.as_view(), name="index"),
    path("results/", StatisticsView.as_view(results_only=True), name="results"),
]
