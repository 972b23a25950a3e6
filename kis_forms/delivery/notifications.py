"""What the e-mails about an enquiry say: to the routed worker, and to the resident."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def one_line(text):
    """`text` without line breaks, safe to put in a mail header."""
    return " ".join(str(text).split())


def message_id(notification):
    """The same Message-ID for every attempt at one delivery, new when it is sent again.

    At-least-once delivery may send an e-mail twice (a task worker dying just after the
    mail server took it); with one Message-ID, mail servers and clients can fold the two.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    queued = notification.queued_at.strftime("%Y%m%d%H%M%S%f")
    return f"<kis-notification-{notification.pk}-{queued}@{domain}>"


def admin_url(submission):
    """Where the worker reads the enquiry in the Wagtail admin."""
    path = reverse("enquiries:inspect", args=[submission.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def worker_message(submission):
    """The e-mail to the routed worker: a link and, only if the form allows it, the answers."""
    page = submission.page.specific
    context = {
        "submission": submission,
        "page": page,
        "admin_url": admin_url(submission),
        "answers": submission.answer_rows() if page.include_answers_in_email else [],
    }
    subject = _("[%(reference)s] New enquiry: %(form)s") % {
        "reference": submission.reference,
        "form": page.title,
    }
    resident_email = submission.resident_email
    return build(
        subject,
        "kis_forms/email/worker_notification",
        context,
        to=[submission.worker.email],
        reply_to=[resident_email] if resident_email else [],
    )


def resident_message(submission):
    """The confirmation to the resident: the reference and who will answer."""
    page = submission.page.specific
    context = {"submission": submission, "page": page, "worker": submission.worker}
    subject = _("Your enquiry %(reference)s has reached us") % {"reference": submission.reference}
    reply_to = [submission.worker.email] if submission.worker.email else []
    return build(
        subject,
        "kis_forms/email/resident_confirmation",
        context,
        to=[submission.resident_email],
        reply_to=reply_to,
    )


def build(subject, template, context, to, reply_to):
    """A plain-text and HTML message in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=one_line(subject), body=text, to=to, reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    return message
