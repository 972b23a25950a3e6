"""The resident never waits on the mail server; a failed e-mail is retried, then given up."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from kis_forms.delivery.tasks import deliver_notification, requeue_abandoned_notifications
from kis_forms.inbox.handling import resend_notification
from kis_forms.management.commands import kis_worker
from kis_forms.models import EnquirySubmission, Notification
from kis_site.settings.mail import SMTP_BACKEND, mail_settings

from ..smtp_sink import SmtpSink
from ..utils import post_enquiry
from .conftest import FORM_PATH, run_worker


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the site sends through; tests may stop it."""
    sink = SmtpSink().start()
    for name, value in mail_settings(SMTP_BACKEND, host="127.0.0.1", port=sink.port).items():
        setattr(settings, name, value)
    yield sink
    sink.stop()


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
    resident, database_queue, smtp
):
    smtp.stop()
    response = post_enquiry(resident, FORM_PATH)
    assert response.status_code == 303
    assert resident.get(response["Location"]).status_code == 200
    submission = EnquirySubmission.objects.get()

    run_worker()
    notification = submission.notifications.get()
    assert notification.state == Notification.State.FAILING
    assert notification.attempts == 1
    assert "ConnectionRefusedError" in notification.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)

    run_worker()  # the retry is not due yet: nothing happens
    notification.refresh_from_db()
    assert notification.attempts == 1

    smtp.start()
    make_retries_due()
    run_worker()

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT and notification.attempts == 2
    (message,) = smtp.received()
    assert message["To"] == "kis.kedzierzyn-kozle@example.org"
    assert submission.reference in message["Subject"]
    make_retries_due()
    run_worker()
    assert len(smtp.received()) == 1


def retry_delays(attempts):
    """Seconds from each of `attempts` failed sends to the retry it queued."""
    delays = []
    for _attempt in range(attempts):
        make_retries_due()
        before = timezone.now()
        run_worker()
        retry = DBTaskResult.objects.get(status="READY")
        delays.append(round((retry.run_after - before).total_seconds()))
    return delays


def test_retries_back_off_and_give_up_after_a_day(resident, database_queue, smtp):
    smtp.stop()
    post_enquiry(resident, FORM_PATH)
    assert retry_delays(3) == [60, 300, 900]

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
    assert smtp.received() == []


def test_a_spam_record_queues_no_job(resident, database_queue):
    post_enquiry(resident, FORM_PATH, website="x")
    assert DBTaskResult.objects.count() == 0


def test_retry_delays_come_from_the_settings(resident, database_queue, smtp, settings):
    settings.KIS_FORMS = {**settings.KIS_FORMS, "RETRY_DELAYS": [10, 20]}
    smtp.stop()
    post_enquiry(resident, FORM_PATH)
    assert retry_delays(3) == [10, 20, 20]


def die_while_running(job, minutes_ago):
    """What a task worker killed in the middle of a job leaves behind."""
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=job.pk).update(status="RUNNING", started_at=started)


def test_a_notification_whose_task_worker_died_is_retried_and_sent_once(resident, database_queue):
    post_enquiry(resident, FORM_PATH)
    die_while_running(DBTaskResult.objects.get(), minutes_ago=10)
    run_worker()
    assert mail.outbox == []  # django-tasks-db never runs a running job again

    assert requeue_abandoned_notifications() == 1
    notification = Notification.objects.get()
    assert notification.state == Notification.State.FAILING and notification.attempts == 1
    assert notification.last_error.startswith("DeliveryInterrupted")
    assert requeue_abandoned_notifications() == 0  # its retry is waiting now

    make_retries_due()
    run_worker()
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT and notification.attempts == 2
    assert len(mail.outbox) == 1
    assert requeue_abandoned_notifications() == 0


def test_a_notification_waiting_for_its_job_or_just_started_is_not_abandoned(
    resident, database_queue
):
    post_enquiry(resident, FORM_PATH)
    assert requeue_abandoned_notifications() == 0  # its job is ready to run
    die_while_running(DBTaskResult.objects.get(), minutes_ago=1)
    assert requeue_abandoned_notifications() == 0  # it may not hold the row yet
    assert Notification.objects.get().state == Notification.State.QUEUED


def test_an_abandoned_notification_is_given_up_after_a_day(resident, database_queue):
    post_enquiry(resident, FORM_PATH)
    die_while_running(DBTaskResult.objects.get(), minutes_ago=10)
    Notification.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=25))
    assert requeue_abandoned_notifications() == 1
    assert Notification.objects.get().state == Notification.State.GIVEN_UP
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_an_email_sent_twice_keeps_its_message_id_and_a_resend_gets_a_new_one(
    resident, database_queue, settings
):
    settings.DEFAULT_FROM_EMAIL = "Klub Integracji Społecznej <kis@mops.example.org>"
    post_enquiry(resident, FORM_PATH)
    run_worker()
    notification = Notification.objects.get()
    # The worker that sent it died before recording so: the e-mail goes out again.
    Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILING)
    deliver_notification.enqueue(notification.pk)
    run_worker()
    resend_notification(notification.submission, user=None)
    run_worker()

    first, again, resent = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == again
    assert resent != first
    assert first.endswith("@mops.example.org>") and resent.endswith("@mops.example.org>")


def test_a_worker_cut_off_from_the_database_reconnects_with_back_off_and_sends(
    resident, database_queue, monkeypatch, caplog
):
    post_enquiry(resident, FORM_PATH)
    # The worker's loop loses the database twice; the first time it takes two tries to reach
    # it again.
    losses = iter([OperationalError("server closed the connection")] * 2)

    def check_connections():
        if error := next(losses, None):
            raise error

    monkeypatch.setattr(db_worker, "close_old_connections", check_connections)
    answers = iter([False, True, True])
    monkeypatch.setattr(kis_worker, "database_answers", lambda: next(answers))
    waits = []
    monkeypatch.setattr(kis_worker.time, "sleep", waits.append)

    with caplog.at_level(logging.WARNING, logger=kis_worker.__name__):
        run_worker()

    assert waits == [1, 2, 1], "1, 2, 4 … seconds, from 1 again once it is back"
    attempts = [r.getMessage() for r in caplog.records if r.name == kis_worker.__name__]
    assert len(attempts) == 2 + 3 + 2, attempts  # 2 losses, 3 attempts, 2 reconnections
    assert "server closed the connection" in attempts[0]
    assert Notification.objects.get().state == Notification.State.SENT
    assert len(mail.outbox) == 1
