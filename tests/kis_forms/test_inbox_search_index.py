"""On PostgreSQL the inbox's search is served by trigram indexes, not by reading every row."""

import pytest
from django.db import connection

from kis_forms.inbox.listing import SEARCH_FIELDS
from kis_forms.models import EnquirySubmission

pytestmark = pytest.mark.postgresql  # trigram indexes exist on PostgreSQL only
INDEXES = {
    "reference": "enquiry_reference_trgm",
    "resident_name": "enquiry_name_trgm",
    "resident_email": "enquiry_email_trgm",
}


def test_every_searched_field_has_a_trigram_index():
    assert set(SEARCH_FIELDS) == set(INDEXES)


def test_a_whole_email_address_is_looked_up_in_its_index():
    lookup = EnquirySubmission.objects.filter(resident_email__iexact="Anna@Example.org")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "enquiry_email_exact" in lookup.explain()


@pytest.mark.parametrize(("field", "index"), INDEXES.items())
def test_the_inbox_search_lookup_can_use_the_fields_index(field, index):
    lookup = EnquirySubmission.objects.filter(**{f"{field}__icontains": "KIS-2026"}).order_by()
    with connection.cursor() as cursor:
        # A test has few rows: rule out reading them all, by table or by another index, so
        # only an index that serves the condition itself (a bitmap scan) is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = lookup.explain()
    assert index in plan, plan
