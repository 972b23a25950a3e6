"""The inbox's table: Wagtail's admin listing table with its rows built as plain strings.

Each inbox page has nearly two hundred cells; drawn by Wagtail's per-cell templates they
took most of the listing's time. So these columns build their cells with f-strings that
copy the markup of Wagtail 8.0's templates `wagtailadmin/tables/table.html`,
`cell.html`, `title_cell.html` and `bulk_actions/listing_checkbox_cell.html`. This module is
the whole copy: tests/kis_forms/test_inbox_table.py renders this table beside Wagtail's
stock `Table` with the stock columns for the same rows and compares the HTML, so a Wagtail
upgrade that changes the markup fails there.
"""

import html

from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table, TitleColumn

from kis_forms.inbox.listing import worker_notification_state

ID_PLACEHOLDER = 987_654_321_012_345  # a row id no real enquiry has, to reverse URLs once


def escape_text(value):
    """A cell's value as HTML text: the standard library's escape, as Django's, without its
    lazy-string checks."""
    return "" if value is None else html.escape(str(value))


class FastCells:
    """A column whose cells InboxTable builds as plain strings, with no template or
    format_html per cell: each inbox page has nearly two hundred cells."""

    def cell_builder(self, parent_context):
        """A function from a row to its cell's HTML. What is the same on every row (labels,
        formats, URLs) is worked out here, once per page; each value is escaped once."""
        return lambda instance: f"<td>{escape_text(self.get_value(instance))}</td>"


class TextColumn(FastCells, Column):
    """A plain text cell."""


class ChoiceColumn(TextColumn):
    """A choice's label, looked up in its `choices` class (get_FOO_display re-hashes them all)."""

    def __init__(self, name, choices, **kwargs):
        super().__init__(name, **kwargs)
        self.choices = choices

    def cell_builder(self, parent_context):
        cells = {choice.value: f"<td>{escape_text(choice.label)}</td>" for choice in self.choices}
        return lambda instance: cells[getattr(instance, self.name)]


class ReferenceColumn(FastCells, TitleColumn):
    """The reference, linked to the enquiry and labelling the row's checkbox."""

    def cell_builder(self, parent_context):
        # The URL is reversed once, around a placeholder id, then completed for each row.
        url_before_id, _, url_after_id = reverse(self.url_name, args=[ID_PLACEHOLDER]).rpartition(
            str(ID_PLACEHOLDER)
        )
        return lambda instance: (
            f'<td class="title"><div class="title-wrapper"><a href="{url_before_id}'
            f'{instance.pk}{url_after_id}"><span id="{self.get_title_id(instance, parent_context)}'
            f'">{escape_text(self.get_value(instance))}</span></a></div></td>'
        )


class CheckboxColumn(FastCells, BulkActionsCheckboxColumn):
    """The row's bulk-action checkbox, described by its reference."""

    def cell_builder(self, parent_context):
        label = escape_text(gettext("Select"))
        return lambda instance: (
            '<td class="bulk-action-checkbox-cell"><input type="checkbox" '
            f'data-object-id="{instance.pk}" data-bulk-action-checkbox '
            f'class="bulk-action-checkbox" aria-label="{label}" '
            f'aria-describedby="{self.get_aria_describedby(instance)}"></td>'
        )


class ReceivedColumn(FastCells, Column):
    """When the enquiry arrived, as a local date and time: reply deadlines count from it."""

    def cell_builder(self, parent_context):
        shown_as = get_format("SHORT_DATETIME_FORMAT")

        def cell(instance):
            received = timezone.localtime(self.get_value(instance))
            return (
                f'<td><time datetime="{received.isoformat()}">'
                f"{escape_text(dateformat.format(received, shown_as))}</time></td>"
            )

        return cell


class NotificationColumn(TextColumn):
    """The worker's e-mail: sent, queued, failing or given up."""

    def get_value(self, instance):
        return worker_notification_state(instance) or "—"


class InboxTable(Table):
    """Wagtail's table with its rows built in one pass by each column's cell_builder(): every
    column of the inbox is a FastCells."""

    template_name = "kis_forms/inbox/table.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        cells = [column.cell_builder(parent_context) for column in self.columns.values()]
        context["rows"] = mark_safe(  # noqa: S308 - each value is escaped by its cell
            "".join(
                f"<tr{flatatt(self.get_row_attrs(instance))}>"
                + "".join(cell(instance) for cell in cells)
                + "</tr>"
                for instance in self.data
            )
        )
        return context
