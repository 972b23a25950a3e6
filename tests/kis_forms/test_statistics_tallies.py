"""On PostgreSQL the report reads tallies that triggers keep; after every way an enquiry or
its e-mail is written (arrival, status changes and spam marking, a note, the purge, an
erasure, an e-mail's delivery, a move to another form, deletion, the form page deleted)
they give exactly the figures that counting over the enquiries gives.
"""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from kis_forms.inbox import handling
from kis_forms.models import (
    EnquiryFormPage,
    EnquirySubmission,
    EnquiryTally,
    Notification,
    NotificationTally,
    TopicTally,
    WaitTally,
)
from kis_forms.privacy.anonymise import anonymise
from kis_forms.privacy.retention import purge
from kis_forms.statistics import queries, tallies

from ..utils import make_enquiry

pytestmark = pytest.mark.postgresql  # the triggers are PostgreSQL's

WARSAW = ZoneInfo("Europe/Warsaw")
YEAR = 2025
TOPIC = "temat"
LONG_AFTER = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)  # every period has passed
TALLY_MODELS = [EnquiryTally, WaitTally, TopicTally, NotificationTally]
NOTHING_HANDLED = (0, None, None, 0, None, None)
MIGRATION = "kis_forms.migrations.0013_statistics_triggers"


def at(*parts):
    return datetime.datetime(*parts, tzinfo=WARSAW)


def selection(year=YEAR, form_id=None):
    """Every form's enquiries in `year`, or one form's."""
    forms = dict(EnquiryFormPage.objects.values_list("pk", "reply_within_days"))
    enquiries = EnquirySubmission.objects.all()
    if form_id is not None:
        forms = {form_id: forms[form_id]}
        enquiries = enquiries.filter(page_id=form_id)
    return queries.Selection(enquiries=enquiries, forms=forms, year=year)


def figures(source, chosen):
    fields = queries.topic_fields(chosen)
    return {
        "tally": source.tally(chosen, today=datetime.date(YEAR, 6, 1)),
        "topics": source.topics(chosen, fields),
        # A month with no enquiry handled or closed shows the same with or without its row.
        "reply_times": {
            month: times
            for month, times in source.reply_times(chosen).items()
            if times != NOTHING_HANDLED
        },
        "notifications": source.notifications(chosen),
    }


def assert_tallies_count_as_the_enquiries():
    """For both years, all forms and each form alone."""
    for year in (YEAR, YEAR + 1):
        for form_id in [None, *EnquiryFormPage.objects.values_list("pk", flat=True)]:
            chosen = selection(year, form_id)
            assert figures(tallies, chosen) == figures(queries, chosen), (year, form_id)


def changed_at(enquiries, status, moment, user):
    moment = moment.astimezone(datetime.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: moment)
        handling.change_status(list(enquiries), status, user)


@pytest.fixture
def year_of_enquiries(kk_form, clubs):
    """Enquiries on both sides of New Year's midnight in Polish time, of two forms, spam
    among them, each with its worker's e-mail."""
    nysa_form = EnquiryFormPage.objects.descendant_of(clubs["nysa"]).get()
    sent = []
    for number, moment in enumerate(
        [
            at(YEAR, 1, 1, 0, 30),
            at(YEAR, 1, 4, 12),
            at(YEAR, 3, 6, 8),
            at(YEAR, 12, 31, 23, 59),
            at(YEAR + 1, 1, 1, 0, 30),
        ]
    ):
        for form in (kk_form, nysa_form):
            enquiry = make_enquiry(
                form, submit_time=moment, status="spam" if number == 2 else "new"
            )
            Notification.objects.create(submission=enquiry, kind=Notification.Kind.WORKER)
            sent.append(enquiry)
    return sent


def test_new_enquiries_and_their_topics_are_in_the_tallies(year_of_enquiries):
    """Each enquiry is counted on its Polish day, its topic and e-mail with it."""
    assert_tallies_count_as_the_enquiries()
    chosen = selection()
    assert sum(figures(tallies, chosen)["tally"].months.values()) == 8  # 2 of 10 in 2026
    assert sum(figures(tallies, chosen)["topics"].values()) == 6  # spam has no topic


def test_status_changes_and_spam_marking_move_the_counts(year_of_enquiries, kk_moderator):
    """Handled, closed, marked as spam and back: counted where each one now stands, and
    its waiting times to the tenth of an hour, halves rounded up, as the enquiries give."""
    first, second, third = year_of_enquiries[:3]
    # 3, 9 and 15 minutes: 0.05, 0.15 and 0.25 hours, each exactly half a tenth.
    changed_at([first], "in_progress", first.submit_time + datetime.timedelta(minutes=3), None)
    changed_at([second], "closed", second.submit_time + datetime.timedelta(minutes=9), None)
    changed_at([third], "closed", third.submit_time + datetime.timedelta(minutes=15), None)
    assert_tallies_count_as_the_enquiries()
    assert tallies.reply_times(selection())[1][:3] == (3, 2, 3)  # median 0.15 h: 0.2
    changed_at([first, third], "spam", at(YEAR, 2, 1, 9), kk_moderator)
    assert_tallies_count_as_the_enquiries()
    changed_at([first], "new", at(YEAR, 2, 2, 9), kk_moderator)
    assert_tallies_count_as_the_enquiries()


