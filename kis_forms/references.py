"""Reference numbers residents quote: KIS-<year>-<number>, unique across the install."""

from django.utils import timezone

PREFIX = "KIS"


def reference_for(submission):
    """The reference of a saved submission, built from its primary key and year received."""
    year = timezone.localtime(submission.submit_time).year
    return f"{PREFIX}-{year}-{submission.pk:06d}"
