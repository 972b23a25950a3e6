"""Storing what residents send: an accepted enquiry with its notifications, or a spam record."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ConsentText, EnquirySubmission
from .references import reference_for
from .routing import route
from .tasks import queue_notifications


def store_enquiry(page, form):
    """Save an accepted enquiry and its notification jobs in one transaction.

    The form's one-time token makes this idempotent: the same form sent twice (a double
    click, a resend after a slow network) returns the enquiry stored the first time.
    """
    nonce = form.token_nonce()
    existing = EnquirySubmission.objects.filter(form_token=nonce).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            submission = EnquirySubmission.objects.create(
                page=page,
                form_data=form.answers(),
                form_token=nonce,
                resident_email=form.resident_email(),
                resident_name=form.resident_name(),
                resident_phone=form.resident_phone(),
                worker=route(page, form.cleaned_data),
                consent=ConsentText.for_text(page.consent_text()),
            )
            assign_reference(submission)
            queue_notifications(submission, send_confirmation=page.send_confirmation)
    except IntegrityError:
        # The same token arrived twice at once; the other request stored it.
        return EnquirySubmission.objects.get(form_token=nonce)
    return submission


def store_spam(page, form, reason):
    """Keep a post the gate took for a bot, for moderators to review; it notifies nobody."""
    answers = {name: form.data.get(name, "")[:2000] for name in form.answer_names}
    with transaction.atomic():
        submission = EnquirySubmission.objects.create(
            page=page,
            form_data=answers,
            status=EnquirySubmission.Status.SPAM,
            status_changed_at=timezone.now(),
            spam_reason=reason,
        )
        assign_reference(submission)
    return submission


def assign_reference(submission):
    submission.reference = reference_for(submission)
    submission.save(update_fields=["reference"])
