"""The report: every figure of a selection gathered once, and the same figures as titled
tables, which the page, its charts, the XLSX and CSV exports all show alike."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kis_forms.models import EnquirySubmission
from kis_forms.statistics import queries, tallies
from kis_pages import statistics as work

MONTHS = range(1, 13)


@dataclass
class Figures:
    """Every figure of the report, as plain numbers (durations in tenths of an hour)."""

    year: int
    months: list  # (month, enquiries, the year before, spam)
    statuses: list  # (status, enquiries)
    workers: list  # (worker's name or "", enquiries)
    topics: list  # (field label, answer, enquiries)
    speed: list  # (month, handled, median, p90, closed, median, p90); tenths of an hour
    in_time: int
    late: int
    waiting: int
    notifications: dict
    editions: list
    workplaces: list  # (year, kind, workplaces, places)

    @property
    def total(self):
        return sum(row[1] for row in self.months)

    @property
    def spam(self):
        return sum(row[3] for row in self.months)

    @property
    def in_time_share(self):
        """The share of due enquiries handled by their reply-by date, or None if none is due."""
        due = self.in_time + self.late
        return self.in_time / due if due else None


def gather(selection, club_paths):
    """Every figure for `selection`, the work editions of the clubs at `club_paths`."""
    year = selection.year
    # On PostgreSQL the tallies its triggers keep; elsewhere aggregates over the enquiries.
    source = tallies if tallies.kept(selection) else queries
    counted = source.tally(selection)
    workers = counted.workers
    names = queries.worker_names([worker for worker in workers if worker is not None])
    fields = queries.topic_fields(selection)
    topic_counts = source.topics(selection, fields)
    times = source.reply_times(selection)
    empty = (0, None, None) * 2
    return Figures(
        year=year,
        months=[
            (
                month,
                counted.months[year, month],
                counted.months[year - 1, month],
                counted.spam[month],
            )
            for month in MONTHS
        ],
        statuses=[(status, counted.statuses[status]) for status in EnquirySubmission.Status],
        workers=sorted(
            ((names.get(worker, ""), count) for worker, count in workers.items() if count),
            key=lambda row: (-row[1], row[0]),
        ),
        topics=sorted(
            ((fields[name], answer, count) for (name, answer), count in topic_counts.items()),
            key=lambda row: (row[0], -row[2], row[1]),
        ),
        speed=[(month, *times.get(month, empty)) for month in MONTHS],
        in_time=counted.promptness["in_time"],
        late=counted.promptness["late"],
        waiting=counted.promptness["waiting"],
        notifications=source.notifications(selection),
        editions=work.editions(club_paths),
        workplaces=work.workplaces_by_kind(club_paths),
    )


@dataclass
class Table:
    """One table of the report: a sheet of the XLSX export, a section of the CSV and page.

    `chart` names the chart drawn from it ("" for none): its first column labels the bars,
    `series` are the indexes of the columns drawn.
    """

    key: str
    sheet: str  # a short name, for the XLSX sheet (31 characters at most)
    title: str
    headings: list
    rows: list
    chart: str = ""
    series: list = field(default_factory=list)
    labels: int = 1  # the leading columns that are text, not figures


def month_name(month):
    return date_format(datetime.date(2000, month, 1), "F")


def hours(tenths):
    """Tenths of an hour as hours with one decimal, or None."""
    return None if tenths is None else tenths / 10


def tables(figures):
    """The report's tables, in the order the page shows them."""
    year, before = figures.year, figures.year - 1
    status_labels = dict(EnquirySubmission.Status.choices)
    share = figures.in_time_share
    return [
        Table(
            "months",
            _("Months"),
            _("Enquiries per month"),
            [_("Month"), str(year), str(before), _("of them spam (%(year)s)") % {"year": year}],
            [[month_name(month), *counts] for month, *counts in figures.months],
            chart="bars",
            series=[1, 2],
        ),
        Table(
            "statuses",
            _("Statuses"),
            _("Enquiries by status"),
            [_("Status"), _("Enquiries")],
            [[str(status_labels[status]), count] for status, count in figures.statuses],
            chart="bars",
            series=[1],
        ),
        Table(
            "topics",
            _("Topics"),
            _("Enquiries by topic"),
            [_("Question"), _("Answer"), _("Enquiries")],
            [list(row) for row in figures.topics],
            labels=2,
        ),
        Table(
            "workers",
            _("Workers"),
            _("Enquiries by routed worker"),
            [_("Social worker"), _("Enquiries")],
            [[name or _("nobody"), count] for name, count in figures.workers],
            chart="bars",
            series=[1],
        ),
        Table(
            "summary",
            _("Summary"),
            _("The year in brief"),
            [_("Figure"), _("Value")],
            [
                [_("Enquiries"), figures.total],
                [_("Spam"), figures.spam],
                [_("Spam share (%)"), percent(figures.spam, figures.total)],
                [_("Handled by the reply-by date"), figures.in_time],
                [_("Handled late or not at all"), figures.late],
                [_("Not yet due"), figures.waiting],
                [_("Handled in time (%)"), None if share is None else round(share * 100, 1)],
            ],
        ),
        Table(
            "speed",
            _("Reply speed"),
            _("Reply speed per month (hours)"),
            [
                _("Month"),
                _("Handled"),
                _("Median to first handling"),
                _("90th percentile to first handling"),
                _("Closed"),
                _("Median to closing"),
                _("90th percentile to closing"),
            ],
            [
                [month_name(month), handled, hours(h50), hours(h90), closed, hours(c50), hours(c90)]
                for month, handled, h50, h90, closed, c50, c90 in figures.speed
            ],
        ),
        Table(
            "notifications",
            _("E-mails"),
            _("E-mails to social workers and residents"),
            [_("E-mails"), _("How many")],
            [
                [_("sent"), figures.notifications["sent"]],
                [_("retried"), figures.notifications["retried"]],
                [_("given up"), figures.notifications["given_up"]],
                [_("failing, will retry"), figures.notifications["failing"]],
                [_("queued"), figures.notifications["queued"]],
            ],
        ),
        Table(
            "work",
            _("Socially useful work"),
            _("Socially useful work: editions"),
            [
                _("Year"),
                _("Edition"),
                _("Places"),
                _("Hours per week"),
                _("Hours per month"),
                _("Hourly rate (PLN)"),
                _("Workplaces"),
            ],
            [[edition[name] for name in work.EDITION_FIELDS] for edition in figures.editions],
            labels=2,
        ),
        Table(
            "workplaces",
            _("Workplaces"),
            _("Socially useful work: workplaces by kind"),
            [_("Year"), _("Kind of unit"), _("Workplaces"), _("Places named")],
            [[year, str(kind), units, places] for year, kind, units, places in figures.workplaces],
            labels=2,
        ),
    ]


def percent(part, whole):
    return round(part * 100 / whole, 1) if whole else None
