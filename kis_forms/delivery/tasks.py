"""Background delivery of enquiry e-mails, retried with back-off for at least a day.

A notification's state is the truth about its e-mail; a job only carries it out. A job whose
task worker died while sending stays "running" in django-tasks-db for ever, so the task
workers look for such abandoned notifications now and then and queue them again
(`requeue_abandoned_notifications`).
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from kis_forms.conf import option
from kis_forms.delivery.notifications import message_id, resident_message, worker_message
from kis_forms.jobs import task_results
from kis_forms.models import Notification

logger = logging.getLogger(__name__)

# Retries follow KIS_FORMS["RETRY_DELAYS"] until a day has passed since queueing.
RETRY_FOR = datetime.timedelta(hours=24)
BUILDERS = {Notification.Kind.WORKER: worker_message, Notification.Kind.RESIDENT: resident_message}


@task()
def deliver_notification(notification_id):
    """Send one notification unless it is already sent or given up; on failure, retry later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("submission__page", "submission__worker")
            .get(pk=notification_id)
        )
        if notification.state in (Notification.State.SENT, Notification.State.GIVEN_UP):
            return notification.state
        notification.attempts += 1
        try:
            message = BUILDERS[notification.kind](notification.submission)
            message.extra_headers["Message-ID"] = message_id(notification)
            message.send()
        except Exception as error:  # noqa: BLE001 - whatever stops a send, we retry it
            record_failure(notification, error)
        else:
            notification.state = Notification.State.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save()
        return notification.state


def record_failure(notification, error):
    """Store the error; retry after the next back-off delay, or give up after a day."""
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if timezone.now() - notification.queued_at >= RETRY_FOR:
        notification.state = Notification.State.GIVEN_UP
        logger.error("Gave up on notification %s: %s", notification.pk, notification.last_error)
    else:
        notification.state = Notification.State.FAILING
        schedule_retry(notification)
    notification.save()


def schedule_retry(notification):
    """Queue the next attempt; a backend that cannot delay tasks leaves it to a moderator."""
    if not deliver_notification.get_backend().supports_defer:
        logger.warning("Task backend cannot delay; notification %s waits.", notification.pk)
        return
    delays = option("RETRY_DELAYS")
    delay = delays[min(notification.attempts, len(delays)) - 1]
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    deliver_notification.using(run_after=run_after).enqueue(notification.pk)


class DeliveryInterrupted(Exception):
    """A notification's job ended without recording whether the e-mail went out."""


def requeue_abandoned_notifications():
    """Retry the notifications that no job will send any more; returns how many.

    A notification is abandoned when it is queued or failing, no job for it waits to run
    or started within the last RECOVERY_INTERVAL, and no worker holds its row (a worker
    sending it does, until it records the result): its job's worker died, or lost the
    database, while sending. That counts as a failed attempt: retried after the next
    back-off delay, given up after a day. The e-mail may have left just before the worker
    died, so it can arrive twice; it is never lost. A spare job is harmless: delivery locks
    the row and skips a sent notification.
    """
    with transaction.atomic():
        unsent = list(
            Notification.objects.select_for_update(skip_locked=True).filter(
                state__in=[Notification.State.QUEUED, Notification.State.FAILING]
            )
        )
        # Read after locking, so the job of an enquiry saved meanwhile is seen. A job that
        # has just started may not hold its notification's row yet.
        started_since = timezone.now() - datetime.timedelta(seconds=option("RECOVERY_INTERVAL"))
        live_jobs = (
            task_results()
            .filter(task_path=deliver_notification.module_path)
            .filter(
                Q(status=TaskResultStatus.READY)
                | Q(status=TaskResultStatus.RUNNING, started_at__gte=started_since)
            )
        )
        live = {job["args"][0] for job in live_jobs.values_list("args_kwargs", flat=True)}
        abandoned = [notification for notification in unsent if notification.pk not in live]
        for notification in abandoned:
            logger.warning("Notification %s was abandoned by its task worker.", notification.pk)
            notification.attempts += 1
            record_failure(notification, DeliveryInterrupted("its task worker stopped"))
    return len(abandoned)


def queue_notifications(submission, send_confirmation):
    """Create the enquiry's notifications and their jobs, inside the caller's transaction."""
    kinds = [Notification.Kind.WORKER]
    if send_confirmation and submission.resident_email:
        kinds.append(Notification.Kind.RESIDENT)
    for kind in kinds:
        notification = Notification.objects.create(submission=submission, kind=kind)
        deliver_notification.enqueue(notification.pk)
