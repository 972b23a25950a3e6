"""The inbox's table (kis_forms/inbox/table.py) copies the markup of Wagtail's admin tables
into f-strings; drawn beside Wagtail's stock Table with the stock columns for the same rows,
it gives the same HTML, so a Wagtail upgrade that changes that markup fails here."""

from html.parser import HTMLParser

from django.template import Context
from django.test import RequestFactory
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table, TitleColumn

from kis_forms.inbox.listing import with_listing_data, worker_notification_state
from kis_forms.inbox.table import (
    CheckboxColumn,
    ChoiceColumn,
    InboxTable,
    NotificationColumn,
    ReferenceColumn,
    TextColumn,
)
from kis_forms.models import EnquirySubmission


class Markup(HTMLParser):
    """Tags with their attributes (in any order) and the non-blank texts, in document order."""

    def __init__(self, html):
        super().__init__()
        self.events = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted((name, value or "") for name, value in attrs)))

    def handle_startendtag(self, tag, attrs):  # <input /> is <input>
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", " ".join(data.split())))


def title_id(enquiry):
    return f"enquiry_{enquiry.pk}_title"


def drawn(table, user):
    request = RequestFactory().get("/admin/enquiries/")
    request.user = user
    return Markup(table.render_html(Context({"request": request}))).events


def test_the_inbox_table_draws_the_same_html_as_wagtails_own_table(enquiries, admin_user):
    rows = list(with_listing_data(EnquirySubmission.objects.order_by("pk")))
    assert len(rows) == 2
    ours = InboxTable(
        [
            CheckboxColumn("bulk_actions", obj_type="enquiry"),
            ReferenceColumn(
                "reference", label="Numer", url_name="enquiries:inspect", get_title_id=title_id
            ),
            TextColumn("club_title", label="Klub"),
            TextColumn("worker", label="Pracownik"),
            ChoiceColumn("status", EnquirySubmission.Status, label="Status"),
            NotificationColumn("notification", label="Powiadomienie"),
        ],
        rows,
    )
    wagtails = Table(
        [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="enquiry"),
            TitleColumn(
                "reference", label="Numer", url_name="enquiries:inspect", get_title_id=title_id
            ),
            Column("club_title", label="Klub"),
            Column("worker", label="Pracownik"),
            Column("status", label="Status", accessor="get_status_display"),
            Column(
                "notification",
                label="Powiadomienie",
                accessor=lambda enquiry: worker_notification_state(enquiry) or "—",
            ),
        ],
        rows,
    )

    assert drawn(ours, admin_user) == drawn(wagtails, admin_user)
