"""Removing a resident's personal data from enquiries, keeping what statistics need.

Used when the retention period has passed and when a resident asks to be erased. What
stays: the reference, dates, status, form, worker, assignee, the notifications' counts and
the answers to choice fields (the topic asked about). What goes: every typed answer, the
name, e-mail and phone, and the moderators' notes, which may quote them.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from kis_forms.intake.forms import CHOICE_FIELD_TYPES
from kis_forms.models import EnquiryNote, EnquirySubmission, Notification

KEPT_FIELD_TYPES = CHOICE_FIELD_TYPES | {"checkbox"}
CHUNK_SIZE = 500


def kept_field_names(form_page):
    """Names of the form's choice fields: their answers are not personal, and worth counting."""
    return {
        field.clean_name
        for field in form_page.specific.get_form_fields()
        if field.field_type in KEPT_FIELD_TYPES
    }


def anonymise(submissions, *, user=None, reason):
    """Anonymise `submissions` (instances) in one transaction; returns how many changed.

    Already anonymised enquiries are left as they are, so running it twice changes nothing.
    `reason` ("retention" or "request") is kept in each enquiry's history.
    """
    pending = [submission for submission in submissions if submission.anonymised_at is None]
    now = timezone.now()
    kept_by_form = {}
    with transaction.atomic():
        for submission in pending:
            if submission.page_id not in kept_by_form:
                kept_by_form[submission.page_id] = kept_field_names(submission.page)
            kept = kept_by_form[submission.page_id]
            submission.form_data = {
                name: value for name, value in submission.form_data.items() if name in kept
            }
            submission.resident_email = submission.resident_name = submission.resident_phone = ""
            submission.anonymised_at = now
        EnquirySubmission.objects.bulk_update(
            pending,
            ["form_data", "resident_email", "resident_name", "resident_phone", "anonymised_at"],
        )
        ids = [submission.pk for submission in pending]
        EnquiryNote.objects.filter(submission__in=ids).delete()
        Notification.objects.filter(submission__in=ids).exclude(last_error="").update(last_error="")
        for submission in pending:
            log(
                instance=submission,
                action="kis_forms.enquiry.anonymise",
                user=user,
                data={"reason": reason},
            )
    return len(pending)


def anonymise_queryset(queryset, *, user=None, reason):
    """Anonymise every enquiry of `queryset` in chunks; yields the running count.

    Each chunk is read again under a row lock through `queryset`, so an enquiry reopened
    meanwhile is skipped, and two purges running at once never anonymise a row twice.
    """
    done = 0
    pending = queryset.filter(anonymised_at__isnull=True)
    ids = list(pending.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK_SIZE):
        with transaction.atomic():
            chunk = (
                pending.filter(pk__in=ids[start : start + CHUNK_SIZE])
                .select_related("page")
                .select_for_update(of=("self",))
            )
            done += anonymise(list(chunk), user=user, reason=reason)
        yield done