def test_a_note_counts_as_first_handling(year_of_enquiries, kk_moderator):
    """A moderator's first note is the first handling in the tallies too."""
    handling.add_note(year_of_enquiries[0], "Oddzwonię.", kk_moderator)
    assert_tallies_count_as_the_enquiries()


def test_the_purge_and_an_erasure_keep_every_count(year_of_enquiries, kk_moderator):
    """Anonymised and erased enquiries count as before, with the topic they kept."""
    before = figures(tallies, selection())
    changed_at(year_of_enquiries[:4], "closed", at(YEAR, 1, 10, 12), kk_moderator)
    closed = figures(tallies, selection())
    list(purge(LONG_AFTER))
    anonymise(year_of_enquiries[4:8], user=kk_moderator, reason="request")
    assert EnquirySubmission.objects.filter(anonymised_at__isnull=False).count() >= 8
    assert_tallies_count_as_the_enquiries()
    assert figures(tallies, selection()) == closed
    assert before["topics"] == closed["topics"]


def test_deleted_enquiries_leave_no_count_behind(year_of_enquiries, kk_moderator):
    """Deleting enquiries, and deleting a form page with its enquiries, takes them out of
    every tally, e-mails included; no row is left at zero."""
    handling.delete(year_of_enquiries[:4], kk_moderator)
    assert_tallies_count_as_the_enquiries()
    year_of_enquiries[1].page.delete()
    assert_tallies_count_as_the_enquiries()
    EnquirySubmission.objects.all().delete()
    assert [model.objects.count() for model in TALLY_MODELS] == [0, 0, 0, 0]


def test_email_delivery_is_counted_as_it_goes(year_of_enquiries):
    """Sent, retried, failing, given up, removed: the e-mails' tally follows each."""
    emails = Notification.objects.filter(submission__in=year_of_enquiries[:6])
    emails.filter(submission=year_of_enquiries[0]).update(state="sent", attempts=1)
    emails.filter(submission=year_of_enquiries[1]).update(state="failing", attempts=2)
    emails.filter(submission=year_of_enquiries[2]).update(state="given_up", attempts=5)
    assert_tallies_count_as_the_enquiries()
    emails.filter(submission=year_of_enquiries[3]).delete()
    assert_tallies_count_as_the_enquiries()
    assert tallies.notifications(selection())["retried"] == 2


def test_an_enquiry_moved_to_another_form_moves_its_counts(year_of_enquiries, kk_form):
    """Its day, topic, waiting time and e-mail move to the form it now belongs to."""
    nysa_enquiry = year_of_enquiries[1]
    changed_at([nysa_enquiry], "closed", at(YEAR, 1, 2, 9), None)
    EnquirySubmission.objects.filter(pk=nysa_enquiry.pk).update(page=kk_form)
    assert_tallies_count_as_the_enquiries()


def test_topics_are_the_answers_given_when_the_enquiry_arrived(year_of_enquiries, kk_form):
    """A topic field turned into a text field later keeps its enquiries' topics counted,
    so no typed answer ever reaches a tally."""
    kk_form.form_fields.filter(clean_name=TOPIC).update(field_type="singleline")
    later = make_enquiry(kk_form, submit_time=at(YEAR, 5, 5, 10))
    assert later.form_data[TOPIC]
    assert EnquirySubmission.objects.get(pk=later.pk).choice_answers == {}
    kept = EnquirySubmission.objects.get(pk=year_of_enquiries[0].pk).choice_answers
    assert kept == {TOPIC: year_of_enquiries[0].form_data[TOPIC]}


def test_the_migration_fills_the_tallies_from_the_enquiries_already_stored(year_of_enquiries):
    """Emptied and filled again as the migration fills them: the same tallies."""
    migration = importlib.import_module(MIGRATION)
    kept = figures(tallies, selection())
    for model in TALLY_MODELS:
        model.objects.all().delete()
    EnquirySubmission.objects.update(choice_answers={})
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL_CHOICES)
        everything = migration.signed("kis_forms_enquirysubmission", 1)
        cursor.execute(migration.enquiry_upserts(everything, "Europe/Warsaw"))
    assert figures(tallies, selection()) == kept
    assert_tallies_count_as_the_enquiries()


def test_the_report_counts_over_the_enquiries_when_the_time_zone_changed(
    year_of_enquiries, settings
):
    """Tallies count days in the zone they were made in: once TIME_ZONE is another, the
    report counts over the enquiries instead."""
    assert tallies.kept(selection())
    settings.TIME_ZONE = "Europe/London"
    assert not tallies.kept(selection())
