"""What every benchmark needs: a fresh PostgreSQL database, the site under gunicorn with a
task worker on loopback, an HTTP client, concurrent load and its latency figures."""

import contextlib
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_bench"
LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def maintenance_connection(url):
    """A connection to the server's `postgres` database, and the name of the one in `url`."""
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    maintenance = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        yield connection, parsed.path.lstrip("/")


def fresh_database(url):
    """Drop and create the database named in `url`, so every run starts alike."""
    with maintenance_connection(url) as (connection, name):
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url):
    """Create the database named in `url` unless it exists."""
    with maintenance_connection(url) as (connection, name):
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


@contextlib.contextmanager
def site_processes(env, workers=2, task_workers=1, port=None):
    """gunicorn with `workers` processes and `task_workers` task workers; yields the port."""
    port = port or free_port()
    env = {**os.environ, **env}
    commands = [
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kis_site.wsgi",
            "--bind",
            f"{LOOPBACK}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],  # fmt: skip
        *[[sys.executable, "manage.py", "kis_worker", "--verbosity", "0"]] * task_workers,
    ]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env) for command in commands]  # noqa: S603
    try:
        wait_until_serving(port)
        yield port
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def wait_until_serving(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            request(port, "GET", "/")
            return
        time.sleep(0.2)
    raise RuntimeError(f"The site did not answer on port {port} within {timeout} s.")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


def request(port, method, path, host=LOOPBACK, form=None, cookies=None, headers=None):
    """One HTTP request on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    headers = {"Host": host, **(headers or {})}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


def cookie(response, name):
    for header in response.headers.get_all("Set-Cookie") or []:
        match = re.match(rf"{name}=([^;]+)", header)
        if match:
            return match.group(1)
    return None


def hidden_input(html, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)" name="{name}"', html
    )
    return match.group(1) if match else None


@dataclass
class Figures:
    """Latencies of one phase of load, and how long the phase took."""

    name: str
    latencies: list
    seconds: float

    @property
    def p50(self):
        return statistics.median(self.latencies)

    @property
    def p99(self):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    @property
    def throughput(self):
        return len(self.latencies) / self.seconds

    def row(self):
        return (
            f"{self.name:<44} {len(self.latencies):>5} {self.p50 * 1000:>9.1f} "
            f"{self.p99 * 1000:>9.1f} {self.throughput:>8.1f}"
        )


def round_size(requests, earlier, seconds):
    """Requests in a round: `requests`, and given `earlier` (the Figures of an earlier round of
    the same page) at least `seconds` of them at its pace, so that a fast page's round is not
    a blip."""
    if earlier is None:
        return requests
    return max(requests, round(earlier.throughput * seconds))


HEADER = f"{'phase':<44} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>8}"


def load(name, jobs, concurrency, expect):
    """Run `jobs` (callables returning a Response) `concurrency` at a time; time each one.

    A response whose status is not `expect` stops the benchmark: figures of failing
    requests would mean nothing.
    """

    def timed(job):
        started = time.perf_counter()
        response = job()
        elapsed = time.perf_counter() - started
        if response.status != expect:
            raise RuntimeError(f"{name}: expected {expect}, got {response.status}")
        return elapsed

    print(f"  {name}: {len(jobs)} requests, {concurrency} at a time…", flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(timed, jobs))
    return Figures(name, latencies, time.perf_counter() - started)
