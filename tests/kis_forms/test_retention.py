"""Closed and spam enquiries lose their personal data once their retention period is over."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from kis_forms.models import EnquiryFormPage, EnquirySubmission, Notification
from kis_forms.privacy.retention import expired_enquiries, purge
from kis_forms.privacy.tasks import next_purge_time, purge_expired_enquiries, schedule_purge
from kis_pages.models import ClubSettings

from ..utils import make_enquiry
from .conftest import run_worker

NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=datetime.UTC)
Status = EnquirySubmission.Status


@pytest.fixture
def forms(clubs):
    """Each club's demo form; Nysa keeps enquiries 730 days (the default), Koźle 365."""
    ClubSettings.objects.filter(site__root_page=clubs["kk"]).update(enquiry_retention_days=365)
    return {key: EnquiryFormPage.objects.descendant_of(club).get() for key, club in clubs.items()}


def closed(form, days_ago, status=Status.CLOSED, now=NOW, **fields):
    """An enquiry whose status changed `days_ago` days before `now`, sent a week earlier."""
    changed = now - datetime.timedelta(days=days_ago)
    fields = {"status": status, "status_changed_at": changed, **fields}
    return make_enquiry(form, submit_time=changed - datetime.timedelta(days=7), **fields)


def run_purge(now=NOW):
    """Purge to the end; returns how many enquiries were anonymised."""
    counts = [done for done, _total in purge(now)]
    return counts[-1] if counts else 0


def anonymised(*enquiries):
    return [
        EnquirySubmission.objects.get(pk=enquiry.pk).anonymised_at is not None
        for enquiry in enquiries
    ]


def test_purge_takes_what_is_a_day_past_the_period_and_nothing_a_day_short(forms):
    nysa = forms["nysa"]
    old_closed = closed(nysa, 731)
    old_spam = closed(nysa, 731, status=Status.SPAM)
    legacy = closed(nysa, 731, status_changed_at=None)  # from before status changes were dated
    young_closed = closed(nysa, 729)
    young_spam = closed(nysa, 29, status=Status.SPAM)  # spam has its own period, 30 days
    closed_long_after_sending = make_enquiry(
        nysa,
        submit_time=NOW - datetime.timedelta(days=1000),
        status=Status.CLOSED,
        status_changed_at=NOW - datetime.timedelta(days=729),
    )

    assert set(expired_enquiries(NOW)) == {old_closed, old_spam, legacy}
    assert run_purge() == 3
    assert anonymised(old_closed, old_spam, legacy) == [True, True, True]
    assert anonymised(young_closed, young_spam, closed_long_after_sending) == [False] * 3


def test_enquiries_still_being_handled_are_never_purged_however_old(forms):
    ten_years = 3650
    open_enquiries = [
        closed(forms[club], ten_years, status=status)
        for club in forms
        for status in (Status.NEW, Status.IN_PROGRESS, Status.ANSWERED)
    ]
    assert not expired_enquiries(NOW).exists()
    assert run_purge() == 0
    assert not any(anonymised(*open_enquiries))


def test_a_forms_own_period_beats_its_clubs(forms):
    kk = forms["kk"]
    kk.retention_days = 30
    kk.save(update_fields=["retention_days"])
    other_form = EnquiryFormPage(
        title="Zapisy na warsztaty", slug="zapisy", default_worker=kk.default_worker
    )
    kk.get_parent().add_child(instance=other_form)

    short = closed(kk, 31)
    other_young = closed(other_form, 31)
    other_old = closed(other_form, 366)

    assert set(expired_enquiries(NOW)) == {short, other_old}
    run_purge()
    assert anonymised(short, other_young, other_old) == [True, False, True]


def test_each_clubs_period_applies_to_its_own_forms(forms):
    kk_enquiry = closed(forms["kk"], 400)
    nysa_enquiry = closed(forms["nysa"], 400)
    run_purge()
    assert anonymised(kk_enquiry, nysa_enquiry) == [True, False]


def test_spam_is_purged_after_its_own_shorter_period(forms, settings):
    settings.KIS_FORMS = {**settings.KIS_FORMS}
    due, young = closed(forms["nysa"], 31, Status.SPAM), closed(forms["nysa"], 29, Status.SPAM)
    closed_long_ago = closed(forms["nysa"], 31)
    assert run_purge() == 1
    assert anonymised(due, young, closed_long_ago) == [True, False, False]
    settings.KIS_FORMS["SPAM_RETENTION_DAYS"] = 7
    assert run_purge() == 1 and anonymised(young) == [True]


def test_a_dry_run_counts_spam_past_its_own_period_apart(forms, clubs):
    now = timezone.now()
    closed(forms["kk"], 40, now=now, status=Status.SPAM)
    closed(forms["kk"], 400, now=now, status=Status.SPAM)
    output = kis_purge("--dry-run")
    assert "Napisz do nas: 1 enquiry older than 365 days" in output
    assert "Napisz do nas: 1 spam enquiry older than 30 days" in output
    assert "Total: 2 enquiries." in output


