"""Faults: the mail server away for a while, a task worker killed while sending, PostgreSQL
restarted under load. Nothing a resident was told is accepted may be lost, and nothing but
the processes themselves brings them back."""

import subprocess
import time
from collections import Counter

import pytest

from .cluster import (
    REFERENCE,
    Load,
    all_sent,
    client_address,
    mailed,
    poll,
    postgres_control_command,
    send_enquiry,
)

pytestmark = pytest.mark.scaleout

RESEND = """
from kis_forms.inbox.handling import resend_notification
from kis_forms.models import EnquirySubmission
for enquiry in EnquirySubmission.objects.order_by("pk")[:{count}]:
    resend_notification(enquiry, None)
"""


def send_many(ports, count, first=0):
    """`count` residents, one after another, each form sent to the next server."""
    return [
        send_enquiry(
            ports[number % len(ports)],
            ports[(number + 1) % len(ports)],
            client_address(number),
            f"R {number}",
        )
        for number in range(first, first + count)
    ]


def cut_off(task_workers):
    """How many times the task workers have logged losing the database."""
    return sum(w.logged().count("The task worker lost the database") for w in task_workers)


def test_mail_server_down_then_back_every_email_arrives_once(cluster, database, sink, report):
    enquiries, resent = 20, 5
    sink.stop()
    ports = cluster.start(servers=2, server_workers=1, task_workers=2)
    started = time.monotonic()
    sent = send_many(ports, enquiries)
    assert all(s.statuses == [303] and s.reference for s in sent)

    def retried():
        states = database.notifications().values()
        return len(states) == enquiries and all(
            state == "failing" and attempts >= 2 for state, attempts in states
        )

    poll(retried, timeout=60, what="every e-mail failed and was retried")
    # A moderator sends some again from the inbox while the mail server is still away:
    # those notifications now have two jobs each, which two workers may run at once.
    cluster.manage("shell", "--command", RESEND.format(count=resent))
    down_for = time.monotonic() - started

    sink.delay = 0.2  # a slow server: a second job finds the first one still sending
    sink.start()
    poll(all_sent(database, enquiries), timeout=60, what="every notification sent")
    mail = mailed(sink)
    assert mail == Counter({s.reference: 1 for s in sent})
    attempts = sorted(attempts for _state, attempts in database.notifications().values())
    report(
        f"SMTP down {down_for:.0f} s: {enquiries} enquiries, {resent} resent by hand, "
        f"{sum(mail.values())} e-mails received, attempts per e-mail {attempts[0]}–{attempts[-1]}"
    )


SPARE_JOBS = """
from django.utils import timezone
from kis_forms.models import Notification
from kis_forms.delivery.tasks import deliver_notification
for notification in Notification.objects.order_by("pk"):
    for _spare in range(2):
        deliver_notification.using(run_after=timezone.now()).enqueue(notification.pk)
"""


def test_two_jobs_for_one_email_on_two_workers_at_once_send_it_once(
    cluster, database, sink, report
):
    # Spare jobs come from a resend while a retry is due, or from a look for abandoned
    # e-mails that took a job starting slowly for a dead one. Here each e-mail gets two
    # more, side by side in the queue, before the two workers start; the mail server is
    # slow, so both workers are inside the same e-mail at once.
    enquiries = 5
    ports = cluster.start(servers=1, server_workers=1, task_workers=0)
    sent = send_many(ports, enquiries)
    cluster.manage("shell", "--command", SPARE_JOBS)
    sink.delay = 0.5
    for _worker in range(2):
        cluster.start_task_worker()
    poll(all_sent(database, enquiries), timeout=60, what="every notification sent")
    poll(lambda: database.jobs()["READY"] == 0, timeout=60, what="every spare job run")
    assert mailed(sink) == Counter({s.reference: 1 for s in sent})
    report(f"spare jobs: {3 * enquiries} jobs for {enquiries} e-mails, {enquiries} sent")


