"""Many residents sending at the same moment: every enquiry stored once, with its own number.

Each sender is a thread with its own database connection that commits for real, as app
server processes would; the test removes what they stored at the end.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from kis_forms.intake import gate
from kis_forms.models import ConsentText, EnquirySubmission, Notification

from ..conftest import KK_HOST
from ..utils import enquiry_answers
from .conftest import FORM_PATH

SENDERS = 50

pytestmark = pytest.mark.postgresql  # SQLite takes one writer at a time


def in_own_connection(work):
    """Run `work` on a thread of its own, so it commits outside the test's transaction."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(with_connection_closed, work).result()


def with_connection_closed(work, *args):
    try:
        return work(*args)
    finally:
        connections.close_all()


@pytest.fixture
def committed_enquiries():
    """Delete, after the test, the enquiries that the sender threads committed."""
    started = timezone.now()
    yield
    in_own_connection(
        lambda: (
            EnquirySubmission.objects.filter(submit_time__gte=started).delete(),
            ConsentText.objects.filter(first_shown__gte=started).delete(),
        )
    )


def test_fifty_concurrent_enquiries_give_fifty_rows_references_and_notifications(
    committed_enquiries,
):
    start_together = threading.Barrier(SENDERS)

    def send(number):
        resident = Client(HTTP_HOST=KK_HOST, REMOTE_ADDR=f"198.51.100.{number}")
        answers = enquiry_answers(imie_i_nazwisko=f"Mieszkaniec {number}")
        start_together.wait()
        response = resident.post(
            FORM_PATH, {gate.TOKEN_FIELD: gate.new_token(f"{KK_HOST}{FORM_PATH}"), **answers}
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        statuses = list(
            pool.map(lambda number: with_connection_closed(send, number), range(SENDERS))
        )

    assert statuses == [303] * SENDERS

    def count():
        enquiries = EnquirySubmission.objects.filter(
            form_data__imie_i_nazwisko__startswith="Mieszkaniec "
        )
        return (
            enquiries.count(),
            enquiries.values("reference").distinct().count(),
            Notification.objects.filter(submission__in=enquiries).count(),
        )

    assert in_own_connection(count) == (SENDERS, SENDERS, SENDERS)
