"""The inbox export's rows: each enquiry as a list of plain values, one per column.

Measured with 100,000 enquiries (bench/inbox.py, profiled), the export built a model per
enquiry (with its related objects), ran two subqueries per row for the club's and form's
titles, read the form's fields for every row's answers, and looked up each value's
preprocessing per cell. Here the enquiries are read as dicts of the columns' values; the
titles and answer labels are read once per form, the names of workers and moderators once
per person, the labels of choices once per export.
"""

import operator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from kis_forms.models import EnquiryFormPage, EnquirySubmission, Notification
from kis_pages.models import SocialWorker


@dataclass
class ExportedForm:
    """What every row of one form's enquiries shows of the form."""

    title: str
    club_title: str
    labels: dict  # field name: label, in the form's order

    @classmethod
    def read(cls, page_id):
        form = EnquiryFormPage.objects.get(pk=page_id)
        labels = {field.clean_name: field.label for field in form.get_form_fields()}
        return cls(form.title, form.get_parent().title, labels)

    def answers(self, form_data):
        """The answers as "label: answer" lines, since each form asks different questions."""
        rows = EnquirySubmission.rows_of_answers(self.labels, form_data)
        return "\n".join([f"{label}: {answer}" for label, answer in rows])


class Names(dict):
    """The names of people (workers or moderators) by id, each read once per export."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def read(self, ids):
        """Read the names of those of `ids` not read yet, in one query."""
        wanted = set(ids) - self.keys() - {None}
        if wanted:
            self.update(
                (pk, str(person))
                for pk, person in self.model._default_manager.in_bulk(wanted).items()
            )


class ExportRows:
    """Turns chunks of enquiries read as dicts (`values`) into rows of `columns`.

    A column is a field of the enquiry, or one computed here: the time received in local
    time, the club's and form's titles, the worker's and assignee's names, the labels of the
    status and of the worker's e-mail state, the answers.
    """

    def __init__(self, columns):
        zone = timezone.get_current_timezone()  # the moderator's clock, read once
        self.forms = {}
        self.workers = Names(SocialWorker)
        self.users = Names(get_user_model())
        statuses = {value: str(label) for value, label in EnquirySubmission.Status.choices}
        states = {value: str(label) for value, label in Notification.State.choices}
        readers = {
            "submit_time": lambda values: (
                values["submit_time"].astimezone(zone).replace(tzinfo=None, microsecond=0)
            ),
            "club_title": lambda values: self.forms[values["page_id"]].club_title,
            "page.title": lambda values: self.forms[values["page_id"]].title,
            "worker": lambda values: self.workers.get(values["worker_id"], ""),
            "assignee": lambda values: self.users.get(values["assignee_id"], ""),
            "status": lambda values: statuses.get(values["status"], values["status"]),
            "notification": lambda values: states.get(values["worker_notice__state"], ""),
            "answers": lambda values: self.forms[values["page_id"]].answers(values["form_data"]),
        }
        self.readers = [readers.get(column) or operator.itemgetter(column) for column in columns]
        needed = ["submit_time", "page_id", "worker_id", "assignee_id", "status", "form_data"]
        self.values = [*needed, "worker_notice__state"]
        self.values += [column for column in columns if column not in readers]

    def read(self, enquiries, chunk_size):
        """The values of the queryset `enquiries`, in chunks of `chunk_size` dicts.

        The state of the e-mail to the worker is joined, not the listing's subquery per row:
        PostgreSQL reckoned 100,000 subqueries so costly that it compiled the query first
        (JIT), a second and more before the first row.
        """
        worker_notice = FilteredRelation(
            "notifications", condition=Q(notifications__kind=Notification.Kind.WORKER)
        )
        values = (
            enquiries.annotate(worker_notice=worker_notice)
            .values(*self.values)
            .iterator(chunk_size=chunk_size)
        )
        while chunk := list(islice(values, chunk_size)):
            yield chunk

    def rows(self, chunk):
        """The rows of the enquiries in `chunk`, after reading the forms and names they show."""
        for page_id in {values["page_id"] for values in chunk} - self.forms.keys():
            self.forms[page_id] = ExportedForm.read(page_id)
        self.workers.read(values["worker_id"] for values in chunk)
        self.users.read(values["assignee_id"] for values in chunk)
        readers = self.readers
        return [[read(values) for read in readers] for values in chunk]