def test_a_task_worker_killed_while_sending_its_email_is_sent_by_another(
    cluster, database, sink, report
):
    ports = cluster.start(servers=1, server_workers=1, task_workers=2)
    first, second = cluster.task_workers

    # Each worker stops inside its SMTP conversation, before the message is handed over.
    sink.hold("rcpt")
    sent = send_many(ports, 6)
    poll(lambda: sink.waiting == 2, timeout=60, what="both task workers sending")
    first.kill()
    sink.release()
    poll(all_sent(database, 6), timeout=60, what="every notification sent")
    assert mailed(sink) == Counter({s.reference: 1 for s in sent})
    attempts = Counter(attempts for _state, attempts in database.notifications().values())
    assert attempts == {1: 5, 2: 1}, "the killed worker's e-mail went through a second attempt"
    assert database.jobs()["RUNNING"] == 1, "django-tasks-db keeps the dead job as running"

    # The boundary of "once": the server has kept the message but the worker dies before
    # it hears so and records it. With no worker left, a new one starts and sends it again.
    sink.hold("data")
    more = send_many(ports, 3, first=6)
    poll(lambda: sink.waiting == 1, timeout=60, what="the second worker sending")
    reference = REFERENCE.search(sink.received()[-1]["Subject"]).group()
    second.kill()
    sink.release()
    cluster.start_task_worker()
    poll(all_sent(database, 9), timeout=60, what="every notification sent after a restart")
    once = Counter({s.reference: 1 for s in [*sent, *more]})
    assert mailed(sink) == once + Counter({reference: 1})
    twice = [m["Message-ID"] for m in sink.received() if reference in m["Subject"]]
    assert len(set(twice)) == 1, "both copies carry one Message-ID, for mail clients to fold"
    report(
        "task worker killed: before the message was handed over, sent once by the other "
        f"worker; after it was kept but before it was recorded ({reference}), sent twice, "
        "both with one Message-ID"
    )


def test_servers_and_task_workers_outlive_a_postgresql_restart_and_lose_no_enquiry(
    cluster, database, sink, report
):
    control = postgres_control_command(database.url)
    if control is None:
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster on this machine")
    # Nothing starts a task worker again: each must reconnect by itself.
    ports = cluster.start(servers=2, server_workers=1, task_workers=2)
    load = Load()
    with load.sending(ports):
        poll(lambda: load.accepted_since(0) >= 30, 120, "30 enquiries sent")
    # The first server takes the load through the restart; the second idles, so the
    # database connection it keeps open goes stale under it. PostgreSQL stays down until a
    # task worker has noticed: a quick restart could fall between two of its polls.
    with load.sending(ports[:1]):
        restart_started = time.monotonic()
        subprocess.run([*control, "stop"], check=True)  # noqa: S603
        poll(lambda: cut_off(cluster.task_workers), 60, "a task worker losing the database")
        subprocess.run([*control, "start"], check=True)  # noqa: S603
        back = time.monotonic()
        poll(lambda: load.accepted_since(back) >= 5, 120, "5 enquiries sent after the restart")
    with load.sending(ports):
        poll(lambda: load.accepted_since(back) >= 30, 120, "30 more on both servers")

    assert load.unanswered == []
    for s in load.results:
        assert s.form_status in (200, 500)
        assert set(s.statuses) <= {303, 500}, "an answer, and an error page when it failed"
        assert all("<h1>" in a.body for a in s.answers if a.status == 500)
    # Every request after the restart succeeds, on the same server processes.
    since = [s for s in load.results if s.started > back]
    assert [s for s in since if not (s.form_status == 200 and s.statuses == [303])] == []
    assert all(s.reference for s in since)
    assert all(server.poll() is None for server in cluster.servers)

    accepted = {s.token for s in load.results if s.statuses == [303]}
    stored = database.enquiries()
    assert accepted <= {token for _reference, token in stored}, "an accepted enquiry is missing"

    poll(all_sent(database, len(stored)), timeout=90, what="every notification sent")
    mail = mailed(sink)
    assert set(mail) == {reference for reference, _token in stored}
    duplicates = sum(mail.values()) - len(mail)
    assert duplicates <= len(cluster.task_workers), "at most one e-mail cut off per task worker"
    assert all(worker.process.poll() is None for worker in cluster.task_workers)
    logs = [worker.logged() for worker in cluster.task_workers]
    lost = cut_off(cluster.task_workers)
    tries = sum(log.count("Trying to reach the database") for log in logs)
    assert sum(log.count("The database answers again") for log in logs) == lost
    failed = [s for s in load.results if 500 in s.statuses or s.form_status == 500]
    report(
        f"PostgreSQL restarted in {back - restart_started:.1f} s under load: "
        f"{len(load.results)} residents, {len(accepted)} accepted, {len(failed)} shown an "
        f"error page, {len(stored)} stored, {sum(mail.values())} e-mails ({duplicates} "
        f"twice); task workers cut off {lost} times, back by themselves after {tries} tries"
    )
