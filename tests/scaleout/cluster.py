"""The scale-out suite's machinery: a fresh PostgreSQL database per test cloned from a
migrated template, app servers and task workers as processes on loopback, residents as
HTTP clients behind one proxy, and what the database holds, read with SQL.
"""

import contextlib
import hashlib
import http.client
import importlib.util
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import LOOPBACK, cookie, hidden_input, request, wait_until_serving
from kis_forms.delivery.tasks import deliver_notification
from tests.smtp_sink import free_port
from tests.utils import enquiry_answers

ROOT = Path(__file__).resolve().parents[2]
FORM_PATH = "/napisz-do-nas/"
TEMPLATE_DATABASE = "kis_scaleout_template"
REDIS_DATABASE = 3  # a database of its own on the shared Redis server
REFERENCE = re.compile(r"KIS-\d{4}-\d{6,}")


def unavailable():
    """Why the suite cannot run here (no PostgreSQL, Redis or gunicorn), or None."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "needs PostgreSQL: set DATABASE_URL=postgres://user@127.0.0.1:5432/kis"
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url.startswith("redis://"):
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    for module in ("psycopg", "redis", "gunicorn"):
        if importlib.util.find_spec(module) is None:
            return f"needs the Python package {module} (make install)"
    for name, url, default_port in (("PostgreSQL", database_url, 5432), ("Redis", redis_url, 6379)):
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname, parts.port or default_port
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as error:
            return f"cannot reach {name} at {host}:{port} ({error})"
    return None


def with_database(url, name):
    """`url` with the database `name` in place of its own."""
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def connect(url):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def template_fingerprint():
    """A digest of every migration and of the demo content: the template's version."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[key].__module__]
        digest.update(Path(module.__file__).read_bytes())
    for path in sorted((ROOT / "kis_site" / "demo").rglob("*")):
        if path.suffix in (".py", ".json"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_template(database_url, env):
    """Build the migrated template database with the demo clubs, unless it is up to date.

    Returns whether it was built. Migrating takes about a minute on two cores, so the
    template is kept between runs; the fingerprint in its comment tells when it is stale.
    Builds by other runs wait for each other.
    """
    from psycopg import sql

    fingerprint = template_fingerprint()
    name = sql.Identifier(TEMPLATE_DATABASE)
    with connect(with_database(database_url, "postgres")) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", [TEMPLATE_DATABASE])
        comment = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [TEMPLATE_DATABASE],
        ).fetchone()
        if comment is not None and comment[0] == fingerprint:
            return False
        drop(connection, TEMPLATE_DATABASE)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        env = {**env, "DATABASE_URL": with_database(database_url, TEMPLATE_DATABASE)}
        for command in (["migrate", "--verbosity", "0"], ["kis_demo"]):
            manage(env, *command)
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, sql.Literal(fingerprint))
        )
    return True


def clone_template(database_url, name):
    """A fresh database `name`, copied from the template (a second, not a minute)."""
    from psycopg import sql

    with connect(with_database(database_url, "postgres")) as connection:
        drop(connection, name)
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE_DATABASE)
            )
        )


def drop_database(database_url, name):
    with connect(with_database(database_url, "postgres")) as connection:
        drop(connection, name)


def drop(connection, name):
    """Drop the database `name`, if it exists, cutting off its clients."""
    from psycopg import sql

    connection.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


def manage(env, *command):
    """Run `manage.py command` with the servers' settings; its output shows on failure."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{completed.stderr}")


class Database:
    """What one test's site stored, read with plain SQL on connections of its own."""

    def __init__(self, url):
        self.url = url

    def rows(self, query, *params):
        with connect(self.url) as connection:
            return connection.execute(query, params).fetchall()

    def enquiries(self):
        """(reference, form token) of every enquiry that is not spam."""
        return self.rows(
            "SELECT reference, form_token FROM kis_forms_enquirysubmission WHERE status <> 'spam'"
        )

    def count_enquiries(self):
        return self.rows("SELECT count(*) FROM kis_forms_enquirysubmission")[0][0]

    def notifications(self):
        """{reference: (state, attempts)} of every enquiry's notification to its worker."""
        return {
            reference: (state, attempts)
            for reference, state, attempts in self.rows(
                "SELECT s.reference, n.state, n.attempts FROM kis_forms_notification n "
                "JOIN kis_forms_enquirysubmission s ON s.id = n.submission_id "
                "WHERE n.kind = 'worker'"
            )
        }

    def jobs(self):
        """How many delivery jobs there are per status (READY, RUNNING, SUCCESSFUL…)."""
        return Counter(
            dict(
                self.rows(
                    "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = %s GROUP BY status",
                    deliver_notification.module_path,
                )
            )
        )


