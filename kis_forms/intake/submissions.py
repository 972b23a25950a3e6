"""Storing what residents send: an accepted enquiry with its notifications, or a spam record."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from kis_forms.delivery.tasks import queue_notifications
from kis_forms.intake.references import next_number, reference_for, spam_reference_for
from kis_forms.intake.routing import route
from kis_forms.models import ConsentText, EnquirySubmission


class AlreadySent(Exception):
    """The form's one-time token was used before, for other answers."""


def store_enquiry(page, form):
    """Save an accepted enquiry and its notification jobs in one transaction.

    The form's one-time token makes this idempotent: the same form sent twice (a double
    click, a resend after a slow network) returns the enquiry stored the first time. Sent
    again with other answers, it raises AlreadySent: they would be lost without a word.
    """
    nonce = form.token_nonce()
    answers = form.answers()
    existing = EnquirySubmission.objects.filter(form_token=nonce).first()
    if existing is not None:
        return same_enquiry(existing, page, answers)
    try:
        return record_enquiry(
            page,
            answers,
            worker=route(page, form.cleaned_data),
            form_token=nonce,
            resident_email=form.resident_email(),
            resident_name=form.resident_name(),
            resident_phone=form.resident_phone(),
        )
    except IntegrityError:
        # The same token arrived twice at once; the other request stored it.
        return same_enquiry(EnquirySubmission.objects.get(form_token=nonce), page, answers)


def same_enquiry(existing, page, answers):
    """`existing`, stored with the same token, if it holds these answers to this form."""
    stored_as = json.loads(json.dumps(answers, cls=DjangoJSONEncoder))
    if existing.page_id != page.pk or existing.form_data != stored_as:
        raise AlreadySent
    return existing


def record_enquiry(page, answers, *, worker, **fields):
    """Save an accepted enquiry with the clause it was sent under, and queue its e-mails."""
    with transaction.atomic():
        submission = create_with_reference(
            page=page,
            form_data=answers,
            worker=worker,
            consent=ConsentText.for_text(page.consent_text()),
            **fields,
        )
        queue_notifications(submission, send_confirmation=page.send_confirmation)
    return submission


def store_spam(page, form, reason):
    """Keep a valid post the gate took for a bot, for moderators to review; it notifies nobody.

    Its name, e-mail and phone are kept as an enquiry's are, so a data subject's request and
    the inbox's search find it. Its reference is of the spam series (references.py).
    """
    with transaction.atomic():
        submission = EnquirySubmission.objects.create(
            page=page,
            form_data=form.answers(),
            resident_email=form.resident_email(),
            resident_name=form.resident_name(),
            resident_phone=form.resident_phone(),
            status=EnquirySubmission.Status.SPAM,
            status_changed_at=timezone.now(),
            spam_reason=reason,
        )
        submission.reference = spam_reference_for(submission)
        submission.save(update_fields=["reference"])
    return submission


def create_with_reference(**fields):
    """Create an enquiry and give it the next reference of the residents' series."""
    with transaction.atomic():
        submission = EnquirySubmission.objects.create(**fields)
        submission.reference = reference_for(submission, next_number())
        submission.save(update_fields=["reference"])
    return submission
