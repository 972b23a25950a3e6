"""Reference numbers residents quote: KIS-<year>-<number>, unique across the install.

The numbers run on without gaps across the install (the year is that of sending); spam has
a series of its own, SPAM-<year>-<id>, so it takes no number from residents.
"""

from django.db.models import F, Max
from django.utils import timezone

from kis_forms.models import EnquirySubmission, ReferenceSequence

PREFIX = "KIS"
SPAM_PREFIX = "SPAM"


def reference_for(submission, number):
    """The reference of a saved enquiry with the `number` of the residents' series."""
    year = timezone.localtime(submission.submit_time).year
    return f"{PREFIX}-{year}-{number:06d}"


def spam_reference_for(submission):
    """The reference of a saved spam record, built from its primary key and year received."""
    year = timezone.localtime(submission.submit_time).year
    return f"{SPAM_PREFIX}-{year}-{submission.pk:06d}"


def next_number():
    """The next number of the residents' series; call it in the transaction that saves.

    The update comes before the read, so it holds the row's lock (PostgreSQL) or the
    database's write lock (SQLite) until the enquiry is saved: no two get one number.
    """
    # Started past every id so far, so no earlier reference (once made from the id) recurs.
    highest_id = EnquirySubmission.objects.aggregate(highest=Max("pk"))["highest"] or 0
    ReferenceSequence.objects.get_or_create(pk=1, defaults={"last_number": highest_id})
    ReferenceSequence.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    return ReferenceSequence.objects.values_list("last_number", flat=True).get(pk=1)