def test_purge_removes_personal_data_and_keeps_the_topic_reference_status_and_dates(forms):
    enquiry = closed(forms["kk"], 400)
    enquiry.notes.create(text="Dzwoniłam do p. Gęślą, 600 100 200.")
    enquiry.notifications.create(
        kind=Notification.Kind.WORKER, state=Notification.State.GIVEN_UP, last_error="to: x@y.pl"
    )
    run_purge()

    after = EnquirySubmission.objects.get(pk=enquiry.pk)
    assert after.form_data == {"temat": "udział w Klubie"}
    assert ("Temat", "udział w Klubie") in after.answer_rows()
    assert (after.resident_name, after.resident_phone, after.resident_email) == ("", "", "")
    assert not after.notes.exists()
    notification = after.notifications.get()
    assert notification.state == Notification.State.GIVEN_UP and notification.last_error == ""
    assert after.reference == enquiry.reference and after.reference
    assert after.status == Status.CLOSED and after.page_id == enquiry.page_id
    assert after.submit_time == enquiry.submit_time
    assert after.status_changed_at == enquiry.status_changed_at
    entry = ModelLogEntry.objects.get(action="kis_forms.enquiry.anonymise")
    assert entry.object_id == str(enquiry.pk) and entry.user is None
    assert entry.data == {"reason": "retention"}


def test_purging_again_changes_nothing_and_logs_nothing_new(forms):
    enquiries = [closed(forms["kk"], 400), closed(forms["nysa"], 800, status=Status.SPAM)]
    assert run_purge() == 2
    first = list(EnquirySubmission.objects.order_by("pk").values())
    logged = ModelLogEntry.objects.count()

    assert run_purge(NOW + datetime.timedelta(days=30)) == 0
    assert list(EnquirySubmission.objects.order_by("pk").values()) == first
    assert ModelLogEntry.objects.count() == logged
    assert all(anonymised(*enquiries))


def kis_purge(*args, stdout=None):
    """Run the command in English; returns what it printed."""
    stdout = stdout or io.StringIO()
    with translation.override("en"):
        call_command("kis_purge", *args, stdout=stdout)
    return stdout.getvalue()


def test_a_dry_run_counts_per_club_and_form_and_changes_nothing(forms, clubs):
    now = timezone.now()
    for days in (366, 500, 700):
        closed(forms["kk"], days, now=now)
    closed(forms["nysa"], 731, now=now, status=Status.SPAM)
    young = closed(forms["nysa"], 700, now=now)
    before = list(EnquirySubmission.objects.order_by("pk").values())
    settings_rows = ClubSettings.objects.count()

    output = kis_purge("--dry-run")

    assert f"{clubs['kk'].title}\n  Napisz do nas: 3 enquiries older than 365 days" in output
    assert f"{clubs['nysa'].title}\n  Napisz do nas: 1 enquiry older than 730 days" in output
    assert "Total: 4 enquiries." in output
    assert list(EnquirySubmission.objects.order_by("pk").values()) == before
    assert not ModelLogEntry.objects.filter(action="kis_forms.enquiry.anonymise").exists()
    assert ClubSettings.objects.count() == settings_rows
    assert not anonymised(young)[0]


def test_the_command_anonymises_in_chunks_showing_progress(forms, monkeypatch):
    monkeypatch.setattr("kis_forms.privacy.anonymise.CHUNK_SIZE", 2)
    enquiries = [closed(forms["kk"], 400, now=timezone.now()) for _ in range(3)]

    output = kis_purge()

    bar = "[" + "#" * 20 + " " * 10 + "] 2/3\n[" + "#" * 30 + "] 3/3\n"
    assert output == bar + "Anonymised 3 enquiries.\n"
    assert all(anonymised(*enquiries))
    assert kis_purge() == "No enquiry has outlived its retention period.\n"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_progress_bar_is_redrawn_in_place(forms, monkeypatch):
    monkeypatch.setattr("kis_forms.privacy.anonymise.CHUNK_SIZE", 1)
    for _ in range(2):
        closed(forms["kk"], 400, now=timezone.now())

    output = kis_purge(stdout=Terminal())

    bar = "\r[" + "#" * 15 + " " * 15 + "] 1/2\r[" + "#" * 30 + "] 2/2\n"
    assert output.startswith(bar)


def test_the_nightly_task_purges_and_queues_exactly_one_next_run(forms, database_queue):
    expired = closed(forms["kk"], 400, now=timezone.now())
    young = closed(forms["kk"], 300, now=timezone.now())
    kis_purge("--schedule")
    kis_purge("--schedule")
    (first,) = DBTaskResult.objects.filter(task_path=purge_expired_enquiries.module_path)
    assert timezone.localtime(first.run_after).time() == datetime.time(3, 0)
    run_worker()  # not due yet: nothing happens
    assert anonymised(expired) == [False]

    DBTaskResult.objects.filter(pk=first.pk).update(run_after=timezone.now())
    run_worker()

    assert anonymised(expired, young) == [True, False]
    first.refresh_from_db()
    assert first.status == "SUCCESSFUL" and first.return_value == 1
    (following,) = DBTaskResult.objects.filter(status="READY")
    assert following.task_path == purge_expired_enquiries.module_path
    assert timezone.localtime(following.run_after).time() == datetime.time(3, 0)
    assert timezone.now() < following.run_after <= timezone.now() + datetime.timedelta(days=1)


def test_the_next_run_is_the_coming_3_am_warsaw_time_also_across_a_clock_change():
    def warsaw(*args):
        return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())

    assert next_purge_time(warsaw(2025, 6, 15, 2, 59)) == warsaw(2025, 6, 15, 3, 0)
    assert next_purge_time(warsaw(2025, 6, 15, 3, 0)) == warsaw(2025, 6, 16, 3, 0)
    # The night clocks go forward: 03:00 CEST is 01:00 UTC.
    utc = datetime.datetime(2025, 3, 30, 1, 0, tzinfo=datetime.UTC)
    assert next_purge_time(warsaw(2025, 3, 29, 12, 0)) == utc


def test_without_a_database_queue_scheduling_is_refused_with_the_alternative(forms):
    assert schedule_purge() is None
    with pytest.raises(CommandError, match="cron or a systemd timer"):
        kis_purge("--schedule")
