"""The nightly retention purge, a task that queues its own next run."""

import datetime
import logging

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend

from kis_forms.jobs import task_results
from kis_forms.privacy.retention import purge

logger = logging.getLogger(__name__)

PURGE_AT = datetime.time(3, 0)  # local time, when the site is quiet


@task()
def purge_expired_enquiries():
    """Anonymise the expired enquiries, having first queued the next night's run."""
    schedule_purge()
    done = 0
    for done, total in purge():
        logger.info("Anonymised %s of %s expired enquiries.", done, total)
    return done


def schedule_purge(now=None):
    """Queue the next nightly purge unless one is queued; returns its time (None: cannot).

    The next run is queued before purging, so a purge that fails does not end the chain.
    Only the database backend can both delay a task and tell whether one is waiting.
    """
    backend = purge_expired_enquiries.get_backend()
    if not isinstance(backend, DatabaseBackend):
        logger.warning("Task backend cannot schedule the purge; run `manage.py kis_purge` daily.")
        return None
    queued = (
        task_results()
        .filter(
            task_path=purge_expired_enquiries.module_path,
            backend_name=backend.alias,
            status=TaskResultStatus.READY,
        )
        .first()
    )
    if queued is not None:
        return queued.run_after
    run_after = next_purge_time(now or timezone.now())
    purge_expired_enquiries.using(run_after=run_after).enqueue()
    return run_after


def next_purge_time(now):
    """The first PURGE_AT, local time, after `now`."""
    day = timezone.localtime(now).date()
    if datetime.datetime.combine(day, PURGE_AT) <= timezone.make_naive(now):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, PURGE_AT))
