"""`manage.py kis_worker`: django-tasks-db's task worker, which also recovers abandoned e-mails
and outlives the database going away.

django-tasks-db leaves the job of a worker that died mid-task marked as running, and never
runs it again. So a long-running worker also looks, when it starts and then every
KIS_FORMS["RECOVERY_INTERVAL"] seconds, for notifications that no job will send any more,
and queues them again (`kis_forms.delivery.tasks.requeue_abandoned_notifications`). It has a name of
its own, so it works wherever kis_forms and django_tasks_db stand in INSTALLED_APPS; its
options are those of `db_worker`.

`db_worker` stops at the first database error it does not expect (PostgreSQL restarting, the
network gone). This worker logs it, then tries to reach the database again after 1, 2, 4 …
up to 60 seconds, logging each try, and carries on once it answers: no outside supervisor
is needed to bring it back. (With `--reload`, as under `make run`, the loop runs in the
autoreloader's thread, out of this reach.)
"""

import itertools
import logging
import os
import threading
import time

from django.db import InterfaceError, OperationalError, connection, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from kis_forms.conf import option
from kis_forms.delivery.tasks import requeue_abandoned_notifications

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
LONGEST_WAIT = 60  # seconds between tries to reach the database, at most


class Command(db_worker.Command):
    help = (
        "Run a database background worker; it also queues again the e-mails whose worker "
        "stopped while sending them."
    )

    def handle(self, *args, **options):
        # `--batch` drains the queue once; with `--reload` the parent process only watches.
        reloader_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["batch"] and not reloader_parent:
            threading.Thread(target=recover_abandoned, daemon=True, name="kis-recovery").start()
        while True:
            try:
                return super().handle(*args, **options)
            except DATABASE_ERRORS as error:
                logger.warning("The task worker lost the database: %s", error)
            wait_for_database()


def wait_for_database():
    """Return once the database answers, trying after 1, 2, 4 … LONGEST_WAIT seconds."""
    for attempt in itertools.count(1):
        wait = min(2 ** (attempt - 1), LONGEST_WAIT)
        logger.warning("Trying to reach the database in %d s (attempt %d).", wait, attempt)
        time.sleep(wait)
        if database_answers():
            logger.warning("The database answers again; the task worker carries on.")
            return


def database_answers():
    """Whether a new connection to the database opens; the worker's old ones are dropped."""
    connections.close_all()
    try:
        connection.ensure_connection()
    except DATABASE_ERRORS as error:
        logger.warning("The database does not answer: %s", error)
        return False
    return True


def recover_abandoned():
    """Requeue abandoned notifications now and every RECOVERY_INTERVAL seconds, for ever."""
    while True:
        try:
            requeue_abandoned_notifications()
        except Exception:  # noqa: BLE001 - e.g. the database is restarting: try next time
            logger.exception("Could not look for abandoned notifications.")
        finally:
            connections.close_all()  # this thread's connections only
        time.sleep(option("RECOVERY_INTERVAL"))