def poll(condition, timeout, what, every=0.2):
    """Wait until `condition()` is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Not within {timeout} s: {what}")
        time.sleep(every)


def all_sent(database, expected):
    """True once `expected` notifications exist, all sent, and no delivery job waits."""

    def condition():
        states = [state for state, _attempts in database.notifications().values()]
        return len(states) == expected and set(states) == {"sent"} and database.jobs()["READY"] == 0

    return condition


def mailed(sink):
    """How many e-mails the sink received per enquiry reference (from the subject)."""
    return Counter(REFERENCE.search(message["Subject"]).group() for message in sink.received())


class Cluster:
    """App servers and task workers for one test, sharing its database, Redis and SMTP sink."""

    def __init__(self, env):
        self.env = {**os.environ, **env}
        self.servers = []
        self.task_workers = []

    def start(self, servers=2, server_workers=1, task_workers=2):
        """Start the processes; returns the servers' ports once each one answers."""
        ports = [free_port() for _server in range(servers)]
        for port in ports:
            self.servers.append(self.spawn(gunicorn_command(port, server_workers)))
        for _worker in range(task_workers):
            self.start_task_worker()
        for port in ports:
            wait_until_serving(port)
        return ports

    def start_task_worker(self):
        worker = TaskWorker(self)
        self.task_workers.append(worker)
        return worker

    def spawn(self, command, stderr=None):
        """Start `command` as the leader of a process group of its own."""
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stderr=stderr, start_new_session=True
        )

    def manage(self, *command):
        return manage(self.env, *command)

    def stop(self):
        """Kill every process at once: nothing here needs a graceful end, and a Wagtail
        process takes seconds to exit on a busy machine."""
        for process in [*self.servers, *(worker.process for worker in self.task_workers)]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # a server's group holds its workers
            process.wait()


def gunicorn_command(port, workers):
    from gunicorn import config

    # From gunicorn 25.1 every master opens a control socket, at one path per user; the
    # suite's masters would share it, and stopping each would wait for it.
    control = ["--no-control-socket"] if hasattr(config, "ControlSocketDisable") else []
    return [
        sys.executable, "-m", "gunicorn", "kis_site.wsgi",
        "--bind", f"{LOOPBACK}:{port}",
        "--workers", str(workers), "--preload",
        "--log-level", "warning",
        *control,
    ]  # fmt: skip


class TaskWorker:
    """One `manage.py kis_worker`, with nothing to start it again if it exits; what it logs
    goes to a file of its own."""

    COMMAND = [sys.executable, "manage.py", "kis_worker", "--verbosity", "0", "--interval", "0.5"]

    def __init__(self, cluster):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = cluster.spawn(self.COMMAND, stderr=self.log)

    def logged(self):
        """Everything the worker has logged so far."""
        self.log.seek(0)
        return self.log.read()

    def kill(self):
        """SIGKILL: the worker stops at once, whatever it was doing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def client_address(number):
    """A distinct address per resident, as the proxy in front reports it."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


@dataclass
class Answer:
    """The answer to one POST of the form: a status (or the error that cut the connection),
    and the landing page's path for a redirect."""

    status: int | str
    landing: str = ""
    body: str = ""


@dataclass
class Sent:
    """What one resident saw: the form, the answers to sending it, the landing page."""

    form_status: int | None = None
    answers: list = field(default_factory=list)
    reference: str | None = None  # the reference the landing page showed
    started: float = 0.0

    @property
    def statuses(self):
        return [answer.status for answer in self.answers]

    @property
    def token(self):
        """The form's one-time token, which the landing page's address carries."""
        landings = {answer.landing for answer in self.answers if answer.landing}
        return landings.pop().rstrip("/").rsplit("/", 1)[-1] if len(landings) == 1 else None


