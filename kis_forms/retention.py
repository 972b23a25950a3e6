"""Which enquiries have outlived their retention period, and anonymising them (RODO).

A closed or spam enquiry is kept for its form's period, else its club's; the age counts
from the last status change (from sending, for enquiries older than that field).
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kis_pages.models import ClubSettings
from kis_pages.models.settings import DEFAULT_RETENTION_DAYS

from .anonymise import anonymise_queryset
from .models import EnquiryFormPage, EnquirySubmission

PURGED_STATUSES = [EnquirySubmission.Status.CLOSED, EnquirySubmission.Status.SPAM]


def retention_days_for(form_page):
    """The form's own period, else its club's setting (the default for a form outside any site)."""
    if form_page.retention_days is not None:
        return form_page.retention_days
    # Not ClubSettings.for_site: it creates a missing row, and a dry run must change nothing.
    club_settings = ClubSettings.objects.filter(site=form_page.get_site()).first()
    return club_settings.enquiry_retention_days if club_settings else DEFAULT_RETENTION_DAYS


def expired_enquiries(now=None):
    """Closed and spam enquiries, not yet anonymised, older than their form's period."""
    now = now or timezone.now()
    expired = Q(pk__in=[])
    for form_page in EnquiryFormPage.objects.all():
        cutoff = now - datetime.timedelta(days=retention_days_for(form_page))
        expired |= Q(page=form_page.pk, aged_from__lt=cutoff)
    return (
        EnquirySubmission.objects.filter(status__in=PURGED_STATUSES, anonymised_at__isnull=True)
        .annotate(aged_from=Coalesce("status_changed_at", "submit_time"))
        .filter(expired)
    )


def expired_counts(now=None):
    """(form page, number of expired enquiries) for each form that has any."""
    counts = dict(expired_enquiries(now).order_by().values_list("page").annotate(count=Count("pk")))
    forms = EnquiryFormPage.objects.filter(pk__in=counts).order_by("path")
    return [(form_page, counts[form_page.pk]) for form_page in forms]


def purge(now=None):
    """Anonymise every expired enquiry in chunks; yields (done, total) after each chunk."""
    expired = expired_enquiries(now)
    total = expired.count()
    for done in anonymise_queryset(expired, reason="retention"):
        yield done, total
