"""The resident never waits on the mail server; a failed e-mail is retried, then given up."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kis_forms.models import EnquirySubmission, Notification

from ..utils import post_enquiry
from .conftest import FORM_PATH


@pytest.fixture
def database_queue(settings):
    """Jobs go to the database queue and run only when the test runs the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses every message until the test calls `smtp_down.up()`."""

    class Switch:
        def up(self):
            monkeypatch.undo()

    def refuse(message, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    return Switch()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def make_retries_due():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_the_resident_gets_the_landing_page_before_any_mail_is_sent(resident, database_queue):
    response = post_enquiry(resident, FORM_PATH)
    assert response.status_code == 303
    assert resident.get(response["Location"]).status_code == 200
    notification = Notification.objects.get()
    assert notification.state == Notification.State.QUEUED and mail.outbox == []
    assert DBTaskResult.objects.filter(args_kwargs__args=[notification.pk]).count() == 1

    run_worker()

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert len(mail.outbox) == 1


def test_while_smtp_is_down_the_enquiry_is_kept_and_the_mail_retried_once_up(
    resident, database_queue, smtp_down
):
    response = post_enquiry(resident, FORM_PATH)
    assert response.status_code == 303
    submission = EnquirySubmission.objects.get()

    run_worker()
    notification = submission.notifications.get()
    assert notification.state == Notification.State.FAILING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)

    run_worker()  # the retry is not due yet: nothing happens
    notification.refresh_from_db()
    assert notification.attempts == 1

    smtp_down.up()
    make_retries_due()
    run_worker()

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT and notification.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kis.kedzierzyn-kozle@example.org"]
    make_retries_due()
    run_worker()
    assert len(mail.outbox) == 1


def test_retries_back_off_and_give_up_after_a_day(resident, database_queue, smtp_down):
    post_enquiry(resident, FORM_PATH)
    delays = []
    for _attempt in range(3):
        make_retries_due()
        before = timezone.now()
        run_worker()
        retry = DBTaskResult.objects.get(status="READY")
        delays.append(round((retry.run_after - before).total_seconds() / 60))
    assert delays == [1, 5, 15]

    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(
        queued_at=timezone.now() - datetime.timedelta(hours=25)
    )
    make_retries_due()
    run_worker()
    notification.refresh_from_db()
    assert notification.state == Notification.State.GIVEN_UP
    assert notification.attempts == 4
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_spam_record_queues_no_job(resident, database_queue):
    post_enquiry(resident, FORM_PATH, website="x")
    assert DBTaskResult.objects.count() == 0