def open_form(port, address):
    """GET the form like a browser: (status, cookies, hidden fields); no fields on an error."""
    response = request(port, "GET", FORM_PATH, headers={"X-Forwarded-For": address})
    if response.status != 200:
        return response.status, None, None
    fields = {
        name: hidden_input(response.body, name) for name in ("csrfmiddlewaretoken", "kis_token")
    }
    return response.status, {"csrftoken": cookie(response, "csrftoken")}, fields


def send_enquiry(form_port, post_port, address, name, twice=False):
    """A resident opens the form on one server and sends it to another, then opens the
    landing page. `twice`: the form goes to both servers at the same moment, as a double
    click does through a proxy that spreads requests."""
    sent = Sent(started=time.monotonic())
    sent.form_status, cookies, fields = open_form(form_port, address)
    if cookies is None:
        return sent
    form = {**enquiry_answers(imie_i_nazwisko=name), **fields}
    headers = {"X-Forwarded-For": address}
    ports = [post_port, form_port] if twice else [post_port]
    threads = [
        threading.Thread(
            target=lambda port=port: sent.answers.append(post_form(port, form, cookies, headers))
        )
        for port in ports
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    landings = {answer.landing for answer in sent.answers if answer.landing}
    if len(landings) == 1:
        landing = request(form_port, "GET", landings.pop(), headers=headers)
        match = REFERENCE.search(landing.body) if landing.status == 200 else None
        sent.reference = match.group() if match else None
    return sent


def post_form(port, form, cookies, headers):
    try:
        response = request(port, "POST", FORM_PATH, form=form, cookies=cookies, headers=headers)
    except (OSError, http.client.HTTPException) as error:
        return Answer(type(error).__name__)
    if response.status == 303:
        return Answer(303, landing=urllib.parse.urlsplit(response.headers["Location"]).path)
    return Answer(response.status, body=response.body)


class Load:
    """Residents sending enquiries, several at a time, for as long as a phase lasts."""

    def __init__(self, concurrency=6):
        self.concurrency = concurrency
        self.numbers = itertools.count()
        self.results = []
        self.unanswered = []  # connections refused or cut: no page at all

    @contextlib.contextmanager
    def sending(self, ports):
        """Residents keep sending to `ports` (each form to the next server) until the end
        of the block, which waits for those under way."""
        stop = threading.Event()

        def resident():
            while not stop.is_set():
                number = next(self.numbers)
                form_port, post_port = ports[number % len(ports)], ports[(number + 1) % len(ports)]
                try:
                    self.results.append(
                        send_enquiry(form_port, post_port, client_address(number), "R")
                    )
                except (OSError, http.client.HTTPException) as error:
                    self.unanswered.append(error)

        threads = [threading.Thread(target=resident) for _thread in range(self.concurrency)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            for thread in threads:
                thread.join()

    def accepted_since(self, moment):
        """How many residents who started after `moment` saw their enquiry accepted."""
        return sum(s.statuses == [303] for s in self.results if s.started > moment)


def postgres_control_command(database_url):
    """`pg_ctlcluster` for the local PostgreSQL cluster of `database_url`, without its action
    ("stop", "start"), or None."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    lsclusters, ctlcluster = shutil.which("pg_lsclusters"), shutil.which("pg_ctlcluster")
    if os.geteuid() != 0 or not (lsclusters and ctlcluster):
        return None
    listing = subprocess.run(  # noqa: S603
        [lsclusters, "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        version, name, port, *_rest = line.split()
        if int(port) == (parts.port or 5432):
            return [ctlcluster, version, name]  # its "stop" is a fast shutdown: clients are cut off
    return None


@contextlib.contextmanager
def redis_keys_removed(redis_url, prefix):
    """Remove the run's cache keys afterwards (page cache and rate-limit counters)."""
    import redis

    try:
        yield
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()
