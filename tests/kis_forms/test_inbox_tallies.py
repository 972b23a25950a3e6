"""The menu's badge and the dashboard's panel count what waits in a user's inbox: on
PostgreSQL from tallies that triggers keep, which after every way an enquiry or its e-mail
is written (arrival, assignment, status change, e-mail failing and delivered, a move to
another form, deletion) give exactly what counting over the enquiries gives, and never
count another club's enquiries.
"""

import importlib

import pytest
from django.db import connection

from kis_forms.inbox import backlog, handling
from kis_forms.models import (
    EnquiryFormPage,
    EnquirySubmission,
    InboxTally,
    Notification,
    UndeliveredTally,
)

from ..utils import make_enquiry

MIGRATION = "kis_forms.migrations.0014_inbox_tallies"


def counted_over_the_enquiries(user):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backlog, "kept", lambda: False)
        return backlog.waiting(user), backlog.new_count(user)


def assert_tallies_count_as_the_enquiries(*users):
    for user in users:
        assert (backlog.waiting(user), backlog.new_count(user)) == counted_over_the_enquiries(
            user
        ), user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "x")


@pytest.fixture
def both_clubs(kk_form, clubs):
    """Three enquiries to each club's form, each with its worker's e-mail (Nysa's with the
    resident's too)."""
    nysa_form = EnquiryFormPage.objects.descendant_of(clubs["nysa"]).get()
    sent = {"kk": [], "nysa": []}
    for name, form in (("kk", kk_form), ("nysa", nysa_form)):
        for _number in range(3):
            enquiry = make_enquiry(form, status="new")
            Notification.objects.create(submission=enquiry, kind=Notification.Kind.WORKER)
            if name == "nysa":  # so that no e-mail shares its number with its enquiry
                Notification.objects.create(submission=enquiry, kind=Notification.Kind.RESIDENT)
            sent[name].append(enquiry)
    return sent


def test_a_moderator_counts_only_their_own_clubs_enquiries(both_clubs, kk_moderator):
    """Nysa's failing, unassigned, new enquiries are not in Kędzierzyn-Koźle's counts."""
    Notification.objects.filter(submission__in=both_clubs["nysa"]).update(state="failing")
    assert backlog.waiting(kk_moderator) == {"new": 3, "unassigned": 3, "failing": 0}
    assert backlog.new_count(kk_moderator) == 3
    assert counted_over_the_enquiries(kk_moderator) == (
        {"new": 3, "unassigned": 3, "failing": 0},
        3,
    )


@pytest.mark.postgresql
def test_every_change_keeps_the_tallies_equal_to_the_counts(
    both_clubs, kk_form, kk_moderator, nysa_moderator, superuser
):
    users = (kk_moderator, nysa_moderator, superuser)
    kk, nysa = both_clubs["kk"], both_clubs["nysa"]
    assert_tallies_count_as_the_enquiries(*users)
    handling.assign([kk[0]], kk_moderator, kk_moderator)
    handling.change_status([kk[1]], "in_progress", kk_moderator)
    handling.change_status([nysa[0]], "closed", nysa_moderator)
    assert_tallies_count_as_the_enquiries(*users)
    emails = Notification.objects.filter(submission__in=[kk[0], nysa[1]])
    emails.update(state="failing", attempts=2)
    # A second undelivered e-mail to the same enquiry counts it once.
    Notification.objects.create(submission=kk[0], kind=Notification.Kind.RESIDENT, state="given_up")
    assert backlog.waiting(superuser)["failing"] == 2
    assert_tallies_count_as_the_enquiries(*users)
    Notification.objects.filter(submission=kk[0], kind=Notification.Kind.WORKER).update(
        state="sent"
    )
    assert_tallies_count_as_the_enquiries(*users)
    EnquirySubmission.objects.filter(pk=nysa[1].pk).update(page=kk_form)  # moved
    assert_tallies_count_as_the_enquiries(*users)
    handling.delete([kk[0], nysa[2]], superuser)
    assert_tallies_count_as_the_enquiries(*users)
    EnquirySubmission.objects.all().delete()
    assert (InboxTally.objects.count(), UndeliveredTally.objects.count()) == (0, 0)


@pytest.mark.postgresql
def test_the_migration_fills_the_tallies_from_the_enquiries_already_stored(
    both_clubs, kk_moderator, superuser
):
    Notification.objects.filter(submission__in=both_clubs["kk"][:2]).update(state="given_up")
    kept = backlog.waiting(superuser), backlog.waiting(kk_moderator)
    migration = importlib.import_module(MIGRATION)
    InboxTally.objects.all().delete()
    UndeliveredTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL_INBOX)
        cursor.execute(migration.BACKFILL_UNDELIVERED)
    assert (backlog.waiting(superuser), backlog.waiting(kk_moderator)) == kept
    assert kept[1]["failing"] == 2
