"""The inbox export's rows: each enquiry as a list of plain values, one per column.

Measured with 100,000 enquiries (bench/inbox.py, profiled), the export built a model per
enquiry (with its related objects), ran two subqueries per row for the club's and form's
titles, read the form's fields for every row's answers, and looked up each value's
preprocessing per cell. Here the enquiries are read as tuples of the columns' values; the
titles and answer labels are read once per form, the names of workers and moderators once
per person, the labels of choices once per export.

Profiled again (cProfile of one export of 100,000 rows, one process), the database's part
was 0.6 s of about 4 s: the query 0.3 s (EXPLAIN ANALYZE), the export's record 0.3 s, and
fetching in chunks from a server-side cursor cost no more than one plain fetch of every row
(0.85 s each, the rows' values read by psycopg included). The rest was Python per row:
Django's pure-Python reader of `timestamptz` values and the conversion to local time (so
the database now gives the local time to the second), a dict per row, the answers built as
pairs before being joined, and the formula check of every cell in the CSV (now of the texts
that change from row to row only, the others checked once when read).
"""

import operator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import FilteredRelation, Q
from django.db.models.functions import TruncSecond
from django.utils import timezone

from kis_forms.models import EnquiryFormPage, EnquirySubmission, Notification
from kis_pages.models import SocialWorker

# The values every row is read with, then the enquiry's own fields that columns name.
VALUES = ("received", "page_id", "worker_id", "assignee_id", "status", "form_data")
VALUES += ("worker_notice__state",)
RECEIVED, PAGE, WORKER, ASSIGNEE, STATUS, FORM_DATA, NOTICE = range(len(VALUES))


def as_is(value):
    """The value unchanged: the XLSX needs no formula check, its texts are never formulas."""
    return value


@dataclass
class ExportedForm:
    """What every row of one form's enquiries shows of the form."""

    title: str
    club_title: str
    labels: dict  # field name: label, in the form's order
    prefixes: list = field(init=False)  # (field name, "label: ")

    def __post_init__(self):
        self.prefixes = [(name, f"{label}: ") for name, label in self.labels.items()]

    @classmethod
    def read(cls, page_id, text=as_is):
        form = EnquiryFormPage.objects.get(pk=page_id)
        labels = {field.clean_name: field.label for field in form.get_form_fields()}
        return cls(text(form.title), text(form.get_parent().title), labels)

    def answers(self, form_data):
        """The answers as "label: answer" lines, since each form asks different questions.

        The lines of EnquirySubmission.rows_of_answers, built from prefixes read once per form
        while the enquiry answers no field since removed (the usual case)."""
        if form_data.keys() <= self.labels.keys():
            get = form_data.get
            return "\n".join(
                [
                    prefix + (value if (value := get(name)).__class__ is str else answer(value))
                    for name, prefix in self.prefixes
                ]
            )
        rows = EnquirySubmission.rows_of_answers(self.labels, form_data)
        return "\n".join([f"{label}: {value}" for label, value in rows])


def answer(value):
    """An answer that is not a text as rows_of_answers writes it."""
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else f"{value}"


class Names(dict):
    """The names of people (workers or moderators) by id, each read once per export."""

    def __init__(self, model, text=as_is):
        super().__init__()
        self.model = model
        self.text = text

    def read(self, ids):
        """Read the names of those of `ids` not read yet, in one query."""
        wanted = set(ids) - self.keys() - {None}
        if wanted:
            self.update(
                (pk, self.text(str(person)))
                for pk, person in self.model._default_manager.in_bulk(wanted).items()
            )


class Labels(dict):
    """The labels of a field's choices; a value without one is shown as it is."""

    def __init__(self, choices, text):
        super().__init__((value, text(str(label))) for value, label in choices)
        self.text = text

    def __missing__(self, value):
        return self.text(value)


class ExportRows:
    """Turns chunks of enquiries read as tuples (`values_list`) into rows of `columns`.

    A column is a field of the enquiry, or one computed here: the time received in local
    time, the club's and form's titles, the worker's and assignee's names, the labels of the
    status and of the worker's e-mail state, the answers. `text` is applied to every value
    of a row (the CSV keeps a formula from starting a cell): once for a title, a name or a
    label, per row for the enquiry's own fields and answers.
    """

    def __init__(self, columns, text=as_is):
        self.forms = {}
        self.workers = Names(SocialWorker, text)
        self.users = Names(get_user_model(), text)
        self.text = text
        statuses = Labels(EnquirySubmission.Status.choices, text)
        states = {value: text(str(label)) for value, label in Notification.State.choices}
        readers = {
            "submit_time": lambda row: row[RECEIVED].replace(tzinfo=None),
            "club_title": lambda row: self.forms[row[PAGE]].club_title,
            "page.title": lambda row: self.forms[row[PAGE]].title,
            "worker": lambda row: self.workers.get(row[WORKER], ""),
            "assignee": lambda row: self.users.get(row[ASSIGNEE], ""),
            "status": lambda row: statuses[row[STATUS]],
            "notification": lambda row: states.get(row[NOTICE], ""),
            "answers": lambda row: text(self.forms[row[PAGE]].answers(row[FORM_DATA])),
        }
        own = [column for column in columns if column not in readers]
        self.values = [*VALUES, *own]
        self.readers = [
            readers.get(column) or self.field_reader(len(VALUES) + own.index(column))
            for column in columns
        ]

    def field_reader(self, position):
        """The value of one of the enquiry's own fields, as `text` gives it."""
        if self.text is as_is:
            return operator.itemgetter(position)
        return lambda row: self.text(row[position])

    def read(self, enquiries, chunk_size, fetch_size):
        """The values of the queryset `enquiries`, in chunks of `chunk_size` tuples, fetched
        `fetch_size` rows at a time.

        The state of the e-mail to the worker is joined, not the listing's subquery per row:
        PostgreSQL reckoned 100,000 subqueries so costly that it compiled the query first
        (JIT), a second and more before the first row.
        """
        worker_notice = FilteredRelation(
            "notifications", condition=Q(notifications__kind=Notification.Kind.WORKER)
        )
        received = TruncSecond("submit_time", tzinfo=timezone.get_current_timezone())
        values = (
            enquiries.annotate(worker_notice=worker_notice, received=received)
            .values_list(*self.values)
            .iterator(chunk_size=fetch_size)
        )
        while chunk := list(islice(values, chunk_size)):
            yield chunk

    def rows(self, chunk):
        """The rows of the enquiries in `chunk`, after reading the forms and names they show."""
        for page_id in {row[PAGE] for row in chunk} - self.forms.keys():
            self.forms[page_id] = ExportedForm.read(page_id, self.text)
        self.workers.read(row[WORKER] for row in chunk)
        self.users.read(row[ASSIGNEE] for row in chunk)
        readers = self.readers
        return [[read(row) for read in readers] for row in chunk]
