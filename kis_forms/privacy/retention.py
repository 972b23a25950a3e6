"""Which enquiries have outlived their retention period, and anonymising them (RODO).

A closed or spam enquiry is kept for its form's period, else its club's; spam at most
KIS_FORMS["SPAM_RETENTION_DAYS"]. The age counts from the last status change (from sending,
for enquiries older than that field).
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kis_forms.conf import option
from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.privacy.anonymise import anonymise_queryset
from kis_pages.models import ClubSettings
from kis_pages.models.settings import DEFAULT_RETENTION_DAYS

PURGED_STATUSES = [EnquirySubmission.Status.CLOSED, EnquirySubmission.Status.SPAM]


def retention_days_for(form_page):
    """The form's own period, else its club's setting (the default for a form outside any site)."""
    if form_page.retention_days is not None:
        return form_page.retention_days
    # Not ClubSettings.for_site: it creates a missing row, and a dry run must change nothing.
    club_settings = ClubSettings.objects.filter(site=form_page.get_site()).first()
    return club_settings.enquiry_retention_days if club_settings else DEFAULT_RETENTION_DAYS


def past_form_period(now):
    """Enquiries older than their form's period (with `aged_from` annotated)."""
    expired = Q(pk__in=[])
    for form_page in EnquiryFormPage.objects.all():
        cutoff = now - datetime.timedelta(days=retention_days_for(form_page))
        expired |= Q(page=form_page.pk, aged_from__lt=cutoff)
    return expired


def past_spam_period(now):
    """Spam older than KIS_FORMS["SPAM_RETENTION_DAYS"] (with `aged_from` annotated)."""
    cutoff = now - datetime.timedelta(days=option("SPAM_RETENTION_DAYS"))
    return Q(status=EnquirySubmission.Status.SPAM, aged_from__lt=cutoff)


def not_yet_anonymised():
    """Closed and spam enquiries with their personal data, annotated with `aged_from`."""
    return EnquirySubmission.objects.filter(
        status__in=PURGED_STATUSES, anonymised_at__isnull=True
    ).annotate(aged_from=Coalesce("status_changed_at", "submit_time"))


def expired_enquiries(now=None):
    """Closed and spam enquiries, not yet anonymised, older than their form's period; spam
    also once older than its own, shorter one."""
    now = now or timezone.now()
    return not_yet_anonymised().filter(past_form_period(now) | past_spam_period(now))


def expired_counts(now=None):
    """(form page, enquiries past its period, further spam past the spam period) for each
    form that has any."""
    now = now or timezone.now()
    by_form = past_form_period(now)
    rows = (
        not_yet_anonymised()
        .order_by()
        .values("page")
        .annotate(
            by_form=Count("pk", filter=by_form),
            spam=Count("pk", filter=past_spam_period(now) & ~by_form),
        )
    )
    counts = {
        row["page"]: (row["by_form"], row["spam"]) for row in rows if row["by_form"] or row["spam"]
    }
    forms = EnquiryFormPage.objects.filter(pk__in=counts).order_by("path")
    return [(form_page, *counts[form_page.pk]) for form_page in forms]


def purge(now=None):
    """Anonymise every expired enquiry in chunks; yields (done, total) after each chunk."""
    expired = expired_enquiries(now)
    total = expired.count()
    for done in anonymise_queryset(expired, reason="retention"):
        yield done, total
