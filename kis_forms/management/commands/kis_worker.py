"""`manage.py kis_worker`: django-tasks-db's task worker, which also recovers abandoned e-mails.

django-tasks-db leaves the job of a worker that died mid-task marked as running, and never
runs it again. So a long-running worker also looks, when it starts and then every
KIS_FORMS["RECOVERY_INTERVAL"] seconds, for notifications that no job will send any more,
and queues them again (`kis_forms.tasks.requeue_abandoned_notifications`). It has a name of
its own, so it works wherever kis_forms and django_tasks_db stand in INSTALLED_APPS; its
options are those of `db_worker`.
"""

import logging
import os
import threading
import time

from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from kis_forms import gate
from kis_forms.tasks import requeue_abandoned_notifications

logger = logging.getLogger(__name__)


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
        super().handle(*args, **options)


def recover_abandoned():
    """Requeue abandoned notifications now and every RECOVERY_INTERVAL seconds, for ever."""
    while True:
        try:
            requeue_abandoned_notifications()
        except Exception:  # noqa: BLE001 - e.g. the database is restarting: try next time
            logger.exception("Could not look for abandoned notifications.")
        finally:
            connections.close_all()  # this thread's connections only
        time.sleep(gate.option("RECOVERY_INTERVAL"))
