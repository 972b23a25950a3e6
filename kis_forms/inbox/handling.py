"""What moderators do to enquiries, each step written to the enquiry's history.

The inbox's single-enquiry views and its bulk actions both call these, so a change looks the
same in the history whichever way it was made. Callers check permissions first.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from kis_forms.delivery.tasks import deliver_notification
from kis_forms.models import EnquiryNote, EnquirySubmission, Notification


def change_status(submissions, status, user):
    """Set `status` on each enquiry that has another one; returns how many changed."""
    changed = [submission for submission in submissions if submission.status != status]
    now = timezone.now()
    with transaction.atomic():
        for submission in changed:
            log(
                instance=submission,
                action="kis_forms.enquiry.status",
                user=user,
                data={"from": submission.status, "to": status},
            )
            submission.status = status
            submission.status_changed_at = now
        EnquirySubmission.objects.bulk_update(changed, ["status", "status_changed_at"])
        mark_first([submission.pk for submission in changed], status, now)
    return len(changed)


def mark_first(ids, status, now):
    """Keep when the enquiries were first handled and first closed: the reply times."""
    unmarked = EnquirySubmission.objects.filter(pk__in=ids)
    unmarked.filter(first_handled_at=None).update(first_handled_at=now)
    if status == EnquirySubmission.Status.CLOSED:
        unmarked.filter(closed_at=None).update(closed_at=now)


def assign(submissions, assignee, user):
    """Give each enquiry to `assignee` (None: nobody); returns how many changed."""
    assignee_id = assignee.pk if assignee else None
    changed = [submission for submission in submissions if submission.assignee_id != assignee_id]
    with transaction.atomic():
        for submission in changed:
            submission.assignee = assignee
            log(
                instance=submission,
                action="kis_forms.enquiry.assign",
                user=user,
                data={"assignee": assignee.get_username() if assignee else ""},
            )
        EnquirySubmission.objects.bulk_update(changed, ["assignee"])
    return len(changed)


def delete(submissions, user):
    """Delete the enquiries for good; their history keeps who deleted which reference."""
    with transaction.atomic():
        for submission in submissions:
            log(instance=submission, action="wagtail.delete", user=user)
        EnquirySubmission.objects.filter(
            pk__in=[submission.pk for submission in submissions]
        ).delete()
    return len(submissions)


def add_note(submission, text, author):
    """Append a private note; notes are never edited or removed, except by anonymising."""
    with transaction.atomic():
        note = EnquiryNote.objects.create(submission=submission, text=text, author=author)
        EnquirySubmission.objects.filter(pk=submission.pk, first_handled_at=None).update(
            first_handled_at=note.created_at
        )
        log(instance=submission, action="kis_forms.enquiry.note", user=author)
    return note


def resend_notification(submission, user):
    """Send the worker's e-mail again, from a task worker, with a fresh day of retries."""
    with transaction.atomic():
        notification, _created = Notification.objects.select_for_update().get_or_create(
            submission=submission, kind=Notification.Kind.WORKER
        )
        notification.state = Notification.State.QUEUED
        notification.attempts = 0
        notification.last_error = ""
        notification.queued_at = timezone.now()
        notification.save()
        log(instance=submission, action="kis_forms.enquiry.resend", user=user)
        deliver_notification.enqueue(notification.pk)
    return notification
