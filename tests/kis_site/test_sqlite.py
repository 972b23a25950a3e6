"""The embedded default on SQLite: the server and the task worker share one database file, and
neither is refused while the other writes (WAL, a busy timeout, transactions that take the
write lock when they begin)."""

import json
import os
import sqlite3
import threading
import time

import pytest
from django.db import connections, transaction

from .conftest import run_python

ALIAS = "sqlite_file"


def dev_database(**environment):
    """The default database as `make run`'s settings read it from `environment`."""
    script = (
        "import json; from kis_site.settings import dev; "
        "print(json.dumps(dev.DATABASES['default'], default=str))"
    )
    return json.loads(run_python(script, {"PATH": os.environ["PATH"], **environment}))


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A connection with `make run`'s database settings to a file of its own (the tests'
    database lives in memory, where SQLite locks otherwise)."""
    database = {**dev_database(), "NAME": str(tmp_path / "db.sqlite3")}
    connections.settings[ALIAS] = connections.configure_settings({"default": database})["default"]
    with django_db_blocker.unblock():
        yield connections[ALIAS]
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_the_sqlite_default_writes_ahead_and_waits_for_a_lock():
    options = dev_database()["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]


def test_postgresql_gets_none_of_the_sqlite_options():
    database = dev_database(DATABASE_URL="postgres://postgres@127.0.0.1:5432/kis")
    assert database.get("OPTIONS", {}) == {}


def test_a_file_database_opened_with_the_default_settings_is_in_wal_mode(file_database):
    with file_database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)


def test_an_enquiry_waits_while_the_task_worker_writes_and_is_then_stored(file_database):
    with file_database.cursor() as cursor:
        cursor.execute("CREATE TABLE enquiry (number INTEGER)")
    holding = threading.Event()

    def task_worker():
        """Another process's connection: writes, and holds the lock a moment."""
        worker = sqlite3.connect(file_database.settings_dict["NAME"], isolation_level=None)
        worker.execute("BEGIN IMMEDIATE")
        worker.execute("INSERT INTO enquiry VALUES (1)")
        holding.set()
        time.sleep(0.3)  # the lock is the subject here; the post must wait this long
        worker.execute("COMMIT")
        worker.close()

    thread = threading.Thread(target=task_worker)
    thread.start()
    holding.wait()
    # As an enquiry is stored: read the last number, then write the next one.
    with transaction.atomic(using=ALIAS), file_database.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM enquiry")
        (count,) = cursor.fetchone()
        cursor.execute("INSERT INTO enquiry VALUES (%s)", [count + 1])
    thread.join()
    with file_database.cursor() as cursor:
        cursor.execute("SELECT number FROM enquiry ORDER BY number")
        assert cursor.fetchall() == [(1,), (2,)]
